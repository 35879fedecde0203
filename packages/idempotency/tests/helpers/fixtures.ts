import type { IdempotencyLogger } from "../../src/index.js";

/** A clock the test moves by hand; epoch ms. */
export function manualClock(startMs = 1_767_225_600_000): {
  (): number;
  advance(ms: number): void;
  set(ms: number): void;
} {
  let now = startMs;
  const clock = () => now;
  clock.advance = (ms: number) => {
    now += ms;
  };
  clock.set = (ms: number) => {
    now = ms;
  };
  return clock;
}

/** A promise with its resolve and reject, to hold a body mid-way. */
export function deferred<T = void>(): {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A logger that records what it was told. */
export function recordingLogger(): IdempotencyLogger & {
  readonly lines: { level: string; message: string }[];
} {
  const lines: { level: string; message: string }[] = [];
  return {
    lines,
    warn: (message) => lines.push({ level: "warn", message }),
    error: (message) => lines.push({ level: "error", message }),
  };
}

/** A Lambda context with a fixed remaining time. */
export function lambdaContext(remainingMs: number, awsRequestId = "req-1") {
  return { awsRequestId, getRemainingTimeInMillis: () => remainingMs };
}

/** Lets pending promise callbacks run (a macrotask turn). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
