import { epochSeconds, optionalString, requiredString } from "./awsWire.js";
import { AwsServiceError } from "./errors.js";
import type { SfnBackend } from "./ServiceBackends.js";

/** The operations the local Step Functions endpoint serves (JSON 1.0 `AWSStepFunctions.<name>`). */
export const SFN_OPERATIONS = ["StartExecution", "DescribeExecution", "GetExecutionHistory"] as const;

/** GetExecutionHistory's largest page (AWS: maxResults 1 to 1000, default 100). */
const MAX_HISTORY_PAGE = 1000;

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
    case "GetExecutionHistory": {
      const executionArn = requiredString(input, "executionArn");
      const reverseOrder = input.reverseOrder === true;
      const maxResults = input.maxResults === undefined ? 100 : Number(input.maxResults);
      if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > MAX_HISTORY_PAGE) {
        throw new AwsServiceError(
          "ValidationException",
          `1 validation error detected: Value '${String(input.maxResults)}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${MAX_HISTORY_PAGE}`,
          400,
        );
      }
      const events = await backend.getExecutionHistory({ executionArn, reverseOrder });
      // The page token is the index of the next event: opaque to callers, stable for a closed history.
      const start = optionalString(input, "nextToken") === undefined ? 0 : Number(input.nextToken);
      if (!Number.isInteger(start) || start < 0 || start > events.length) {
        throw new AwsServiceError("InvalidToken", `Invalid Token: '${String(input.nextToken)}'`, 400);
      }
      const size = maxResults === 0 ? 100 : maxResults;
      const page = events.slice(start, start + size);
      return {
        events: page.map((event) => ({
          id: event.id,
          previousEventId: event.previousEventId,
          timestamp: epochSeconds(event.timestampMs),
          type: event.type,
          ...event.details,
        })),
        ...(start + size < events.length ? { nextToken: String(start + size) } : {}),
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
