import { createRequire } from "node:module";

type MemoryLevelClass = new (location?: unknown, options?: Record<string, unknown>) => object;

interface MemoryLevelModule {
  MemoryLevel: MemoryLevelClass;
}

const COMPACT = Symbol.for("rebound.compactMemoryLevel");

/**
 * Makes dynalite's in-memory store keep each key and value in its own exactly sized bytes. Must run
 * before dynalite is first required (dynalite reads `MemoryLevel` when it loads); running it again
 * is harmless.
 *
 * Why: dynalite opens `memory-level` with its default `buffer` store encoding, which stores every
 * key and JSON value as `Buffer.from(string)`. A small Buffer is a slice of Node's shared 8 KB pool,
 * so each stored key or value keeps a whole 8 KB slab alive: a heap snapshot of the orders stack
 * showed 6,570 such slabs (54 MB) after 600 orders, growing ~70 KB per order (most of the peak RSS
 * at 20,000 orders). The `view` store encoding turns strings into fresh `Uint8Array`s of their own
 * size. Keys still compare byte by byte (memory-level's compare is the same for `buffer` and
 * `view`), so item order, queries, scans and every DynamoDB answer are unchanged.
 *
 * @example
 * ```ts
 * useCompactDynaliteStore();
 * const dynalite = createRequire(import.meta.url)("dynalite");
 * ```
 */
export function useCompactDynaliteStore(): void {
  // memory-level as dynalite resolves it (its own dependency, not one of the simulator's).
  const fromDynalite = createRequire(createRequire(import.meta.url).resolve("dynalite"));
  const memoryLevel = fromDynalite("memory-level") as MemoryLevelModule;
  const Original = memoryLevel.MemoryLevel;
  if ((Original as unknown as Record<symbol, boolean>)[COMPACT] === true) return;
  class CompactMemoryLevel extends Original {
    public static readonly [COMPACT] = true;
    public constructor(location?: unknown, options?: Record<string, unknown>) {
      // memory-level also accepts the options as the first argument.
      const given = typeof location === "object" && location !== null ? location : options;
      super({ storeEncoding: "view", ...(given as Record<string, unknown> | undefined) });
    }
  }
  memoryLevel.MemoryLevel = CompactMemoryLevel;
}
