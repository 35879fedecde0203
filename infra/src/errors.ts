/**
 * Base class of every error thrown by @rebound/infra. Infrastructure code never catches these: a
 * synthesis that fails loudly is the point.
 *
 * @example
 * ```ts
 * import { InfraError } from "@rebound/infra/errors";
 * try { loadConfig({ environ: {} }); } catch (error) { if (error instanceof InfraError) console.error(error.message); }
 * ```
 */
export class InfraError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "InfraError";
  }
}

/**
 * Construct props that break a documented limit or contradict each other. Every problem is listed in
 * one message, each naming the prop, the value received and how to fix it.
 *
 * @example
 * ```ts
 * import { InvalidPropsError } from "@rebound/infra/errors";
 * throw new InvalidPropsError("QueueWorker payments", ["maxReceiveCount must be 1..1000, got 0"]);
 * ```
 */
export class InvalidPropsError extends InfraError {
  public readonly problems: readonly string[];

  public constructor(subject: string, problems: readonly string[], options?: ErrorOptions) {
    super(`${subject}: invalid props:\n  - ${problems.join("\n  - ")}`, options);
    this.name = "InvalidPropsError";
    this.problems = problems;
  }
}

/**
 * The per-environment configuration (config/<env>.json plus REBOUND_* environment variables) is
 * missing, unreadable or invalid.
 *
 * @example
 * ```ts
 * import { ConfigError } from "@rebound/infra/errors";
 * throw new ConfigError("config/dev.json: region must be an AWS region such as eu-west-1, got \"\"");
 * ```
 */
export class ConfigError extends InfraError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConfigError";
  }
}

/**
 * A Lambda bundle the stack needs is not on disk (apps/<app>/dist/index.mjs).
 *
 * @example
 * ```ts
 * import { MissingBundleError } from "@rebound/infra/errors";
 * throw new MissingBundleError("receipts", "/repo/apps/receipts/dist");
 * ```
 */
export class MissingBundleError extends InfraError {
  public readonly app: string;
  public readonly bundleDir: string;

  public constructor(app: string, bundleDir: string, options?: ErrorOptions) {
    super(
      `The bundle of app "${app}" is missing: expected ${bundleDir}/index.mjs. ` +
        `Build it first: pnpm exec turbo run build --filter @rebound/app-${app}`,
      options,
    );
    this.name = "MissingBundleError";
    this.app = app;
    this.bundleDir = bundleDir;
  }
}

/**
 * A Step Functions definition that asl-validator rejects.
 *
 * @example
 * ```ts
 * import { InvalidStateMachineError } from "@rebound/infra/errors";
 * throw new InvalidStateMachineError("fulfillment", ["/States/Ship: must have Next or End"]);
 * ```
 */
export class InvalidStateMachineError extends InfraError {
  public readonly problems: readonly string[];

  public constructor(stateMachine: string, problems: readonly string[], options?: ErrorOptions) {
    super(
      `State machine "${stateMachine}" has an invalid Amazon States Language definition:\n  - ${problems.join("\n  - ")}`,
      options,
    );
    this.name = "InvalidStateMachineError";
    this.problems = problems;
  }
}

/**
 * `acknowledge()` was called with an unknown rule, a construct that is not a Terraform resource, or
 * a reason too short to tell a reviewer why the rule does not apply.
 *
 * @example
 * ```ts
 * import { AcknowledgementError } from "@rebound/infra/errors";
 * throw new AcknowledgementError("unknown rule \"rebound/nope\"");
 * ```
 */
export class AcknowledgementError extends InfraError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "AcknowledgementError";
  }
}

/**
 * A deploy step refused to go on: the synthesized stack is not the one asked for, a saved plan is
 * missing, or Terraform failed. The message says which and what to do.
 *
 * @example
 * ```ts
 * import { DeployError } from "@rebound/infra/errors";
 * throw new DeployError("no saved plan at orders.tfplan: run deploy:plan first");
 * ```
 */
export class DeployError extends InfraError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "DeployError";
  }
}
