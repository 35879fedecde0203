import { ConfigurationError, StepFunctionsApiError } from "../engine/errors.js";
import type { Outcomes } from "../engine/Outcomes.js";
import { SeededRandom } from "../engine/SeededRandom.js";
import type { Simulation } from "../engine/Simulation.js";
import type { Trace } from "../engine/Trace.js";
import { assertOptions, describe } from "../engine/validate.js";
import type { LambdaFunction } from "../lambda/LambdaFunction.js";
import { parseAslDefinition } from "./asl/aslDefinition.js";
import type { AslMachine } from "./asl/aslStateTypes.js";
import type { HistoryEvent } from "./ExecutionHistory.js";
import { ExecutionStatus } from "./ExecutionStatus.js";
import { StepFunctionsExecution } from "./StepFunctionsExecution.js";

/** What the Step Functions service needs from the topology that owns it. */
export interface StepFunctionsEnv {
  readonly simulation: Simulation;
  readonly trace: Trace;
  readonly outcomes: Outcomes;
  readonly region: string;
  readonly accountId: string;
  /** Finds a function by name (Task resources and FunctionName are reduced to the name first). */
  readonly resolveFunction: (functionName: string) => LambdaFunction | undefined;
}

/** CreateStateMachine input. */
export interface CreateStateMachineInput {
  /** 1–80 characters; the same character rules as execution names. */
  readonly name: string;
  /** The ASL definition, as an object or JSON text. */
  readonly definition: unknown;
  /** Only STANDARD is modelled (EXPRESS runs at-least-once with other quotas). Default STANDARD. */
  readonly type?: "STANDARD";
}

/** A created state machine. */
export interface StepFunctionsStateMachine {
  readonly name: string;
  readonly arn: string;
  readonly machine: AslMachine;
}

/** StartExecution input. */
export interface StartExecutionInput {
  readonly stateMachineArn: string;
  /** Default: a UUID from the run's seed. Unique per state machine (AWS: for 90 days). */
  readonly name?: string;
  /** JSON text (as the API takes it) or a JSON value. Default "{}". */
  readonly input?: unknown;
}

/** StartExecution output. */
export interface StartExecutionOutput {
  readonly executionArn: string;
  /** Virtual epoch ms. */
  readonly startDate: number;
}

/** DescribeExecution output (values parsed, times in virtual epoch ms). */
export interface ExecutionDescription {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  readonly startDate: number;
  readonly stopDate: number | undefined;
  readonly input: unknown;
  readonly output: unknown;
  readonly error: string | undefined;
  readonly cause: string | undefined;
  readonly transitions: number;
  readonly invocations: number;
}

const CREATE_KEYS = ["name", "definition", "type"] as const;
const START_KEYS = ["stateMachineArn", "name", "input"] as const;
// StartExecution's name rules: 1-80 characters, none of whitespace, < > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : /
// and no control characters (U+0000-001F, U+007F-009F).
const INVALID_NAME = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;

function hasControlCharacter(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}
const MAX_INPUT_BYTES = 262_144;

/**
 * Step Functions (Standard workflows) on the virtual clock: create state machines from ASL (validated,
 * anything unsupported rejected), start named executions with AWS's idempotency rule, describe them.
 * Same name + same input while the first execution runs → the same execution (no new run); same name
 * otherwise → `ExecutionAlreadyExists`. Apps that dedupe with execution names rely on exactly this.
 *
 * @example
 * ```ts
 * import { StepFunctions } from "@rebound/simulator";
 * const sfn = new StepFunctions({ simulation, trace, outcomes, region: "us-east-1", accountId: "123456789012",
 *   resolveFunction: (name) => functions.get(name) });
 * const machine = sfn.createStateMachine({ name: "fulfil", definition: { StartAt: "Done", States: { Done: { Type: "Succeed" } } } });
 * sfn.startExecution({ stateMachineArn: machine.arn, name: "order-1", input: { orderId: "1" } });
 * ```
 */
export class StepFunctions {
  readonly #env: StepFunctionsEnv;
  readonly #machines = new Map<string, StepFunctionsStateMachine>();
  readonly #executions = new Map<string, StepFunctionsExecution>();
  readonly #random: SeededRandom;

  public constructor(env: StepFunctionsEnv) {
    if (env === null || typeof env !== "object" || typeof env.resolveFunction !== "function") {
      throw new ConfigurationError(
        "resolveFunction",
        "StepFunctions: resolveFunction must map a function name to a LambdaFunction",
      );
    }
    this.#env = env;
    this.#random = new SeededRandom(SeededRandom.derive(env.simulation.random.seed, "states"));
  }

  /** CreateStateMachine: parses and validates the definition; a second machine with the same name is rejected. */
  public createStateMachine(input: CreateStateMachineInput): StepFunctionsStateMachine {
    assertOptions("createStateMachine", input, CREATE_KEYS);
    checkName("createStateMachine", "name", input.name, "InvalidName");
    if (input.type !== undefined && input.type !== "STANDARD") {
      throw new ConfigurationError(
        "type",
        `createStateMachine: type ${describe(input.type)} is not modelled; Rebound runs STANDARD workflows`,
      );
    }
    const arn = `arn:aws:states:${this.#env.region}:${this.#env.accountId}:stateMachine:${input.name}`;
    if (this.#machines.has(arn)) {
      throw new StepFunctionsApiError("StateMachineAlreadyExists", `State Machine Already Exists: '${arn}'`);
    }
    const machine: StepFunctionsStateMachine = {
      name: input.name,
      arn,
      machine: parseAslDefinition(input.definition),
    };
    this.#machines.set(arn, machine);
    return machine;
  }

