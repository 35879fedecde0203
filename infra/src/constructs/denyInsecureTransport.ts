import type { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue/index.js";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy/index.js";
import type { Construct } from "constructs";

/**
 * Attaches a queue policy that denies every request not made over TLS (`aws:SecureTransport` false),
 * whoever makes it: IAM grants say who may use a queue, this says how. AWS's SDKs, Lambda's pollers
 * and destinations already use HTTPS, so only a misconfigured client is refused.
 *
 * @example
 * ```ts
 * import { denyInsecureTransport } from "@rebound/infra/constructs/denyInsecureTransport";
 * denyInsecureTransport(this, "queue-tls-only", queue);
 * ```
 */
export function denyInsecureTransport(scope: Construct, id: string, queue: SqsQueue): SqsQueuePolicy {
  return new SqsQueuePolicy(scope, id, {
    queueUrl: queue.url,
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "sqs:*",
          Resource: queue.arn,
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    }),
  });
}
