/**
 * The name at the end of an SQS queue ARN (`arn:aws:sqs:eu-west-1:123456789012:payments-dlq` → `payments-dlq`).
 *
 * @example
 * ```ts
 * queueNameOf("arn:aws:sqs:us-east-1:123456789012:payments-dlq"); // "payments-dlq"
 * ```
 */
export function queueNameOf(arn: string): string {
  return arn.split(":").pop() ?? arn;
}

/**
 * The queue URL of an SQS queue ARN, as the AWS CLI wants it.
 *
 * @example
 * ```ts
 * queueUrlOf("arn:aws:sqs:us-east-1:123456789012:payments"); // "https://sqs.us-east-1.amazonaws.com/123456789012/payments"
 * ```
 */
export function queueUrlOf(arn: string): string {
  const [, , , region, account, name] = arn.split(":");
  return `https://sqs.${region}.amazonaws.com/${account}/${name}`;
}

/**
 * The function name of a (qualified or not) Lambda function ARN.
 *
 * @example
 * ```ts
 * functionNameOf("arn:aws:lambda:us-east-1:123456789012:function:receipts:$LATEST"); // "receipts"
 * ```
 */
export function functionNameOf(arn: string): string {
  const parts = arn.split(":");
  return parts[5] === "function" && parts[6] ? parts[6] : arn;
}
