import type { TerraformStack } from "cdktf";
import { Testing } from "cdktf";

/** Synthesizes with validations; returns the rule ids named by the failure (empty when it passes) and its message. */
export function synthErrors(stack: TerraformStack): { rules: string[]; message: string } {
  try {
    Testing.synth(stack, true);
    return { rules: [], message: "" };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const rules = [
      ...new Set([...message.matchAll(/\] (rebound\/[a-z0-9-]+):/g)].map((match) => match[1]!)),
    ].sort();
    return { rules, message };
  }
}
