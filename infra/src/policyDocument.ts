/** One IAM policy statement in AWS's own JSON shape. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect?: "Allow" | "Deny";
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/**
 * Renders statements as an IAM policy document string (Version 2012-10-17, Effect Allow unless
 * stated). Resource strings may hold cdktf tokens; Terraform resolves them at apply time.
 *
 * @example
 * ```ts
 * import { policyDocument } from "@rebound/infra/policyDocument";
 * const json = policyDocument([{ Action: ["sqs:SendMessage"], Resource: queue.arn }]);
 * ```
 */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: statements.map((statement) => ({ Effect: "Allow", ...statement })),
  });
}

/**
 * The trust policy that lets one AWS service assume a role, optionally only for one source ARN
 * (confused-deputy protection).
 *
 * @example
 * ```ts
 * import { assumeRolePolicy } from "@rebound/infra/policyDocument";
 * const trust = assumeRolePolicy("lambda.amazonaws.com");
 * ```
 */
export function assumeRolePolicy(service: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  });
}
