import { StatesFailure } from "../engine/errors.js";
import { type AslPath, readAslPath, show, writeAslPath } from "./asl/aslPath.js";
import type { AslState } from "./asl/aslStateTypes.js";
import type { AslEvaluationScope, AslTemplate } from "./asl/aslTemplate.js";

// AWS Step Functions quota: 256 KiB per state input/output.
const MAX_PAYLOAD_BYTES = 262_144;

/**
 * A state's data flow, InputPath → Parameters → (task) → ResultSelector → ResultPath → OutputPath, one
 * step per function; each failure is the States error AWS raises, with AWS's wording.
 *
 * @example
 * ```ts
 * const effective = applyInputPath(state.inputPath, input);
 * const output = applyOutputPath(state.outputPath, applyResultPath(state.resultPath, input, result));
 * ```
 */
export function applyInputPath(path: AslPath | null, input: unknown): unknown {
  if (path === null) return {};
  const lookup = readAslPath(input, path);
  if (!lookup.found) {
    throw new StatesFailure(
      "States.Runtime",
      `Invalid path '${path.text}' : No results for path: ${path.text} (InputPath)`,
    );
  }
  return lookup.value;
}

/** OutputPath: null gives `{}`; a path that matches nothing is `States.Runtime`. */
export function applyOutputPath(path: AslPath | null, output: unknown): unknown {
  if (path === null) return {};
  const lookup = readAslPath(output, path);
  if (!lookup.found) {
    throw new StatesFailure(
      "States.Runtime",
      `Invalid path '${path.text}' : No results for path: ${path.text} (OutputPath)`,
    );
  }
  return lookup.value;
}

/** ResultPath: null keeps the input, `$` replaces it, a deeper path writes the result into a copy. */
export function applyResultPath(path: AslPath | null, input: unknown, result: unknown): unknown {
  if (path === null) return input;
  if (path.segments.length === 0) return result;
  const written = writeAslPath(input, path, result);
  if (written === undefined) {
    throw new StatesFailure(
      "States.ResultPathMatchFailure",
      `Unable to apply ResultPath '${path.text}' to input ${show(input)}`,
    );
  }
  return written;
}

/** Parameters: the template evaluated in `scope`, or `fallback` (the effective input) without one. */
export function applyParameters(
  template: AslTemplate | undefined,
  scope: AslEvaluationScope,
  fallback: unknown,
): unknown {
  return template === undefined ? fallback : template(scope);
}

/** A state's output over 256 KiB fails the state with `States.DataLimitExceeded`. */
export function checkPayloadSize(state: AslState, output: unknown): void {
  const text = JSON.stringify(output ?? null);
  if (text.length > MAX_PAYLOAD_BYTES && Buffer.byteLength(text, "utf8") > MAX_PAYLOAD_BYTES) {
    throw new StatesFailure(
      "States.DataLimitExceeded",
      `The state/task '${state.name}' returned a result with a size exceeding the maximum number of bytes service limit (256 KiB)`,
    );
  }
}
