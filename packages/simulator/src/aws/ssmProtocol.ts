import { createHash } from "node:crypto";
import { epochSeconds, optionalArray, requiredString } from "./awsWire.js";
import { AwsServiceError } from "./errors.js";
import type { SsmBackend, SsmParameter } from "./ServiceBackends.js";

/** The operations the local SSM endpoint serves (JSON 1.1 `AmazonSSM.<name>`). */
export const SSM_OPERATIONS = ["GetParameter", "GetParameters"] as const;

/** Where the endpoint's ARNs live. */
export interface SsmArnContext {
  readonly region: string;
  readonly accountId: string;
}

/**
 * A SecureString read without `WithDecryption` gives the KMS ciphertext in AWS, base64. Here it is
 * a base64 digest of the value: opaque and stable, and never the clear text.
 */
function ciphertextOf(value: string): string {
  return createHash("sha256").update(`rebound-kms:${value}`).digest("base64");
}

function parameterJson(parameter: SsmParameter, withDecryption: boolean, context: SsmArnContext): unknown {
  const path = parameter.name.startsWith("/") ? parameter.name.slice(1) : parameter.name;
  return {
    Name: parameter.name,
    Type: parameter.type,
    Value:
      parameter.type === "SecureString" && !withDecryption ? ciphertextOf(parameter.value) : parameter.value,
    Version: parameter.version,
    ...(parameter.lastModifiedDateMs === undefined
      ? {}
      : { LastModifiedDate: epochSeconds(parameter.lastModifiedDateMs) }),
    ARN: `arn:aws:ssm:${context.region}:${context.accountId}:parameter/${path}`,
    DataType: parameter.dataType ?? "text",
  };
}

/** Runs one SSM operation on the JSON input. */
export async function runSsmOperation(
  operation: string,
  input: Record<string, unknown>,
  backend: SsmBackend,
  context: SsmArnContext,
): Promise<unknown> {
  const withDecryption = input["WithDecryption"] === true;
  switch (operation) {
    case "GetParameter": {
      const name = requiredString(input, "Name");
      return { Parameter: parameterJson(await backend.getParameter({ name }), withDecryption, context) };
    }
    case "GetParameters": {
      const names = (optionalArray(input, "Names") ?? []).filter(
        (name): name is string => typeof name === "string",
      );
      if (names.length < 1 || names.length > 10) {
        throw new AwsServiceError(
          "ValidationException",
          `1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length between 1 and 10 (got ${names.length})`,
          400,
        );
      }
      const parameters: unknown[] = [];
      const invalid: string[] = [];
      for (const name of names) {
        try {
          parameters.push(parameterJson(await backend.getParameter({ name }), withDecryption, context));
        } catch (error) {
          // AWS lists missing names in InvalidParameters instead of failing the call.
          if (error instanceof AwsServiceError && error.code === "ParameterNotFound") invalid.push(name);
          else throw error;
        }
      }
      return { Parameters: parameters, InvalidParameters: invalid };
    }
    default:
      throw new AwsServiceError(
        "UnknownOperationException",
        `Rebound's local SSM endpoint does not implement ${operation}; it serves ${SSM_OPERATIONS.join(", ")}`,
        400,
      );
  }
}
