import { afterEach, describe, expect, it } from "vitest";

/** What an app's built bundle must show. */
export interface BundleSpec {
  /** `new URL("../dist/index.mjs", import.meta.url).href` from the app's test. */
  readonly bundleUrl: string;
  /** The environment the function needs at cold start (values only need the right shape). */
  readonly environment: Readonly<Record<string, string>>;
  /** The exports Lambda's `handler` setting names. */
  readonly exports: readonly string[];
  /** A variable whose absence must fail the cold start with its name in the error. */
  readonly required: string;
}

/**
 * Checks the built bundle that Lambda and the simulator load: once its environment is set it exports
 * the handlers, and without a required variable its cold start fails naming that variable.
 *
 * @example
 * ```ts
 * import { describeBundle } from "@rebound/testing";
 * describeBundle({
 *   bundleUrl: new URL("../dist/index.mjs", import.meta.url).href,
 *   environment: { STATE_MACHINE_ARN: "arn:aws:states:us-east-1:123456789012:stateMachine:x" },
 *   exports: ["handler"],
 *   required: "STATE_MACHINE_ARN",
 * });
 * ```
 */
export function describeBundle(spec: BundleSpec): void {
  describe("dist/index.mjs", () => {
    afterEach(() => {
      for (const name of Object.keys(spec.environment)) delete process.env[name];
    });

    it(`exports ${spec.exports.join(", ")} as functions once its environment is set`, async () => {
      Object.assign(process.env, spec.environment, { AWS_REGION: "us-east-1" });
      const bundle = (await import(`${spec.bundleUrl}?configured`)) as Record<string, unknown>;
      for (const name of spec.exports) expect(typeof bundle[name]).toBe("function");
    });

    it(`fails its cold start naming the missing ${spec.required}`, async () => {
      Object.assign(process.env, spec.environment, { AWS_REGION: "us-east-1" });
      delete process.env[spec.required];
      await expect(import(`${spec.bundleUrl}?missing`)).rejects.toThrow(spec.required);
    });
  });
}
