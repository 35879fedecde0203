import type { TerraformConstructor } from "cdktf/lib/testing/matchers.js";
import { getToHaveResourceWithProperties } from "cdktf/lib/testing/matchers.js";
import { expect } from "vitest";

// cdktf's Testing matchers are written for jest; vitest's expect.extend takes the same shape.
const toHaveResourceWithProperties = getToHaveResourceWithProperties();

expect.extend({
  toHaveResourceWithProperties(
    received: string,
    resource: TerraformConstructor,
    properties: Record<string, unknown>,
  ) {
    const result = toHaveResourceWithProperties(received, resource, properties);
    return { pass: result.pass, message: () => result.message };
  },
});

declare module "vitest" {
  // biome-ignore lint/suspicious/noExplicitAny: must match vitest's own declaration to merge.
  interface Matchers<T = any> {
    /** Synthesized JSON has a resource of this class whose attributes include `properties` (deep, partial). */
    toHaveResourceWithProperties(resource: TerraformConstructor, properties: Record<string, unknown>): T;
  }
}
