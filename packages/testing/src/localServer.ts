import type { Server } from "node:http";

/**
 * A running local server: its endpoint URL and how to stop it.
 *
 * @example
 * ```ts
 * import type { LocalServer } from "@rebound/testing";
 * let dynamo: LocalServer;
 * afterAll(() => dynamo.stop());
 * ```
 */
export interface LocalServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Returns a function that closes open connections and then the server (internal). */
export function stopper(server: Server): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    });
}
