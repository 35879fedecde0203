import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js";
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping/index.js";
import type { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue/index.js";
import { SqsQueueRedriveAllowPolicy } from "@cdktf/provider-aws/lib/sqs-queue-redrive-allow-policy/index.js";
import { Fn, Lazy } from "cdktf";
import { Construct } from "constructs";
import { DAY_SECONDS } from "../constants.js";
import { InvalidPropsError } from "../errors.js";
import { PropChecks } from "../PropChecks.js";
import { MessageQueue } from "./MessageQueue.js";
import { metricAlarm } from "./metricAlarm.js";
import type { NodeFunction } from "./NodeFunction.js";

/** Props of {@link DeadLetterAlerts}. */
export interface DeadLetterAlertsProps {
  /** The dlq-alerts function: one Slack message per failed event. */
  readonly fn: NodeFunction;
  /** Prefix of alarm names (`<prefix>-<label>-arrived`, `<prefix>-<label>-not-drained`). */
  readonly namePrefix: string;
  /** AWS region of the stack (for the SSM parameter ARN). */
  readonly region: string;
  /** Name of the SQS queue created as the last resort of the alert function itself (alarm only, never consumed, so alerts never loop). */
  readonly alertsDeadLetterQueueName: string;
  /** SNS topic the alarms notify (an {@link AlarmTopic}'s `topicArn`). */
  readonly alarmTopicArn: string;
  /** Name of the SSM SecureString holding the Slack webhook URL. Created outside the stack: the stack never contains the secret. */
  readonly slackWebhookParameterName: string;
  /** KMS key of that parameter when it is not the AWS managed aws/ssm key (which every principal of the account may already use). Default none. */
  readonly slackWebhookKmsKeyArn?: string;
  /** Receives of a failed alert before it moves to the alerts DLQ, 1-1000. Default 5. */
  readonly maxReceiveCount?: number;
  /** Failed events per alert invocation, 1-10. Default 10. */
  readonly batchSize?: number;
}

/** Options of {@link DeadLetterAlerts.watch}. */
export interface WatchOptions {
  /** Short label for the alarm name and description, such as `payments-dlq`. */
  readonly label: string;
  /** What put messages there, for the alarm description (e.g. "SQS redrive after 5 receives"). */
  readonly source: string;
}

/** SQS's limit on queues named in one `byQueue` redrive allow policy. */
const MAX_REDRIVE_SOURCES = 10;

/**
 * Puts every failed event in front of a person. For each watched queue (a DLQ, an on-failure
 * destination, a parking queue): an event source mapping to the dlq-alerts function, an alarm when
 * messages arrive, and an alarm when the queue is not drained for 15 minutes (the alert function is
 * failing). The arrival alarm adds NumberOfMessagesSent (sends by code and by Lambda destinations) to
 * NumberOfMessagesReceived: SQS does not count a redrive-policy move as a send, but dlq-alerts receives
 * every arrival within seconds, so the sum is above 0 whenever anything arrived, while the depth
 * (ApproximateNumberOfMessagesVisible) stays near 0 because dlq-alerts deletes what it alerted on. A failing alert is redelivered
 * up to `maxReceiveCount` times, then lands in the alerts DLQ, which only alarms (no function reads
 * it, so a broken Slack never loops). The Slack webhook stays in SSM: the stack passes its name and
 * grants `ssm:GetParameter` on that one parameter.
 *
 * @example
 * ```ts
 * import { DeadLetterAlerts } from "@rebound/infra/constructs/DeadLetterAlerts";
 * const alerts = new DeadLetterAlerts(stack, "alerts", { fn, namePrefix: "rebound-dev", region: "eu-west-1",
 *   alertsDeadLetterQueueName: "rebound-dev-alerts-dlq", slackWebhookParameterName: "/rebound/dev/slack-webhook" });
 * alerts.watch(payments.deadLetterQueue, { label: "payments-dlq", source: "payments queue redrive" });
 * ```
 */
export class DeadLetterAlerts extends Construct {
  public readonly alertsDeadLetterQueue: MessageQueue;
  public readonly alarmTopicArn: string;
  private readonly props: DeadLetterAlertsProps;
  private readonly watchedArns: string[] = [];

  public constructor(scope: Construct, id: string, props: DeadLetterAlertsProps) {
    super(scope, id);
    const checks = new PropChecks(`DeadLetterAlerts ${id}`, props, [
      "fn",
      "namePrefix",
      "region",
      "alertsDeadLetterQueueName",
      "alarmTopicArn",
      "slackWebhookParameterName",
      "slackWebhookKmsKeyArn",
      "maxReceiveCount",
      "batchSize",
    ]);
    checks.string(
      "slackWebhookParameterName",
      props.slackWebhookParameterName,
      /^\/?[A-Za-z0-9_.\-/]{1,1011}$/,
      "an SSM parameter name such as /rebound/dev/slack-webhook",
    );
    checks.require(
      typeof props.alarmTopicArn === "string" && props.alarmTopicArn !== "",
      `alarmTopicArn is required (an AlarmTopic's topicArn or an SNS topic ARN), got ${JSON.stringify(props.alarmTopicArn)}`,
    );
    checks.integer("maxReceiveCount", props.maxReceiveCount, 1, 1000);
    checks.integer("batchSize", props.batchSize, 1, 10);
    checks.throwIfAny();
    this.props = props;

    this.alertsDeadLetterQueue = new MessageQueue(this, "alerts-dlq", {
      queueName: props.alertsDeadLetterQueueName,
      messageRetentionSeconds: 14 * DAY_SECONDS,
    });
    new SqsQueueRedriveAllowPolicy(this, "alerts-dlq-redrive-allow", {
      queueUrl: this.alertsDeadLetterQueue.url,
      redriveAllowPolicy: Lazy.stringValue({
        produce: () => JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: this.watchedArns }),
      }),
    });
    this.alarmTopicArn = props.alarmTopicArn;
    // Nothing consumes the alerts DLQ (so a broken Slack never loops), and a redrive move is not a
    // send: its depth is the signal.
    metricAlarm(this, "alerts-dlq-alarm", {
      alarmName: `${props.namePrefix}-alerts-dlq-not-empty`,
      alarmDescription:
        "dlq-alerts failed to deliver alerts (Slack down or rejecting, SSM unreadable): failed events are waiting in alerts-dlq. Fix dlq-alerts, then redrive alerts-dlq to the queues named in each message.",
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: this.alertsDeadLetterQueue.name },
      statistic: "Maximum",
      topicArn: this.alarmTopicArn,
    });

    // The function's role ARN gives the partition and account without a data source, so synth and
    // plan stay offline (arn:<partition>:iam::<account>:role/<name>).
    const arnParts = Fn.split(":", props.fn.role.arn);
    const parameterPath = props.slackWebhookParameterName.replace(/^\//, "");
    props.fn.addEnvironment("SLACK_WEBHOOK_PARAMETER_NAME", props.slackWebhookParameterName);
    props.fn.addToRolePolicy({
      Action: ["ssm:GetParameter"],
      Resource: `arn:${Fn.element(arnParts, 1)}:ssm:${props.region}:${Fn.element(arnParts, 4)}:parameter/${parameterPath}`,
    });
    if (props.slackWebhookKmsKeyArn !== undefined) {
      props.fn.addToRolePolicy({
        Action: ["kms:Decrypt"],
        Resource: props.slackWebhookKmsKeyArn,
        Condition: { StringEquals: { "kms:ViaService": `ssm.${props.region}.amazonaws.com` } },
      });
    }
  }

  /**
   * Alerts on one queue: alarm, alert function mapping, redrive of failed alerts to the alerts DLQ,
   * and a visibility timeout of at least 6 x the alert function's timeout. The queue's retention must
   * be shorter than the alerts DLQ's 14 days (SQS keeps the original enqueue time on redrive).
   */
  public watch(queue: SqsQueue, options: WatchOptions): void {
    const problems: string[] = Object.keys(options)
      .filter((key) => key !== "label" && key !== "source")
      .map((key) => `unknown option "${key}"; expected label, source`);
    if (typeof options.label !== "string" || !/^[a-z0-9-]{1,40}$/.test(options.label)) {
      problems.push(
        `label must be 1-40 of a-z 0-9 - (it names the alarm), got ${JSON.stringify(options.label)}`,
      );
    }
    if (this.watchedArns.length >= MAX_REDRIVE_SOURCES) {
      problems.push(
        `at most ${MAX_REDRIVE_SOURCES} queues can redrive to one alerts DLQ; create a second DeadLetterAlerts`,
      );
    }
    const retention = queue.messageRetentionSecondsInput ?? 4 * DAY_SECONDS;
    if (retention >= 14 * DAY_SECONDS) {
      problems.push(
        `queue ${options.label} keeps messages ${retention} s, not less than the alerts DLQ's ${14 * DAY_SECONDS} s; lower its retention (7 days is plenty to alert and redrive)`,
      );
    }
    if (queue.fifoQueueInput === true) {
      problems.push(
        `queue ${options.label} is FIFO; the alerts DLQ is a standard queue and SQS cannot redrive FIFO to standard`,
      );
    }
    if (problems.length > 0) throw new InvalidPropsError(`DeadLetterAlerts ${this.node.id}.watch`, problems);

    const fn = this.props.fn;
    this.watchedArns.push(queue.arn);
    const minimumVisibility = 6 * fn.timeout;
    if ((queue.visibilityTimeoutSecondsInput ?? 30) < minimumVisibility) {
      queue.visibilityTimeoutSeconds = minimumVisibility;
    }
    queue.redrivePolicy = JSON.stringify({
      deadLetterTargetArn: this.alertsDeadLetterQueue.arn,
      maxReceiveCount: this.props.maxReceiveCount ?? 5,
    });
    this.alarm(queue, options);
    new LambdaEventSourceMapping(this, `${options.label}-mapping`, {
      functionName: fn.arn,
      eventSourceArn: queue.arn,
      batchSize: this.props.batchSize ?? 10,
      maximumBatchingWindowInSeconds: 0,
      functionResponseTypes: ["ReportBatchItemFailures"],
    });
    fn.addToRolePolicy({
      Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
      Resource: queue.arn,
    });
  }

  private alarm(queue: SqsQueue, options: WatchOptions): void {
    const topic = [this.alarmTopicArn];
    const sqsMetric = (metricName: string) => ({
      metric: {
        namespace: "AWS/SQS",
        metricName,
        dimensions: { QueueName: queue.name },
        stat: "Sum",
        period: 60,
      },
    });
    new CloudwatchMetricAlarm(this, `${options.label}-arrival-alarm`, {
      alarmName: `${this.props.namePrefix}-${options.label}-arrived`,
      alarmDescription: `A failed event arrived in ${options.label} (${options.source}). Read the Slack alert, fix the cause, then redrive.`,
      metricQuery: [
        { id: "sent", ...sqsMetric("NumberOfMessagesSent") },
        { id: "received", ...sqsMetric("NumberOfMessagesReceived") },
        {
          id: "arrivals",
          expression: "FILL(sent, 0) + FILL(received, 0)",
          label: "messages sent or received",
          returnData: true,
        },
      ],
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      // SQS stops publishing metrics for a queue that has been empty and idle for 6 hours.
      treatMissingData: "notBreaching",
      alarmActions: topic,
      okActions: topic,
    });
    metricAlarm(this, `${options.label}-alarm`, {
      alarmName: `${this.props.namePrefix}-${options.label}-not-drained`,
      alarmDescription: `Failed events have waited in ${options.label} for 15 minutes: dlq-alerts is not draining it (see its errors alarm and logs).`,
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: queue.name },
      statistic: "Maximum",
      evaluationPeriods: 15,
      topicArn: this.alarmTopicArn,
    });
  }
}
