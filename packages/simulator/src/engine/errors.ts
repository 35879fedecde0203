/**
 * Base class of the simulator's errors.
 *
 * @example
 * ```ts
 * import { SimulatorError } from "@rebound/simulator";
 * try { simulation.runUntilIdle(); } catch (error) { if (error instanceof SimulatorError) console.error(error.message); }
 * ```
 */
export class SimulatorError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SimulatorError";
  }
}

/**
 * The run took more steps than its limit: a model is looping, or the scenario is far larger than
 * the limit allows. Thrown instead of hanging.
 *
 * @example
 * ```ts
 * import { StepLimitExceededError } from "@rebound/simulator";
 * ```
 */
export class StepLimitExceededError extends SimulatorError {
  public constructor(
    public readonly stepLimit: number,
    public readonly virtualTimeMs: number,
  ) {
    super(
      `the simulation exceeded its step limit of ${stepLimit} events at virtual time ${virtualTimeMs} ms; ` +
        "raise stepLimit if the scenario is really this large, otherwise a model is looping",
    );
    this.name = "StepLimitExceededError";
  }
}

/**
 * A Step Functions definition uses something Rebound does not run, or breaks an ASL rule. The message
 * names the state and the field, and what is accepted instead.
 *
 * @example
 * ```ts
 * import { AslDefinitionError, parseAslDefinition } from "@rebound/simulator";
 * try { parseAslDefinition({ StartAt: "A", States: { A: { Type: "Map", End: true } } }); }
 * catch (error) { if (error instanceof AslDefinitionError) console.error(error.message); }
 * ```
 */
export class AslDefinitionError extends SimulatorError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "AslDefinitionError";
  }
}

/**
 * An error raised inside a Step Functions execution (`States.Timeout`, a Lambda `errorType`, ...). The
 * executor catches it and applies the state's Retry and Catch; `error` and `cause` are what AWS reports.
 *
 * @example
 * ```ts
 * import { StatesFailure } from "@rebound/simulator";
 * throw new StatesFailure("States.TaskFailed", "the task failed");
 * ```
 */
export class StatesFailure extends SimulatorError {
  public constructor(
    public readonly error: string,
    public readonly causeText: string,
    options?: ErrorOptions,
  ) {
    super(`${error}: ${causeText}`, options);
    this.name = "StatesFailure";
  }
}

/**
 * A Step Functions API call was rejected the way AWS rejects it: `code` is AWS's exception name
 * (`ExecutionAlreadyExists`, `InvalidName`, `StateMachineDoesNotExist`, `InvalidExecutionInput`).
 *
 * @example
 * ```ts
 * import { StepFunctionsApiError } from "@rebound/simulator";
 * try { executor.startExecution({ stateMachineArn, name: "order-1", input: {} }); }
 * catch (error) { if (error instanceof StepFunctionsApiError && error.code === "ExecutionAlreadyExists") { } }
 * ```
 */
export class StepFunctionsApiError extends SimulatorError {
  public constructor(
    public readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${code}: ${message}`, options);
    this.name = "StepFunctionsApiError";
  }
}

/**
 * A resource, option or call was configured the way AWS would reject it. `key` names the bad setting;
 * the message quotes AWS's rule, the allowed values and how to fix it.
 *
 * @example
 * ```ts
 * import { ConfigurationError, Topology } from "@rebound/simulator";
 * try { topology.putFunctionEventInvokeConfig({ functionName: "f", maximumRetryAttempts: 3 }); }
 * catch (error) { if (error instanceof ConfigurationError) console.error(error.key, error.message); }
 * ```
 */
export class ConfigurationError extends SimulatorError {
  public constructor(
    public readonly key: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "ConfigurationError";
  }
}

/**
 * A name or ARN does not match any resource of the topology (AWS answers ResourceNotFoundException).
 *
 * @example
 * ```ts
 * import { ResourceNotFoundError } from "@rebound/simulator";
 * try { topology.sendMessage("missing-queue", "{}"); }
 * catch (error) { if (error instanceof ResourceNotFoundError) console.error(error.reference); }
 * ```
 */
export class ResourceNotFoundError extends SimulatorError {
  public constructor(
    public readonly reference: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "ResourceNotFoundError";
  }
}

/**
 * An invariant checker found a run that breaks a rule every model must keep (an event with no or two
 * final dispositions, FIFO order broken, a delivery after deletion). `violations` lists each one.
 *
 * @example
 * ```ts
 * import { InvariantViolationError } from "@rebound/simulator";
 * try { invariants.assert(); } catch (error) { if (error instanceof InvariantViolationError) console.error(error.violations); }
 * ```
 */
export class InvariantViolationError extends SimulatorError {
  public constructor(
    public readonly violations: readonly string[],
    options?: ErrorOptions,
  ) {
    super(
      `${violations.length} invariant violation(s):\n${violations.slice(0, 20).join("\n")}` +
        (violations.length > 20 ? `\n... and ${violations.length - 20} more` : ""),
      options,
    );
    this.name = "InvariantViolationError";
  }
}
