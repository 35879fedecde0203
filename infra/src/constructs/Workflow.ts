import { createHash } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { SfnStateMachine } from "@cdktf/provider-aws/lib/sfn-state-machine/index.js";
import { Construct } from "constructs";
import { LOG_RETENTION_DAYS } from "../constants.js";
import { InvalidStateMachineError } from "../errors.js";
import { PropChecks } from "../PropChecks.js";
import { assumeRolePolicy, policyDocument } from "../policyDocument.js";
import type { NodeFunction } from "./NodeFunction.js";

/** An Amazon States Language definition; Lambda ARNs inside may be cdktf tokens. */
export interface StateMachineDefinition {
  readonly Comment?: string;
  readonly StartAt: string;
  readonly States: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Execution timeout in seconds. */
  readonly TimeoutSeconds?: number;
}

/** Props of {@link Workflow}. */
export interface WorkflowProps {
  readonly stateMachineName: string;
  /** The definition; build Lambda tasks with `lambdaTask()`. Validated with asl-validator at construction. */
  readonly definition: StateMachineDefinition;
  /** Functions the definition invokes; the state machine's role may invoke exactly these. */
  readonly invokes: readonly NodeFunction[];
  /** Log retention in days. Default 30. */
  readonly logRetentionInDays?: number;
}

type AslValidator = (
  definition: unknown,
  options: { checkPaths: boolean; checkArn: boolean },
) => {
  isValid: boolean;
  errors: readonly { message?: string; path?: string }[];
  errorsText: (separator?: string) => string;
};

// A cdktf string token as it appears in JSON.stringify output before resolution.
const TOKEN = /\$\{TfToken\[[^\]]+\]\}/g;
const PLACEHOLDER_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:placeholder";

/**
 * Validates an ASL definition with asl-validator. Tokens are replaced by a placeholder Lambda ARN
 * first, since their values exist only at apply time. Loading asl-validator compiles its JSON schemas
 * with ajv (about 0.4 s, a fifth of the 2 s synth budget), so a definition that passed once is
 * remembered by content hash (definition + validator version) in the OS temp folder; any change to the
 * definition is validated again, and failures are never cached.
 *
 * @example
 * ```ts
 * import { validateDefinition } from "@rebound/infra/constructs/Workflow";
 * validateDefinition("demo", { StartAt: "Done", States: { Done: { Type: "Succeed" } } }); // no throw
 * ```
 */
export function validateDefinition(name: string, definition: StateMachineDefinition): void {
  const require = createRequire(import.meta.url);
  const text = JSON.stringify(definition).replace(TOKEN, PLACEHOLDER_ARN);
  const version = (require("asl-validator/package.json") as { version: string }).version;
  const key = createHash("sha256").update(`asl-validator@${version}\n${text}`).digest("hex");
  const marker = join(tmpdir(), "rebound-asl-valid", key);
  if (existsSync(marker)) return;
  const validator = require("asl-validator") as AslValidator;
  const result = validator(JSON.parse(text), { checkPaths: true, checkArn: true });
  if (!result.isValid) {
    throw new InvalidStateMachineError(
      name,
      result.errors.map((error) => `${error.path ?? ""} ${error.message ?? JSON.stringify(error)}`.trim()),
    );
  }
  mkdirSync(dirname(marker), { recursive: true });
  writeFileSync(marker, "");
}

/**
 * A Standard Step Functions state machine: definition validated at synth, a role that may invoke only
 * the listed functions, and error-level logging (without execution data, which holds customer
 * details) to a log group with retention.
 *
 * @example
 * ```ts
 * import { Workflow } from "@rebound/infra/constructs/Workflow";
 * import { lambdaTask } from "@rebound/infra/constructs/lambdaTask";
 * new Workflow(stack, "fulfillment", {
 *   stateMachineName: "rebound-dev-fulfillment",
 *   invokes: [reserve],
 *   definition: { StartAt: "Reserve", States: { Reserve: lambdaTask(reserve, { end: true }) } },
 * });
 * ```
 */
export class Workflow extends Construct {
  public readonly stateMachine: SfnStateMachine;
  public readonly role: IamRole;
  /** The state machine's name, as configured (alarm names and descriptions use it). */
  public readonly stateMachineName: string;

  public constructor(scope: Construct, id: string, props: WorkflowProps) {
    super(scope, id);
    const checks = new PropChecks(`Workflow ${id}`, props, [
      "stateMachineName",
      "definition",
      "invokes",
      "logRetentionInDays",
    ]);
    checks.string(
      "stateMachineName",
      props.stateMachineName,
      /^[A-Za-z0-9_-]{1,80}$/,
      "1-80 characters of A-Z a-z 0-9 - _",
    );
    checks.require(props.invokes.length > 0, "invokes must list the functions the definition calls");
    checks.require(
      props.logRetentionInDays === undefined ||
        (LOG_RETENTION_DAYS as readonly number[]).includes(props.logRetentionInDays),
      `logRetentionInDays must be one of ${LOG_RETENTION_DAYS.join(", ")}`,
    );
    checks.throwIfAny();
    validateDefinition(props.stateMachineName, props.definition);
    this.stateMachineName = props.stateMachineName;

    const logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retentionInDays: props.logRetentionInDays ?? 30,
    });
    this.role = new IamRole(this, "role", {
      name: `${props.stateMachineName}-sfn`,
      assumeRolePolicy: assumeRolePolicy("states.amazonaws.com"),
    });
    const policy = new IamRolePolicy(this, "policy", {
      name: "least-privilege",
      role: this.role.id,
      policy: policyDocument([
        {
          Action: ["lambda:InvokeFunction"],
          Resource: props.invokes.flatMap((fn) => [fn.arn, `${fn.arn}:*`]),
        },
        {
          // CloudWatch Logs vended delivery: AWS documents these actions with Resource "*" only.
          Action: [
            "logs:CreateLogDelivery",
            "logs:GetLogDelivery",
            "logs:UpdateLogDelivery",
            "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries",
            "logs:PutResourcePolicy",
            "logs:DescribeResourcePolicies",
            "logs:DescribeLogGroups",
          ],
          Resource: "*",
        },
      ]),
    });
    this.stateMachine = new SfnStateMachine(this, "state-machine", {
      name: props.stateMachineName,
      type: "STANDARD",
      roleArn: this.role.arn,
      definition: JSON.stringify(props.definition),
      loggingConfiguration: {
        level: "ERROR",
        includeExecutionData: false,
        logDestination: `${logGroup.arn}:*`,
      },
      dependsOn: [policy],
    });
  }

  public get arn(): string {
    return this.stateMachine.arn;
  }
}
