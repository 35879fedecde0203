import { Construct } from "constructs";
import { PropChecks } from "../PropChecks.js";
import { metricAlarm } from "./metricAlarm.js";
import type { NodeFunction } from "./NodeFunction.js";
import type { Workflow } from "./Workflow.js";

/** Props of {@link OperationalAlarms}. */
export interface OperationalAlarmsProps {
  /** Prefix of the alarm names. */
  readonly namePrefix: string;
  /** The topic the alarms notify. */
  readonly topicArn: string;
}

/**
 * Alarms on what fails outside the failure queues: each function's `Errors` (a failed invocation,
 * retried or not) and `Throttles` (invocations Lambda refused for lack of concurrency), and each
 * state machine's `ExecutionsFailed` and `ExecutionsTimedOut` (a failed execution leaves no message in
 * any queue, so nothing else would tell anyone).
 *
 * @example
 * ```ts
 * import { OperationalAlarms } from "@rebound/infra/constructs/OperationalAlarms";
 * const alarms = new OperationalAlarms(stack, "operational-alarms", { namePrefix: "rebound-dev", topicArn });
 * alarms.watchFunction(receipts);
 * alarms.watchStateMachine(fulfillment);
 * ```
 */
export class OperationalAlarms extends Construct {
  private readonly props: OperationalAlarmsProps;

  public constructor(scope: Construct, id: string, props: OperationalAlarmsProps) {
    super(scope, id);
    const checks = new PropChecks(`OperationalAlarms ${id}`, props, ["namePrefix", "topicArn"]);
    checks.string(
      "namePrefix",
      props.namePrefix,
      /^[a-z][a-z0-9-]{0,23}$/,
      "1-24 of a-z 0-9 - starting with a letter",
    );
    checks.throwIfAny();
    this.props = props;
  }

  /** `Errors` > 0 and `Throttles` > 0 in a minute, per function. */
  public watchFunction(fn: NodeFunction): void {
    const dimensions = { FunctionName: fn.functionName };
    metricAlarm(this, `${fn.node.id}-errors`, {
      alarmName: `${fn.functionName}-errors`,
      alarmDescription: `${fn.functionName} failed at least one invocation. Its retries and failure queues decide what happens to the event; read its log group for the error.`,
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions,
      topicArn: this.props.topicArn,
    });
    metricAlarm(this, `${fn.node.id}-throttles`, {
      alarmName: `${fn.functionName}-throttles`,
      alarmDescription: `Lambda refused invocations of ${fn.functionName} for lack of concurrency. Events wait or retry; raise the account or reserved concurrency if it persists.`,
      namespace: "AWS/Lambda",
      metricName: "Throttles",
      dimensions,
      topicArn: this.props.topicArn,
    });
  }

  /** `ExecutionsFailed` > 0 and `ExecutionsTimedOut` > 0 in a minute, per state machine. */
  public watchStateMachine(workflow: Workflow): void {
    const dimensions = { StateMachineArn: workflow.arn };
    const name = workflow.stateMachineName;
    metricAlarm(this, `${workflow.node.id}-failed`, {
      alarmName: `${name}-executions-failed`,
      alarmDescription: `An execution of ${name} failed (after its Retry and Catch). Open the execution in the Step Functions console to see which state and why.`,
      namespace: "AWS/States",
      metricName: "ExecutionsFailed",
      dimensions,
      topicArn: this.props.topicArn,
    });
    metricAlarm(this, `${workflow.node.id}-timed-out`, {
      alarmName: `${name}-executions-timed-out`,
      alarmDescription: `An execution of ${name} hit its TimeoutSeconds. Open it in the Step Functions console to see where it waited.`,
      namespace: "AWS/States",
      metricName: "ExecutionsTimedOut",
      dimensions,
      topicArn: this.props.topicArn,
    });
  }
}
