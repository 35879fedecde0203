import type { TerraformJson } from "../terraform/TerraformJson.js";

/**
 * The region the stack's AWS provider names, when it is a literal; a run and the CLI's stack check
 * both use it, so simulated ARNs match the ones the stack's references resolve to.
 *
 * @example
 * ```ts
 * const region = providerRegion(TerraformJson.load(path)) ?? "eu-west-1";
 * ```
 */
export function providerRegion(tf: TerraformJson): string | undefined {
  const provider = (tf.document.provider as Record<string, unknown> | undefined)?.aws;
  const first = Array.isArray(provider) ? provider[0] : provider;
  const region = (first as Record<string, unknown> | undefined)?.region;
  return typeof region === "string" && !region.includes("${") ? region : undefined;
}