  /** The state machine with this ARN or name. */
  public stateMachine(arnOrName: string): StepFunctionsStateMachine | undefined {
    return (
      this.#machines.get(arnOrName) ??
      this.#machines.get(
        `arn:aws:states:${this.#env.region}:${this.#env.accountId}:stateMachine:${arnOrName}`,
      )
    );
  }

  /** StartExecution. Throws `StepFunctionsApiError` with AWS's code for every rejection. */
  public startExecution(input: StartExecutionInput): StartExecutionOutput {
    assertOptions("startExecution", input, START_KEYS);
    const machine = this.#machines.get(input.stateMachineArn);
    if (machine === undefined) {
      throw new StepFunctionsApiError(
        "StateMachineDoesNotExist",
        `State Machine Does Not Exist: '${String(input.stateMachineArn)}'`,
      );
    }
    const name = input.name ?? this.#random.uuid();
    checkName("startExecution", "name", name, "InvalidName");
    const inputText = inputTextOf(input.input);
    const value = JSON.parse(inputText) as unknown;
    const executionArn = `arn:aws:states:${this.#env.region}:${this.#env.accountId}:execution:${machine.name}:${name}`;
    const existing = this.#executions.get(executionArn);
    if (existing !== undefined) {
      if (existing.status === ExecutionStatus.Running && existing.identity.inputText === inputText) {
        // Idempotent: same name and input while it runs → the original execution, nothing new starts.
        return { executionArn, startDate: existing.startMs };
      }
      throw new StepFunctionsApiError(
        "ExecutionAlreadyExists",
        `Execution Already Exists: '${executionArn}'` +
          (existing.status === ExecutionStatus.Running ? " (running, with a different input)" : " (closed)"),
      );
    }
    const execution = new StepFunctionsExecution(
      this.#env,
      { executionArn, name, stateMachineArn: machine.arn, stateMachineName: machine.name, inputText },
      machine.machine,
      value,
    );
    this.#executions.set(executionArn, execution);
    return { executionArn, startDate: execution.startMs };
  }

  /** DescribeExecution. */
  public describeExecution(executionArn: string): ExecutionDescription {
    const execution = this.#existing(executionArn);
    return describeOf(execution);
  }

  /**
   * GetExecutionHistory: every event of the execution, oldest first (`reverseOrder` newest first), with
   * AWS's types, ids, previous ids and details.
   *
   * @example
   * ```ts
   * sfn.getExecutionHistory(executionArn).map((event) => event.type); // ["ExecutionStarted", "TaskStateEntered", …]
   * ```
   */
  public getExecutionHistory(
    executionArn: string,
    options: { readonly reverseOrder?: boolean } = {},
  ): HistoryEvent[] {
    const execution = this.#existing(executionArn);
    const events = execution.history();
    return options.reverseOrder === true ? events.reverse() : events;
  }

  /**
   * The types of an execution's history events, oldest first, without the details (cheap: nothing is
   * serialized).
   *
   * @example
   * ```ts
   * sfn.historyTypes(executionArn).at(-1); // "ExecutionSucceeded"
   * ```
   */
  public historyTypes(executionArn: string): string[] {
    const execution = this.#existing(executionArn);
    return execution.historyTypes();
  }

  /** The execution with that ARN; AWS's ExecutionDoesNotExist when there is none. */
  #existing(executionArn: string): StepFunctionsExecution {
    const execution = this.#executions.get(executionArn);
    if (execution === undefined) {
      throw new StepFunctionsApiError("ExecutionDoesNotExist", `Execution Does Not Exist: '${executionArn}'`);
    }
    return execution;
  }

  /** Outcome ids of executions still running (held, not lost, for the invariant checker). */
  public heldEventIds(): number[] {
    const ids: number[] = [];
    for (const execution of this.#executions.values()) {
      if (execution.status === ExecutionStatus.Running) ids.push(execution.outcomeId);
    }
    return ids;
  }

  /** Every execution started, in start order. */
  public executions(): ExecutionDescription[] {
    return [...this.#executions.values()].map(describeOf);
  }
}

function describeOf(execution: StepFunctionsExecution): ExecutionDescription {
  return {
    executionArn: execution.identity.executionArn,
    stateMachineArn: execution.identity.stateMachineArn,
    name: execution.identity.name,
    status: execution.status,
    startDate: execution.startMs,
    stopDate: execution.stopMs,
    input: execution.input,
    output: execution.output,
    error: execution.error,
    cause: execution.cause,
    transitions: execution.transitions,
    invocations: execution.invocations,
  };
}

function checkName(where: string, key: string, name: unknown, code: string): void {
  if (
    typeof name !== "string" ||
    name.length < 1 ||
    name.length > 80 ||
    INVALID_NAME.test(name) ||
    hasControlCharacter(name)
  ) {
    throw new StepFunctionsApiError(
      code,
      `${where}: ${key} ${describe(name)} is invalid; use 1-80 characters without whitespace, brackets, ` +
        'wildcards, control characters or any of " # % \\ ^ | ~ ` $ & , ; : /',
    );
  }
}

function inputTextOf(input: unknown): string {
  if (input === undefined) return "{}";
  let text: string;
  if (typeof input === "string") {
    try {
      JSON.parse(input);
    } catch (error) {
      throw new StepFunctionsApiError(
        "InvalidExecutionInput",
        `Invalid State Machine Execution Input: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    text = input;
  } else {
    text = JSON.stringify(input);
  }
  if (Buffer.byteLength(text, "utf8") > MAX_INPUT_BYTES) {
    throw new StepFunctionsApiError("InvalidExecutionInput", "Execution input exceeds the 256 KiB quota");
  }
  return text;
}
