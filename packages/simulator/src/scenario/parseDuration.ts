const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

/**
 * Parses a scenario duration into milliseconds: a number of seconds (`90`, `0.5`) or a string of
 * one or more `<number><unit>` parts with units ms, s, m, h, d (`"250ms"`, `"2m"`, `"1h30m"`).
 * Returns `undefined` for anything else (the caller reports it with the line); negative values
 * are not durations.
 *
 * @example
 * ```ts
 * import { parseDuration } from "@rebound/simulator";
 * parseDuration("1m30s"); // 90000
 * parseDuration(2);       // 2000
 * ```
 */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === "number") {
    return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  }
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  PART.lastIndex = 0;
  let totalMs = 0;
  let consumed = 0;
  for (let match = PART.exec(text); match !== null; match = PART.exec(text)) {
    totalMs += Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
    consumed = PART.lastIndex;
  }
  return consumed === text.length ? Math.round(totalMs) : undefined;
}
