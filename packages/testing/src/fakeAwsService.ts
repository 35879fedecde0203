// AWS services with no local implementation installable here (SNS, Step Functions, SSM, DynamoDB
// Streams, Kinesis) are served on loopback over their real wire protocols so the real AWS SDK clients
// are exercised end to end. This file holds the shared server; the protocols are in
// startJsonService.ts and startQueryService.ts.
import { once } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import { createServer as createH2cServer, type Http2ServerRequest, type Http2Session } from "node:http2";
import type { AddressInfo } from "node:net";

/**
 * A call as the fake service saw it: operation name and decoded input.
 *
 * @example
 * ```ts
 * expect(fake.calls.map((call: AwsCall) => call.operation)).toEqual(["StartExecution"]);
 * ```
 */
export interface AwsCall {
  readonly operation: string;
  // biome-ignore lint/suspicious/noExplicitAny: decoded AWS input, read by assertions
  readonly input: Record<string, any>;
}

/**
 * A fake's answer: output, or an AWS error (type + message + HTTP status).
 *
 * @example
 * ```ts
 * const ok: AwsAnswer = { output: { executionArn: "arn:..." } };
 * const throttled: AwsAnswer = { error: { type: "ThrottlingException", message: "slow down", status: 400 } };
 * ```
 */
export type AwsAnswer =
  | { readonly output: Record<string, unknown> }
  | { readonly error: { readonly type: string; readonly message: string; readonly status: number } };

/**
 * A running fake AWS service: endpoint, every call it got, a way to change its answers, and stop.
 *
 * @example
 * ```ts
 * const fake: FakeAwsService = await startJsonService(() => ({ output: {} }));
 * fake.answer(() => ({ error: { type: "InternalFailure", message: "boom", status: 500 } }));
 * await fake.stop();
 * ```
 */
export interface FakeAwsService {
  readonly endpoint: string;
  readonly calls: AwsCall[];
  answer(next: (call: AwsCall) => AwsAnswer): void;
  stop(): Promise<void>;
}

async function readBody(req: IncomingMessage | Http2ServerRequest): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Serves a fake AWS protocol on 127.0.0.1 (internal; use startJsonService / startQueryService). */
export async function serve(
  decode: (req: IncomingMessage | Http2ServerRequest, body: string) => AwsCall,
  encode: (call: AwsCall, answer: AwsAnswer) => { status: number; contentType: string; body: string },
  initial: (call: AwsCall) => AwsAnswer,
  http2 = false,
): Promise<FakeAwsService> {
  let answerer = initial;
  const calls: AwsCall[] = [];
  const listener = async (
    req: IncomingMessage | Http2ServerRequest,
    res: { writeHead(status: number, headers: Record<string, string>): unknown; end(body: string): unknown },
  ) => {
    const call = decode(req, await readBody(req));
    calls.push(call);
    const { status, contentType, body } = encode(call, answerer(call));
    res.writeHead(status, { "content-type": contentType, "x-amzn-requestid": crypto.randomUUID() });
    res.end(body);
  };
  // Kinesis clients speak HTTP/2 (cleartext, prior knowledge, against an http:// endpoint).
  const sessions = new Set<Http2Session>();
  const server = http2 ? createH2cServer(listener) : createServer(listener);
  if (http2) {
    server.on("session", (session: Http2Session) => {
      sessions.add(session);
      session.on("close", () => sessions.delete(session));
    });
  }
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    answer(next) {
      answerer = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        if ("closeAllConnections" in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
