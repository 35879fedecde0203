import { readdirSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

/** A request as the local endpoints read it: what an HTTP request carries, already in memory. */
export interface InMemoryRequest {
  readonly method: string;
  /** Path and query string, as an HTTP request line has them (`/2015-03-31/functions?Marker=x`). */
  readonly url: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** The answer to an `InMemoryRequest`. */
export interface InMemoryResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/**
 * Serves one request in memory; `undefined` when the server drops the connection without an answer
 * (a call from an invocation that has already timed out).
 */
export type InMemoryServe = (request: InMemoryRequest) => Promise<InMemoryResponse | undefined>;

/** The part of the SDK's `HttpRequest` read here. */
interface SdkHttpRequest {
  readonly method: string;
  readonly hostname: string;
  readonly port?: number;
  readonly path: string;
  readonly query?: Record<string, string | string[] | null | undefined>;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

type SdkHandle = (
  this: unknown,
  request: SdkHttpRequest,
  options?: unknown,
) => Promise<{ response: unknown }>;
type QueryStringBuilder = (query: NonNullable<SdkHttpRequest["query"]>) => string;
type HttpResponseClass = new (options: {
  statusCode: number;
  headers: Record<string, string>;
  body: Uint8Array;
}) => unknown;

/** Servers reachable in memory, by `host:port`. */
const servers = new Map<string, InMemoryServe>();
/** SDK handler classes already patched (one per installed copy of `@smithy/node-http-handler`). */
const PATCHED = Symbol.for("rebound.inProcessTransport");

/**
 * Makes `origin` (`http://127.0.0.1:<port>`) reachable in memory: a request the AWS SDK would send
 * there over a socket is served by `serve` in the same process instead (see
 * `installInProcessTransport`). Returns the function that undoes it; the socket stays open for
 * every other client.
 *
 * @example
 * ```ts
 * const stop = serveInProcess(endpoints.url, (request) => endpoints.serveInMemory(request));
 * stop();
 * ```
 */
export function serveInProcess(origin: string, serve: InMemoryServe): () => void {
  const { host } = new URL(origin);
  servers.set(host, serve);
  return () => {
    if (servers.get(host) === serve) servers.delete(host);
  };
}

/**
 * Lets the AWS SDK clients found in `sdkFolders` (folders of `@aws-sdk/client-*` packages: the SDK
 * the simulator hands to functions, as Lambda's runtime does) reach an in-process server without a
 * socket. Their HTTP/1.1 and HTTP/2 request handlers (`@smithy/node-http-handler`) are wrapped once:
 * a request to a host registered with `serveInProcess` is served in memory (same headers, same
 * bytes, same signature); any other goes out as before. Function code is untouched: it builds its
 * clients, signs and serializes as on Lambda; only the last hop (socket, HTTP parser, kernel) is
 * skipped. Idempotent.
 *
 * @example
 * ```ts
 * installInProcessTransport(runtimeModules());
 * ```
 */
export function installInProcessTransport(sdkFolders: readonly string[]): void {
  for (const folder of sdkFolders) {
    let names: string[];
    try {
      names = readdirSync(folder).filter((name) => name.startsWith("client-"));
    } catch {
      continue; // no SDK there: nothing to wrap
    }
    for (const name of names) {
      // From the package's real folder, as Node resolves its imports (the folder may be a link).
      let manifest: string;
      try {
        manifest = realpathSync(join(folder, name, "package.json"));
      } catch {
        continue;
      }
      const requireFromClient = createRequire(manifest);
      let handlerPath: string;
      try {
        handlerPath = requireFromClient.resolve("@smithy/node-http-handler");
      } catch {
        continue; // a client that does not use the Node handler
      }
      const handlers = requireFromClient(handlerPath) as Record<
        string,
        { prototype: Record<PropertyKey, unknown> }
      >;
      // The handler's own response class and query encoder (`@smithy/core/protocols`), so the SDK
      // sees exactly what the socket path would give it.
      const requireFromHandler = createRequire(handlerPath);
      const { HttpResponse, buildQueryString } = requireFromHandler("@smithy/core/protocols") as {
        HttpResponse: HttpResponseClass;
        buildQueryString: QueryStringBuilder;
      };
      for (const className of ["NodeHttpHandler", "NodeHttp2Handler"]) {
        const prototype = handlers[className]?.prototype;
        if (prototype === undefined || prototype[PATCHED] === true) continue;
        prototype.handle = inMemoryFirst(prototype.handle as SdkHandle, HttpResponse, buildQueryString);
        prototype[PATCHED] = true;
      }
    }
  }
}

/** A `handle` that serves requests to registered hosts in memory and sends the others with `send`. */
function inMemoryFirst(
  send: SdkHandle,
  HttpResponse: HttpResponseClass,
  buildQueryString: QueryStringBuilder,
): SdkHandle {
  return async function handle(this: unknown, request, options) {
    const serve = servers.get(`${request.hostname}${request.port === undefined ? "" : `:${request.port}`}`);
    const body = bodyBytes(request.body);
    if (serve === undefined || body === undefined) return send.call(this, request, options);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(request.headers)) headers[key.toLowerCase()] = value;
    const query = buildQueryString(request.query ?? {});
    const url = query === "" ? request.path : `${request.path}?${query}`;
    const answer = await serve({ method: request.method, url, headers, body });
    if (answer === undefined) {
      // What a dropped connection looks like to the SDK over a socket.
      throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET", name: "Error" });
    }
    return {
      response: new HttpResponse({
        statusCode: answer.statusCode,
        headers: { ...answer.headers },
        body: answer.body,
      }),
    };
  };
}

/** The body as bytes; `undefined` for a stream (sent over the socket as before). */
function bodyBytes(body: unknown): Buffer | undefined {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return undefined;
}
