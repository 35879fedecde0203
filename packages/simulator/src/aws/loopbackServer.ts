import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import {
  createServer as createHttp2Server,
  type Http2ServerRequest,
  type Http2ServerResponse,
} from "node:http2";
import { type AddressInfo, createServer as createNetServer, type Socket } from "node:net";
import { EnvironmentError } from "./errors.js";

/** A request of either protocol. */
export type LoopbackRequest = IncomingMessage | Http2ServerRequest;
/** A response of either protocol. */
export type LoopbackResponse = ServerResponse | Http2ServerResponse;

/** The cleartext HTTP/2 connection preface starts with these bytes ("PRI * HTTP/2.0"). */
const HTTP2_PREFACE = Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", "latin1");

/**
 * A server on 127.0.0.1 (random free port) answering both HTTP/1.1 and cleartext HTTP/2 with prior
 * knowledge on the same port: it peeks at the first bytes of each connection and hands the socket
 * to the matching Node server. The AWS SDK's Kinesis client uses HTTP/2 (for SubscribeToShard) for
 * every call; all other clients and `fetch` use HTTP/1.1.
 *
 * `close` destroys every open connection, so kept-alive SDK sockets cannot hold it open.
 */
export class LoopbackServer {
  readonly #sockets = new Set<Socket>();
  readonly #net = createNetServer();
  #closed: Promise<void> | undefined;
  #url = "";

  public constructor(handler: (request: LoopbackRequest, response: LoopbackResponse) => void) {
    const http1 = createHttpServer(handler);
    const http2 = createHttp2Server(handler);
    http2.on("sessionError", () => undefined); // a client that goes away mid-session is not our failure
    this.#net.on("connection", (socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
      socket.on("error", () => undefined);
      let head = Buffer.alloc(0);
      const onData = (chunk: Buffer): void => {
        head = Buffer.concat([head, chunk]);
        const compared = Math.min(head.length, HTTP2_PREFACE.length);
        const isHttp2 = head.subarray(0, compared).equals(HTTP2_PREFACE.subarray(0, compared));
        if (isHttp2 && compared < HTTP2_PREFACE.length) return; // need more bytes to decide
        socket.off("data", onData);
        socket.pause();
        socket.unshift(head);
        if (isHttp2) {
          // The HTTP/2 session reads the buffered bytes itself and then the native handle: resuming
          // the JS stream here would steal its frames.
          http2.emit("connection", socket);
        } else {
          http1.emit("connection", socket);
          socket.resume();
        }
      };
      socket.on("data", onData);
    });
  }

  /** `http://127.0.0.1:<port>` once listening. */
  public get url(): string {
    return this.#url;
  }

  /** Starts listening on a random loopback port. */
  public async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#net.once("error", reject);
      this.#net.listen(0, "127.0.0.1", () => {
        this.#net.off("error", reject);
        resolve();
      });
    });
    const address = this.#net.address() as AddressInfo | null;
    if (address === null)
      throw new EnvironmentError("a loopback server did not report its listening address");
    this.#url = `http://127.0.0.1:${address.port}`;
    return this.#url;
  }

  /** Stops listening and destroys every open connection. Calling it twice is harmless. */
  public close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve, reject) => {
      this.#net.close((error?: Error) => (error ? reject(error) : resolve()));
      for (const socket of this.#sockets) socket.destroy();
    });
    return this.#closed;
  }
}
