// A real node:http server on loopback that plays a third-party HTTP API.
import { once } from "node:events";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * One request as the fake API saw it; `body` is parsed JSON, or the raw text if it is not JSON.
 *
 * @example
 * ```ts
 * const [seen]: SeenRequest[] = api.requests;
 * expect(seen?.headers["idempotency-key"]).toBe("order-1");
 * ```
 */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: parsed JSON, read by assertions
  readonly body: any;
}

/**
 * What the scripted server answers; `delayMs` holds the answer back (to test client timeouts).
 *
 * @example
 * ```ts
 * const slow: ScriptedAnswer = { status: 200, body: { ok: true }, delayMs: 5_000 };
 * ```
 */
export interface ScriptedAnswer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  readonly delayMs?: number;
}

/**
 * A running fake API: its base URL, every request it got, and how to stop it.
 *
 * @example
 * ```ts
 * const api: FakeApi = await startFakeApi(() => ({ status: 200, body: {} }));
 * api.answer(() => ({ status: 503 }));
 * await api.stop();
 * ```
 */
export interface FakeApi {
  readonly url: string;
  readonly requests: SeenRequest[];
  /** Replaces the answering function. */
  answer(next: (request: SeenRequest) => ScriptedAnswer): void;
  stop(): Promise<void>;
}

/**
 * Starts a fake HTTP API on 127.0.0.1 (random free port) answering with `initial` until replaced.
 *
 * @example
 * ```ts
 * import { startFakeApi } from "@rebound/testing";
 * const api = await startFakeApi((request) => ({ status: 201, body: { id: request.body.orderId } }));
 * const response = await fetch(`${api.url}/charges`, { method: "POST", body: "{}" });
 * expect(api.requests).toHaveLength(1);
 * await api.stop();
 * ```
 */
export async function startFakeApi(initial: (request: SeenRequest) => ScriptedAnswer): Promise<FakeApi> {
  let answerer = initial;
  const requests: SeenRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let body: unknown = raw;
      try {
        body = raw.length > 0 ? JSON.parse(raw) : undefined;
      } catch {
        body = raw;
      }
      const seen: SeenRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body };
      requests.push(seen);
      const answer = answerer(seen);
      const send = () => {
        timers.delete(timer);
        if (res.destroyed) return;
        const payload =
          answer.body === undefined
            ? ""
            : typeof answer.body === "string"
              ? answer.body
              : JSON.stringify(answer.body);
        res.writeHead(answer.status, {
          ...(typeof answer.body === "string"
            ? { "content-type": "text/plain" }
            : { "content-type": "application/json" }),
          ...answer.headers,
        });
        res.end(payload);
      };
      const timer = setTimeout(send, answer.delayMs ?? 0);
      timers.add(timer);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answer(next) {
      answerer = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
