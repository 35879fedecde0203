// Test support: AWS services with no local implementation installable here (SNS, Step Functions,
// SSM, DynamoDB Streams, Kinesis), served on loopback over their real wire protocols so the real
// AWS SDK clients are exercised end to end. Only the operations the apps call are implemented.
import { once } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import { createServer as createH2cServer, type Http2ServerRequest, type Http2Session } from "node:http2";
import type { AddressInfo } from "node:net";

/** A call as the fake service saw it: operation name and decoded input. */
export interface AwsCall {
  readonly operation: string;
  // biome-ignore lint/suspicious/noExplicitAny: decoded AWS input, read by assertions
  readonly input: Record<string, any>;
}

/** A fake's answer: output, or an AWS error (type + message + HTTP status). */
export type AwsAnswer =
  | { readonly output: Record<string, unknown> }
  | { readonly error: { readonly type: string; readonly message: string; readonly status: number } };

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

async function serve(
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

/** AWS JSON 1.0 / 1.1 services (Step Functions, SSM, DynamoDB Streams, Kinesis): `X-Amz-Target: Prefix.Operation`. */
export function startJsonService(
  initial: (call: AwsCall) => AwsAnswer,
  options: { http2?: boolean } = {},
): Promise<FakeAwsService> {
  return serve(
    (req, body) => ({
      operation:
        String(req.headers["x-amz-target"] ?? "")
          .split(".")
          .pop() ?? "",
      input: body.length > 0 ? JSON.parse(body) : {},
    }),
    (_call, answer) =>
      "output" in answer
        ? { status: 200, contentType: "application/x-amz-json-1.0", body: JSON.stringify(answer.output) }
        : {
            status: answer.error.status,
            contentType: "application/x-amz-json-1.0",
            body: JSON.stringify({ __type: answer.error.type, message: answer.error.message }),
          },
    initial,
    options.http2 ?? false,
  );
}

function xmlEscape(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** AWS Query services (SNS): form-encoded `Action=...` in, XML out. */
export function startQueryService(initial: (call: AwsCall) => AwsAnswer): Promise<FakeAwsService> {
  return serve(
    (_req, body) => {
      const input = Object.fromEntries(new URLSearchParams(body));
      return { operation: input["Action"] ?? "", input };
    },
    (call, answer) => {
      if ("error" in answer) {
        return {
          status: answer.error.status,
          contentType: "text/xml",
          body: `<ErrorResponse><Error><Type>${answer.error.status >= 500 ? "Receiver" : "Sender"}</Type><Code>${answer.error.type}</Code><Message>${xmlEscape(answer.error.message)}</Message></Error><RequestId>${crypto.randomUUID()}</RequestId></ErrorResponse>`,
        };
      }
      const fields = Object.entries(answer.output)
        .map(([key, value]) => `<${key}>${xmlEscape(String(value))}</${key}>`)
        .join("");
      return {
        status: 200,
        contentType: "text/xml",
        body: `<${call.operation}Response xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><${call.operation}Result>${fields}</${call.operation}Result><ResponseMetadata><RequestId>${crypto.randomUUID()}</RequestId></ResponseMetadata></${call.operation}Response>`,
      };
    },
    initial,
  );
}
