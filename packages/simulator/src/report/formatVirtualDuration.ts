/**
 * A virtual duration in short words: `850ms`, `42s`, `3m 05s`, `2h 03m`, `1d 04h`.
 *
 * @example
 * ```ts
 * import { formatVirtualDuration } from "@rebound/simulator";
 * formatVirtualDuration(185_000); // "3m 05s"
 * ```
 */
export function formatVirtualDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "∞";
  const sign = ms < 0 ? "-" : "";
  const abs = Math.abs(ms);
  if (abs === 0) return "0s";
  if (abs < 1000) return `${sign}${Math.round(abs)}ms`;
  const seconds = Math.floor(abs / 1000);
  if (seconds < 60) return `${sign}${abs % 1000 === 0 ? seconds : (abs / 1000).toFixed(1)}s`;
  const pad = (value: number) => String(value).padStart(2, "0");
  if (seconds < 3600) return `${sign}${Math.floor(seconds / 60)}m ${pad(seconds % 60)}s`;
  if (seconds < 86_400)
    return `${sign}${Math.floor(seconds / 3600)}h ${pad(Math.floor((seconds % 3600) / 60))}m`;
  return `${sign}${Math.floor(seconds / 86_400)}d ${pad(Math.floor((seconds % 86_400) / 3600))}h`;
}
