import { epochSeconds, optionalString, requiredString } from "./awsWire.js";
import { AwsServiceError } from "./errors.js";
import type { SfnBackend } from "./ServiceBackends.js";

/** The operations the local Step Functions endpoint serves (JSON 1.0 `AWSStepFunctions.<name>`). */
export const SFN_OPERATIONS = ["StartExecution", "DescribeExecution"] as const;

/** 256 KiB: Step Functions' limit on an execution input. */
const MAX_INPUT_BYTES = 262_144;

/**
 * Step Functions execution names: 1 to 80 characters, none of whitespace, brackets `< > { } [ ]`,
 * wildcards `? *`, special characters `" # % \ ^ | ~ \` $ & , ; : /` or control characters.
 */
const INVALID_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;

function hasControlCharacter(name: string): boolean {
  for (const char of name) {
    const code = char.codePointAt(0)!;
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/** Runs one Step Functions operation on the JSON input (lowerCamel members, as AWS names them). */
export async function runSfnOperation(
  operation: string,
  input: Record<string, unknown>,
  backend: SfnBackend,
): Promise<unknown> {
  switch (operation) {
    case "StartExecution": {
      const stateMachineArn = requiredString(input, "stateMachineArn");
      const name = optionalString(input, "name");
      if (
        name !== undefined &&
        (name.length === 0 || name.length > 80 || INVALID_NAME.test(name) || hasControlCharacter(name))
      ) {
        throw new AwsServiceError("InvalidName", `Invalid Name: '${name}'`, 400);
      }
      const executionInput = optionalString(input, "input") ?? "{}";
      if (Buffer.byteLength(executionInput) > MAX_INPUT_BYTES) {
        throw new AwsServiceError(
          "InvalidExecutionInput",
          `Invalid State Machine Execution Input: input is larger than ${MAX_INPUT_BYTES} bytes`,
          400,
        );
      }
      try {
        JSON.parse(executionInput);
      } catch {
        throw new AwsServiceError(
          "InvalidExecutionInput",
          "Invalid State Machine Execution Input: not valid JSON",
          400,
        );
      }
      const traceHeader = optionalString(input, "traceHeader");
      const out = await backend.startExecution({
        stateMachineArn,
        name,
        input: executionInput,
        ...(traceHeader === undefined ? {} : { traceHeader }),
      });
      return { executionArn: out.executionArn, startDate: epochSeconds(out.startDateMs) };
    }
    case "DescribeExecution": {
      const executionArn = requiredString(input, "executionArn");
      const out = await backend.describeExecution({ executionArn });
      return {
        executionArn: out.executionArn,
        stateMachineArn: out.stateMachineArn,
        name: out.name,
        status: out.status,
        startDate: epochSeconds(out.startDateMs),
        ...(out.stopDateMs === undefined ? {} : { stopDate: epochSeconds(out.stopDateMs) }),
        ...(out.input === undefined ? {} : { input: out.input, inputDetails: { included: true } }),
        ...(out.output === undefined ? {} : { output: out.output, outputDetails: { included: true } }),
        ...(out.error === undefined ? {} : { error: out.error }),
        ...(out.cause === undefined ? {} : { cause: out.cause }),
      };
    }
    default:
      throw new AwsServiceError(
        "UnknownOperationException",
        `Rebound's local Step Functions endpoint does not implement ${operation}; it serves ${SFN_OPERATIONS.join(", ")}`,
        400,
      );
  }
}
