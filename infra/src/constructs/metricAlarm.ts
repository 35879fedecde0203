import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js";
import type { Construct } from "constructs";

/** One CloudWatch alarm on one AWS metric, as {@link metricAlarm} creates it. */
export interface MetricAlarmSpec {
  readonly alarmName: string;
  /** What happened and what to do, shown in the notification. */
  readonly alarmDescription: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** Default Sum. */
  readonly statistic?: "Sum" | "Maximum";
  /** Seconds per period. Default 60. */
  readonly period?: number;
  /** Consecutive breaching periods before the alarm fires. Default 1. */
  readonly evaluationPeriods?: number;
  /** The alarm fires when the statistic is greater than this. Default 0. */
  readonly threshold?: number;
  readonly topicArn: string;
}

/**
 * A "greater than threshold" alarm that notifies a topic when it fires and when it recovers. Missing
 * data counts as fine: AWS publishes these metrics only while something happens, so silence means
 * nothing failed.
 *
 * @example
 * ```ts
 * import { metricAlarm } from "@rebound/infra/constructs/metricAlarm";
 * metricAlarm(scope, "errors", { alarmName: "rebound-dev-receipts-errors", alarmDescription: "…",
 *   namespace: "AWS/Lambda", metricName: "Errors", dimensions: { FunctionName: "rebound-dev-receipts" }, topicArn });
 * ```
 */
export function metricAlarm(scope: Construct, id: string, spec: MetricAlarmSpec): CloudwatchMetricAlarm {
  return new CloudwatchMetricAlarm(scope, id, {
    alarmName: spec.alarmName,
    alarmDescription: spec.alarmDescription,
    namespace: spec.namespace,
    metricName: spec.metricName,
    dimensions: { ...spec.dimensions },
    statistic: spec.statistic ?? "Sum",
    period: spec.period ?? 60,
    evaluationPeriods: spec.evaluationPeriods ?? 1,
    threshold: spec.threshold ?? 0,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
    alarmActions: [spec.topicArn],
    okActions: [spec.topicArn],
  });
}
