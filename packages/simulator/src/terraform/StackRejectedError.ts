import { ConfigurationError } from "../engine/errors.js";

/** One setting AWS would refuse at deploy time, with AWS's own error and Rebound's fix. */
export interface AwsRejection {
  /** The Terraform address of the resource (`aws_lambda_event_source_mapping.worker`). */
  readonly address: string;
  /** AWS's error code (`InvalidParameterValueException`, `ValidationException`, …). */
  readonly code: string;
  /** The HTTP status AWS answers with (400, 404, 409). */
  readonly httpStatus: number;
  /** AWS's message, word for word where a recording of it exists (docs/aws-semantics.md#deploy-time-validation). */
  readonly awsMessage: string;
  /** How to change the stack so AWS accepts it. */
  readonly hint: string;
  /** The API call AWS refuses (`CreateEventSourceMapping`). */
  readonly operation: string;
}

/**
 * A stack AWS would refuse to deploy: every rejection at once, each with AWS's error code, status
 * and message, the Terraform address and a fix. Thrown by `loadStack` before anything is built, so
 * `simulate`, `explain` and `init` refuse the same stacks with the same words.
 *
 * @example
 * ```ts
 * try { loadStack(tf, topology, options); } catch (error) {
 *   if (error instanceof StackRejectedError) for (const line of error.lines()) console.error(line);
 * }
 * ```
 */
export class StackRejectedError extends ConfigurationError {
  public constructor(public readonly rejections: readonly AwsRejection[]) {
    super(
      rejections[0]?.address ?? "stack",
      `AWS would refuse this stack (${rejections.length} problem${rejections.length === 1 ? "" : "s"}):\n${rejections.map(formatRejection).join("\n")}`,
    );
    this.name = "StackRejectedError";
  }

  /** One line per rejection, as the CLI prints them. */
  public lines(): string[] {
    return this.rejections.map(formatRejection);
  }
}

/**
 * `address: Operation fails with Code (status): AWS message; fix: hint`.
 *
 * @example
 * ```ts
 * formatRejection(rejection); // "aws_lambda_event_source_mapping.w: CreateEventSourceMapping fails with …"
 * ```
 */
export function formatRejection(rejection: AwsRejection): string {
  return `${rejection.address}: ${rejection.operation} fails with ${rejection.code} (${rejection.httpStatus}): ${rejection.awsMessage}; fix: ${rejection.hint}`;
}
