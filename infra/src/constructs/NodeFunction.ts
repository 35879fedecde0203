import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role/index.js";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy/index.js";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function/index.js";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { LAMBDA_RUNTIME, LOG_RETENTION_DAYS, REBOUND_TAGS } from "../constants.js";
import { InvalidPropsError } from "../errors.js";
import { PropChecks } from "../PropChecks.js";
import { assumeRolePolicy, type PolicyStatement, policyDocument } from "../policyDocument.js";
import type { LambdaBundle } from "./LambdaBundle.js";

/** Props of {@link NodeFunction}. */
export interface NodeFunctionProps {
  /** Lambda function name (1-64 of `[A-Za-z0-9-_]`); also names its role and log group. */
  readonly functionName: string;
  /** The bundle holding the code. */
  readonly bundle: LambdaBundle;
  /** Export of index.mjs to run. Default `handler` (Lambda handler `index.handler`). */
  readonly handlerExport?: string;
  /** Function timeout in seconds, 1-900. Default 10 (AWS's own default of 3 s is too short for an HTTP call with retries). */
  readonly timeout?: number;
  /** Memory in MB, 128-10240. Default 256. */
  readonly memorySize?: number;
  /** Reserved concurrency. Default none (the account's unreserved pool). 0 stops every invocation. */
  readonly reservedConcurrentExecutions?: number;
  /** Environment variables; more can be added with {@link NodeFunction.addEnvironment}. Default none. */
  readonly environment?: Readonly<Record<string, string>>;
  /** Retention of /aws/lambda/<functionName>, in days (a CloudWatch Logs value). Default 30. */
  readonly logRetentionInDays?: number;
}

const FUNCTION_DEFAULTS = {
  handlerExport: "handler",
  timeout: 10,
  memorySize: 256,
  logRetentionInDays: 30,
} as const;

/**
 * A Node.js Lambda function with its own least-privilege role, a log group with retention, runtime
 * nodejs22.x and the `rebound:app` / `rebound:handler-export` tags. The role starts with the right to
 * write its own logs and nothing else; other constructs grant what they wire with
 * {@link NodeFunction.addToRolePolicy}.
 *
 * @example
 * ```ts
 * import { NodeFunction } from "@rebound/infra/constructs/NodeFunction";
 * const fn = new NodeFunction(stack, "receipts", { functionName: "rebound-dev-receipts", bundle, timeout: 15 });
 * fn.addEnvironment("MAIL_PROVIDER_URL", "https://mail.example.com");
 * ```
 */
export class NodeFunction extends Construct {
  public readonly function: LambdaFunction;
  public readonly role: IamRole;
  public readonly logGroup: CloudwatchLogGroup;
  /** Timeout in seconds, as configured; other constructs size visibility timeouts and task timeouts from it. */
  public readonly timeout: number;
  public readonly functionName: string;
  private readonly statements: PolicyStatement[] = [];
  private readonly variables: Record<string, string> = {};

  public constructor(scope: Construct, id: string, props: NodeFunctionProps) {
    super(scope, id);
    const checks = new PropChecks(`NodeFunction ${id}`, props, [
      "functionName",
      "bundle",
      "handlerExport",
      "timeout",
      "memorySize",
      "reservedConcurrentExecutions",
      "environment",
      "logRetentionInDays",
    ]);
    checks.string(
      "functionName",
      props.functionName,
      /^[A-Za-z0-9_-]{1,64}$/,
      "1-64 characters of A-Z a-z 0-9 - _",
    );
    checks.string(
      "handlerExport",
      props.handlerExport ?? "handler",
      /^[A-Za-z_$][\w$]*$/,
      "a JavaScript export name",
    );
    checks.integer("timeout", props.timeout, 1, 900, " seconds");
    checks.integer("memorySize", props.memorySize, 128, 10_240, " MB");
    checks.integer("reservedConcurrentExecutions", props.reservedConcurrentExecutions, 0, 1000);
    checks.require(
      props.logRetentionInDays === undefined ||
        (LOG_RETENTION_DAYS as readonly number[]).includes(props.logRetentionInDays),
      `logRetentionInDays must be one of ${LOG_RETENTION_DAYS.join(", ")}, got ${props.logRetentionInDays}`,
    );
    checks.throwIfAny();

    const handlerExport = props.handlerExport ?? FUNCTION_DEFAULTS.handlerExport;
    this.timeout = props.timeout ?? FUNCTION_DEFAULTS.timeout;
    this.functionName = props.functionName;
    Object.assign(this.variables, props.environment);

    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionInDays ?? FUNCTION_DEFAULTS.logRetentionInDays,
    });
    this.role = new IamRole(this, "role", {
      name: props.functionName,
      assumeRolePolicy: assumeRolePolicy("lambda.amazonaws.com"),
    });
    // The log group exists before the function (it is referenced below), so the role needs no
    // logs:CreateLogGroup, only the right to write streams in this one group.
    this.statements.push({
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: `${this.logGroup.arn}:*`,
    });
    const policy = new IamRolePolicy(this, "policy", {
      name: "least-privilege",
      role: this.role.id,
      policy: Lazy.stringValue({ produce: () => policyDocument(this.statements) }),
    });
    this.function = new LambdaFunction(this, "function", {
      functionName: props.functionName,
      role: this.role.arn,
      runtime: LAMBDA_RUNTIME,
      handler: `index.${handlerExport}`,
      filename: props.bundle.asset.path,
      sourceCodeHash: props.bundle.sourceCodeHash,
      timeout: this.timeout,
      memorySize: props.memorySize ?? FUNCTION_DEFAULTS.memorySize,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: {
        variables: Lazy.anyValue({ produce: () => ({ ...this.variables }) }) as unknown as Record<
          string,
          string
        >,
      },
      loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
      tags: { [REBOUND_TAGS.app]: props.bundle.app, [REBOUND_TAGS.handlerExport]: handlerExport },
      // Without the policy the first invocations (e.g. the first poll of an event source mapping)
      // can fail with AccessDenied while IAM is still attaching it.
      dependsOn: [policy],
    });
  }

  /** Grants the function's role one more statement (only the actions and resources it uses). */
  public addToRolePolicy(statement: PolicyStatement): void {
    this.statements.push(statement);
  }

  /** Sets an environment variable; the value may be a Terraform reference (a queue url, a topic arn). */
  public addEnvironment(name: string, value: string): void {
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(name)) {
      throw new InvalidPropsError(`NodeFunction ${this.node.id}`, [
        `environment variable name must match [A-Za-z][A-Za-z0-9_]*, got "${name}"`,
      ]);
    }
    this.variables[name] = value;
  }

  /** ARN of the function (unqualified). */
  public get arn(): string {
    return this.function.arn;
  }
}
