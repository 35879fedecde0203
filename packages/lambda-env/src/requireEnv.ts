/**
 * Reads required environment variables, failing at cold start with one message naming every missing
 * one (a misconfigured function should never get as far as a request).
 *
 * @example
 * ```ts
 * import { requireEnv } from "@rebound/lambda-env";
 * const { ORDERS_TABLE_NAME } = requireEnv(process.env, ["ORDERS_TABLE_NAME"]);
 * ```
 */
export function requireEnv<const K extends string>(
  env: Readonly<Record<string, string | undefined>>,
  names: readonly K[],
): Record<K, string> {
  const missing = names.filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new Error(
      `missing environment variable(s) ${missing.join(", ")}: set them on the function (infra sets them)`,
    );
  }
  return Object.fromEntries(names.map((name) => [name, env[name]])) as Record<K, string>;
}
