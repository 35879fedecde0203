import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping/index.js";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function/index.js";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue/index.js";
import { AssetType, TerraformAsset, TerraformStack } from "cdktf";
import type { Construct } from "constructs";

/** Settings that differ per environment; nothing in the stack code changes between them. */
export interface OrdersStackProps {
  readonly region: string;
  /** Prefix for every resource name, e.g. `rebound-dev`. */
  readonly namePrefix: string;
  /** Folder of each app's esbuild bundle, by app name (`payments-worker` → `apps/payments-worker/dist`). */
  readonly bundleDirs: Readonly<Record<string, string>>;
}

const FUNCTION_TIMEOUT_SECONDS = 10;

/**
 * The orders system. This first version wires the payments worker: an SQS queue with its DLQ and
 * redrive policy, and the function reading it through an event source mapping.
 *
 * @example
 * ```ts
 * import { App } from "cdktf";
 * import { OrdersStack } from "@rebound/infra";
 * new OrdersStack(new App(), "orders", { region: "eu-west-1", namePrefix: "rebound-dev", bundleDirs });
 * ```
 */
export class OrdersStack extends TerraformStack {
  public constructor(scope: Construct, id: string, props: OrdersStackProps) {
    super(scope, id);
    new AwsProvider(this, "aws", { region: props.region });

    const paymentsDlq = new SqsQueue(this, "payments-dlq", {
      name: `${props.namePrefix}-payments-dlq`,
      messageRetentionSeconds: 14 * 24 * 3600,
      sqsManagedSseEnabled: true,
    });
    const paymentsQueue = new SqsQueue(this, "payments-queue", {
      name: `${props.namePrefix}-payments`,
      visibilityTimeoutSeconds: 6 * FUNCTION_TIMEOUT_SECONDS,
      messageRetentionSeconds: 4 * 24 * 3600,
      sqsManagedSseEnabled: true,
      redrivePolicy: JSON.stringify({ deadLetterTargetArn: paymentsDlq.arn, maxReceiveCount: 5 }),
    });

    const role = new IamRole(this, "payments-worker-role", {
      name: `${props.namePrefix}-payments-worker`,
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      }),
    });
    new IamRolePolicy(this, "payments-worker-policy", {
      role: role.id,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
            Resource: paymentsQueue.arn,
          },
        ],
      }),
    });

    const code = new TerraformAsset(this, "payments-worker-code", {
      path: bundleDir(props, "payments-worker"),
      type: AssetType.ARCHIVE,
    });
    const worker = new LambdaFunction(this, "payments-worker", {
      functionName: `${props.namePrefix}-payments-worker`,
      role: role.arn,
      runtime: "nodejs22.x",
      handler: "index.handler",
      filename: code.path,
      sourceCodeHash: code.assetHash,
      timeout: FUNCTION_TIMEOUT_SECONDS,
      memorySize: 256,
      tags: { "rebound:app": "payments-worker" },
    });
    new LambdaEventSourceMapping(this, "payments-worker-mapping", {
      functionName: worker.arn,
      eventSourceArn: paymentsQueue.arn,
      batchSize: 10,
      maximumBatchingWindowInSeconds: 1,
      functionResponseTypes: ["ReportBatchItemFailures"],
    });
  }
}

function bundleDir(props: OrdersStackProps, app: string): string {
  const dir = props.bundleDirs[app];
  if (dir === undefined) {
    throw new Error(
      `No bundle folder for app "${app}". Build it first: pnpm turbo run build --filter ./apps/${app}`,
    );
  }
  return dir;
}
