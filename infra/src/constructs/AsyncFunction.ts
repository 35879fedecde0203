import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config/index.js";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission/index.js";
import type { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic/index.js";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription/index.js";
import { Construct } from "constructs";
import { PropChecks } from "../PropChecks.js";
import { MessageQueue } from "./MessageQueue.js";
import type { NodeFunction } from "./NodeFunction.js";

/** Props of {@link AsyncFunction}. */
export interface AsyncFunctionProps {
  /** The function invoked asynchronously. */
  readonly fn: NodeFunction;
  /** Name of the SQS queue created as the on-failure destination (gets the request, the error and the attempt count). */
  readonly onFailureQueueName: string;
  /** Retention of the on-failure queue in seconds, 60-1209600. Default 1209600 (14 days). */
  readonly onFailureMessageRetentionSeconds?: number;
  /** Name of an SQS queue to create as the function's dead-letter queue (gets the bare event). Default none: the destination carries more. */
  readonly deadLetterQueueName?: string;
  /** Retries after a function error, 0-2. Default 2 (AWS's: 3 attempts over about 3 minutes). */
  readonly maximumRetryAttempts?: number;
  /** Oldest event Lambda still tries, 60-21600 seconds. Default 3600: throttled events stop retrying after an hour instead of AWS's 6 h. */
  readonly maximumEventAgeInSeconds?: number;
  /** SNS topics whose messages invoke the function. Default none. */
  readonly subscribeTo?: readonly SnsTopic[];
}

/** Resolved async settings. */
export interface AsyncFunctionSettings {
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeInSeconds: number;
}

/**
 * Defaults for asynchronous invocation: AWS's retry count, a bounded event age.
 *
 * @example
 * ```ts
 * import { asyncFunctionDefaults } from "@rebound/infra/constructs/AsyncFunction";
 * asyncFunctionDefaults({}); // { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 }
 * ```
 */
export function asyncFunctionDefaults(
  props: Pick<AsyncFunctionProps, "maximumRetryAttempts" | "maximumEventAgeInSeconds">,
): AsyncFunctionSettings {
  return {
    maximumRetryAttempts: props.maximumRetryAttempts ?? 2,
    maximumEventAgeInSeconds: props.maximumEventAgeInSeconds ?? 3600,
  };
}

/**
 * Asynchronous invocation done right: an explicit `aws_lambda_function_event_invoke_config` (retries,
 * event age) with an on-failure destination queue, so an event that fails every attempt or ages out
 * lands somewhere a person is alerted, instead of being discarded. Optionally subscribes the function
 * to SNS topics (SNS invokes Lambda asynchronously).
 *
 * @example
 * ```ts
 * import { AsyncFunction } from "@rebound/infra/constructs/AsyncFunction";
 * new AsyncFunction(stack, "receipts-async", { fn: receipts, onFailureQueueName: "rebound-dev-receipts-failures", subscribeTo: [topic] });
 * ```
 */
export class AsyncFunction extends Construct {
  public readonly invokeConfig: LambdaFunctionEventInvokeConfig;
  public readonly failureQueue: MessageQueue;
  public readonly deadLetterQueue: MessageQueue | undefined;
  public readonly settings: AsyncFunctionSettings;

  public constructor(scope: Construct, id: string, props: AsyncFunctionProps) {
    super(scope, id);
    const checks = new PropChecks(`AsyncFunction ${id}`, props, [
      "fn",
      "onFailureQueueName",
      "onFailureMessageRetentionSeconds",
      "deadLetterQueueName",
      "maximumRetryAttempts",
      "maximumEventAgeInSeconds",
      "subscribeTo",
    ]);
    checks.integer("maximumRetryAttempts", props.maximumRetryAttempts, 0, 2);
    checks.integer("maximumEventAgeInSeconds", props.maximumEventAgeInSeconds, 60, 21_600);
    checks.throwIfAny();
    this.settings = asyncFunctionDefaults(props);

    this.failureQueue = new MessageQueue(this, "on-failure", {
      queueName: props.onFailureQueueName,
      messageRetentionSeconds: props.onFailureMessageRetentionSeconds,
    });
    this.invokeConfig = new LambdaFunctionEventInvokeConfig(this, "invoke-config", {
      functionName: props.fn.function.functionName,
      maximumRetryAttempts: this.settings.maximumRetryAttempts,
      maximumEventAgeInSeconds: this.settings.maximumEventAgeInSeconds,
      destinationConfig: { onFailure: { destination: this.failureQueue.arn } },
    });
    // Lambda delivers destination records with the function's execution role.
    props.fn.addToRolePolicy({ Action: ["sqs:SendMessage"], Resource: this.failureQueue.arn });

    if (props.deadLetterQueueName !== undefined) {
      this.deadLetterQueue = new MessageQueue(this, "dlq", { queueName: props.deadLetterQueueName });
      props.fn.function.putDeadLetterConfig({ targetArn: this.deadLetterQueue.arn });
      props.fn.addToRolePolicy({ Action: ["sqs:SendMessage"], Resource: this.deadLetterQueue.arn });
    }

    (props.subscribeTo ?? []).forEach((topic, index) => {
      const permission = new LambdaPermission(this, `sns-permission-${index}`, {
        statementId: `sns-${index}`,
        action: "lambda:InvokeFunction",
        functionName: props.fn.function.functionName,
        principal: "sns.amazonaws.com",
        sourceArn: topic.arn,
      });
      new SnsTopicSubscription(this, `subscription-${index}`, {
        topicArn: topic.arn,
        protocol: "lambda",
        endpoint: props.fn.arn,
        dependsOn: [permission],
      });
    });
  }
}
