import { KmsKey } from "@cdktf/provider-aws/lib/kms-key/index.js";
import { KmsKeyPolicy } from "@cdktf/provider-aws/lib/kms-key-policy/index.js";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic/index.js";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription/index.js";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import { PropChecks } from "../PropChecks.js";

/** Props of {@link AlarmTopic}. */
export interface AlarmTopicProps {
  /** Prefix of the topic name (`<prefix>-alarms`). */
  readonly namePrefix: string;
  /** An existing topic to notify instead of creating one (its subscriptions are then its owner's business unless `email` is set). Default: create the topic. */
  readonly topicArn?: string;
  /** Address to subscribe (SNS e-mail protocol: its owner confirms once from the e-mail SNS sends). Default none. */
  readonly email?: string;
}

/**
 * The SNS topic every alarm notifies, and who it reaches. A created topic is encrypted with its own
 * KMS key, because CloudWatch can publish to an encrypted topic only through a customer managed key
 * whose policy lets it; that policy admits CloudWatch only for this account's alarms
 * (`aws:SourceAccount`, `aws:SourceArn`), so another account's alarm cannot use the key.
 * The policy rule `rebound/alarm-topic-subscription` fails synthesis when a topic that alarms notify
 * has no subscription, so set `email` (or subscribe another endpoint) for alarms to reach a person.
 *
 * @example
 * ```ts
 * import { AlarmTopic } from "@rebound/infra/constructs/AlarmTopic";
 * const alarms = new AlarmTopic(stack, "alarm-topic", { namePrefix: "rebound-prod", email: "oncall@example.com" });
 * alarms.topicArn; // pass to alarm_actions
 * ```
 */
export class AlarmTopic extends Construct {
  /** ARN of the topic alarms notify. */
  public readonly topicArn: string;
  /** The created topic; undefined when an existing `topicArn` was given. */
  public readonly topic: SnsTopic | undefined;

  public constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const checks = new PropChecks(`AlarmTopic ${id}`, props, ["namePrefix", "topicArn", "email"]);
    checks.string(
      "namePrefix",
      props.namePrefix,
      /^[a-z][a-z0-9-]{0,23}$/,
      "1-24 of a-z 0-9 - starting with a letter",
    );
    checks.require(
      props.topicArn === undefined || /^arn:aws[a-z-]*:sns:/.test(props.topicArn),
      `topicArn must be an SNS topic ARN, got ${JSON.stringify(props.topicArn)}`,
    );
    checks.require(
      props.email === undefined || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(props.email),
      `email must be an e-mail address such as oncall@example.com, got ${JSON.stringify(props.email)}`,
    );
    checks.throwIfAny();

    if (props.topicArn !== undefined) {
      this.topicArn = props.topicArn;
      this.topic = undefined;
    } else {
      const key = new KmsKey(this, "key", {
        description: `${props.namePrefix} alarm topic encryption`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
      });
      // The key's own ARN gives partition, region and account without a data source, so synth and plan
      // stay offline (arn:<partition>:kms:<region>:<account>:key/<id>); a separate policy resource
      // avoids the cycle an inline policy referring to its own key would make.
      const arnParts = Fn.split(":", key.arn);
      const partition = Fn.element(arnParts, 1);
      const region = Fn.element(arnParts, 3);
      const account = Fn.element(arnParts, 4);
      new KmsKeyPolicy(this, "key-policy", {
        keyId: key.keyId,
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "AccountAdministers",
              Effect: "Allow",
              Principal: { AWS: `arn:${partition}:iam::${account}:root` },
              Action: "kms:*",
              Resource: "*",
            },
            {
              Sid: "CloudWatchAlarmsOfThisAccountPublish",
              Effect: "Allow",
              Principal: { Service: "cloudwatch.amazonaws.com" },
              Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
              Resource: "*",
              Condition: {
                StringEquals: { "aws:SourceAccount": account },
                ArnLike: { "aws:SourceArn": `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` },
              },
            },
          ],
        }),
      });
      this.topic = new SnsTopic(this, "topic", {
        name: `${props.namePrefix}-alarms`,
        kmsMasterKeyId: key.arn,
      });
      this.topicArn = this.topic.arn;
    }
    if (props.email !== undefined) {
      new SnsTopicSubscription(this, "email", {
        topicArn: this.topicArn,
        protocol: "email",
        endpoint: props.email,
      });
    }
  }
}
