import { EventEmitter } from "node:events";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { checkKeys, checkNumber } from "../engine/validate.js";
import { useCompactDynaliteStore } from "./compactDynaliteStore.js";
import type { ForwardedResponse } from "./DynamoDbProxy.js";
import { EnvironmentError } from "./errors.js";

/** Options of `DynaliteServer.start`. */
export interface DynaliteServerOptions {
  /** Maximum item size in KB; DynamoDB's is 400. */
  readonly maxItemSizeKb?: number;
}

type DynaliteFactory = (options: Record<string, unknown>) => Server;

/**
 * An in-memory dynalite (DynamoDB on LevelDB's in-memory store) listening on 127.0.0.1 at a random
 * free port. Tables are ACTIVE as soon as CreateTable answers (dynalite's default keeps them
 * CREATING for 500 ms of real time, which would make runs depend on the wall clock).
 *
 * Limits of dynalite (documented in the repository's ARCHITECTURE.md): no TTL deletion, no
 * transactions, and `ReturnValuesOnConditionCheckFailure` is ignored.
 *
 * @example
 * ```ts
 * import { DynaliteServer } from "@rebound/simulator";
 * const dynalite = await DynaliteServer.start();
 * // new DynamoDBClient({ endpoint: dynalite.endpoint, region: "us-east-1", credentials })
 * await dynalite.close();
 * ```
 */
export class DynaliteServer {
  readonly #server: Server;
  #closed: Promise<void> | undefined;

  private constructor(
    server: Server,
    /** `http://127.0.0.1:<port>`. */
    public readonly endpoint: string,
  ) {
    this.#server = server;
  }

  /**
   * Serves one DynamoDB request without a socket: dynalite's own request handler gets the body and
   * headers as an HTTP request would carry them (it checks the same signature headers), and its
   * answer comes back whole. What the DynamoDB proxy uses inside a run; the port still answers other
   * clients.
   *
   * @example
   * ```ts
   * const answer = await dynalite.serveInMemory(Buffer.from("{}"), { "x-amz-target": "DynamoDB_20120810.ListTables", "content-type": "application/x-amz-json-1.0", "x-amz-date": "20260101T000000Z", authorization: "AWS4-HMAC-SHA256 Credential=a/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0" });
   * ```
   */
  public serveInMemory(body: Buffer, headers: Readonly<Record<string, string>>): Promise<ForwardedResponse> {
    const handler = this.#server.listeners("request")[0] as (request: unknown, response: unknown) => void;
    return new Promise((resolve, reject) => {
      const request = Object.assign(new EventEmitter(), {
        method: "POST",
        url: "/",
        headers: { ...headers },
      });
      const sent: Record<string, string> = {};
      const response = {
        statusCode: 200,
        setHeader(name: string, value: unknown): void {
          sent[name.toLowerCase()] = String(value);
        },
        end(chunk?: string | Buffer): void {
          const out: Record<string, string> = {};
          for (const name of ["content-type", "x-amz-crc32"])
            if (sent[name] !== undefined) out[name] = sent[name];
          resolve({
            statusCode: response.statusCode,
            headers: out,
            body: chunk === undefined ? Buffer.alloc(0) : Buffer.from(chunk),
          });
        },
      };
      try {
        handler(request, response);
        request.emit("data", body);
        request.emit("end");
      } catch (error) {
        reject(new EnvironmentError("dynalite failed on a request", { cause: error }));
      }
    });
  }

  /** Starts dynalite in memory on a random loopback port. */
  public static async start(options: DynaliteServerOptions = {}): Promise<DynaliteServer> {
    const checked = checkKeys(options, ["maxItemSizeKb"], "DynaliteServer options");
    const maxItemSizeKb =
      checked["maxItemSizeKb"] === undefined
        ? 400
        : checkNumber(checked["maxItemSizeKb"], "maxItemSizeKb", 1, 400, true);
    // dynalite is CommonJS without types; loaded lazily so importing the simulator does not load it.
    useCompactDynaliteStore(); // before dynalite loads: its store must not pin 8 KB Buffer slabs
    const dynalite = createRequire(import.meta.url)("dynalite") as DynaliteFactory;
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, maxItemSizeKb });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    const address = server.address() as AddressInfo | null;
    if (address === null) throw new EnvironmentError("dynalite did not report a listening address");
    return new DynaliteServer(server, `http://127.0.0.1:${address.port}`);
  }

  /**
   * Stops accepting requests, drops idle keep-alive connections (SDK clients keep sockets open,
   * which would otherwise hold `close` until they time out) and closes the in-memory database.
   * Calling it twice is harmless.
   */
  public close(): Promise<void> {
    this.#closed ??= new Promise<void>((resolve, reject) => {
      this.#server.close((error?: Error) => (error ? reject(error) : resolve()));
      this.#server.closeAllConnections();
    });
    return this.#closed;
  }
}
