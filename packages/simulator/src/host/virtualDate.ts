/**
 * Replaces the global `Date` with one whose clock is `now()`: `Date.now()` and `new Date()` (no
 * arguments) read virtual time; every other form (`new Date(ms)`, `Date.parse`, `Date.UTC`) behaves as
 * before. The replacement shares `Date.prototype`, so `instanceof Date` holds both ways for dates made
 * before, during and after. Returns the function that puts the real `Date` back.
 *
 * Only `Date` is virtual: timers (`setTimeout`) and `performance.now()` keep real time. The SDK signs
 * requests with `Date`, so signatures carry virtual timestamps (the local endpoints do not check them).
 *
 * @example
 * ```ts
 * import { installVirtualDate } from "@rebound/simulator";
 * const restore = installVirtualDate(() => Date.UTC(2026, 0, 1));
 * try { new Date().toISOString(); } finally { restore(); } // "2026-01-01T00:00:00.000Z"
 * ```
 */
export function installVirtualDate(now: () => number): () => void {
  const RealDate = globalThis.Date;
  function VirtualDate(this: unknown, ...args: unknown[]): unknown {
    if (new.target === undefined) return new RealDate(now()).toString(); // `Date()` called as a function
    return Reflect.construct(RealDate, args.length === 0 ? [now()] : args, new.target);
  }
  Object.defineProperties(VirtualDate, {
    prototype: { value: RealDate.prototype, writable: false },
    now: { value: () => now(), writable: true, configurable: true },
    parse: { value: RealDate.parse, writable: true, configurable: true },
    UTC: { value: RealDate.UTC, writable: true, configurable: true },
    name: { value: "Date" },
  });
  globalThis.Date = VirtualDate as unknown as DateConstructor;
  return function restoreRealDate(): void {
    globalThis.Date = RealDate;
  };
}
