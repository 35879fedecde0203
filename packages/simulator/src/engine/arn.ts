/** The parts of an ARN Rebound routes by. */
export interface ParsedArn {
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  /** Everything after the account: `my-queue`, `function:pay`, `event-bus/default`, `my-bucket`. */
  readonly resource: string;
}

/**
 * Splits an ARN (`arn:aws:sqs:us-east-1:123456789012:orders`) into service, region, account and resource;
 * undefined when the string is not an ARN.
 *
 * @example
 * ```ts
 * import { parseArn } from "@rebound/simulator";
 * parseArn("arn:aws:lambda:us-east-1:123456789012:function:pay")?.resource; // "function:pay"
 * ```
 */
export function parseArn(arn: string): ParsedArn | undefined {
  if (typeof arn !== "string" || !arn.startsWith("arn:")) return undefined;
  const parts = arn.split(":");
  if (parts.length < 6) return undefined;
  return {
    service: parts[2]!,
    region: parts[3]!,
    accountId: parts[4]!,
    resource: parts.slice(5).join(":"),
  };
}
