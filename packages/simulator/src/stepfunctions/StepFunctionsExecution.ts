import { StatesFailure } from "../engine/errors.js";
import { Disposition, type Outcomes } from "../engine/Outcomes.js";
import { SeededRandom } from "../engine/SeededRandom.js";
import type { Simulation } from "../engine/Simulation.js";
import type { Trace } from "../engine/Trace.js";
import { recordAttempt } from "../lambda/attemptResult.js";
import { type InvocationResult, InvocationStatus, type LambdaFunction } from "../lambda/LambdaFunction.js";
import { decideRetry, errorMatches, isTerminalStatesError } from "./asl/aslRetry.js";
import type {
  AslCatcher,
  AslMachine,
  AslParallelState,
  AslState,
  AslTaskState,
  AslWaitState,
} from "./asl/aslStateTypes.js";
import type { AslEvaluationScope } from "./asl/aslTemplate.js";
import { ExecutionHistory, type HistoryEvent } from "./ExecutionHistory.js";
import { ExecutionStatus } from "./ExecutionStatus.js";
import { chooseNext, failStateResult, waitUntilMs } from "./flowStates.js";
import { type LambdaTaskTarget, lambdaTaskResult, lambdaTaskTarget } from "./lambdaTask.js";
import { isCancelled, type Runner } from "./Runner.js";
import {
  applyInputPath,
  applyOutputPath,
  applyParameters,
  applyResultPath,
  checkPayloadSize,
} from "./statePaths.js";
import { taskHistoryEvents } from "./taskHistoryEvents.js";

/** What an execution needs from the Step Functions service that starts it. */
export interface ExecutionEnv {
  readonly simulation: Simulation;
  readonly trace: Trace;
  readonly outcomes: Outcomes;
  /** Finds a function by name, ARN or partial ARN (qualifier already removed). */
  readonly resolveFunction: (name: string) => LambdaFunction | undefined;
}

/** Identity of an execution. */
export interface ExecutionIdentity {
  readonly executionArn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  /** The input exactly as StartExecution received it (JSON text). */
  readonly inputText: string;
}

// AWS Step Functions quota: 25,000 history events per execution (a transition loop ends there).
const MAX_HISTORY_EVENTS = 25_000;

/**
 * One Step Functions (Standard) execution interpreted on the virtual clock: Task (Lambda), Pass,
 * Choice, Wait, Succeed, Fail and Parallel; InputPath → Parameters → task → ResultSelector →
 * ResultPath → OutputPath; Retry (retriers scanned in order, per-retrier counters for the state
 * visit, backoff, MaxDelaySeconds, FULL jitter from the seeded source), then Catch; Task TimeoutSeconds →
 * `States.Timeout`; a Lambda error surfaces as Error = errorType, Cause = the error JSON string.
 * Transitions take no virtual time; Wait, retry delays and functions' durations do.
 * This class walks the states and applies Retry/Catch; each state's data flow is in statePaths.ts,
 * what Choice, Wait and Fail compute in flowStates.ts, the Lambda call of a Task in lambdaTask.ts.
 *
 * @example
 * ```ts
 * import { StepFunctions } from "@rebound/simulator";
 * const sfn = new StepFunctions(env);
 * const machine = sfn.createStateMachine({ name: "fulfil", definition });
 * const { executionArn } = sfn.startExecution({ stateMachineArn: machine.arn, name: "order-1", input: "{}" });
 * simulation.runUntilIdle();
 * sfn.describeExecution(executionArn).status; // "SUCCEEDED"
 * ```
 */
export class StepFunctionsExecution {
  public status: ExecutionStatus = ExecutionStatus.Running;
  public output: unknown = undefined;
  public error: string | undefined;
  public cause: string | undefined;
  public readonly startMs: number;
  public stopMs: number | undefined;
  /** State transitions so far (entered states, retries included). */
  public transitions = 0;
  /** Lambda invocations made by this execution's tasks. */
  public invocations = 0;
  public readonly input: unknown;
  readonly #env: ExecutionEnv;
  readonly #random: SeededRandom;
  /** This execution's id in the outcome book. */
  public readonly outcomeId: number;
  readonly #source: string;
  readonly #context: { Execution: Record<string, unknown>; StateMachine: Record<string, unknown> };
  readonly #history = new ExecutionHistory();
  #root!: Runner;

  public constructor(
    env: ExecutionEnv,
    public readonly identity: ExecutionIdentity,
    machine: AslMachine,
    input: unknown,
  ) {
    this.#env = env;
    this.input = input;
    this.startMs = env.simulation.now();
    this.#random = new SeededRandom(SeededRandom.derive(env.simulation.random.seed, identity.executionArn));
    this.#source = `states:${identity.stateMachineName}`;
    this.outcomeId = env.outcomes.inject(this.#source, identity.name);
    this.#context = {
      Execution: {
        Id: identity.executionArn,
        Input: input,
        Name: identity.name,
        RoleArn: `arn:aws:iam::${identity.stateMachineArn.split(":")[4]}:role/${identity.stateMachineName}-role`,
        StartTime: new Date(this.startMs).toISOString(),
      },
      StateMachine: { Id: identity.stateMachineArn, Name: identity.stateMachineName },
    };
    this.#emit("started", { execution: identity.name });
    this.#history.add(this.startMs, "ExecutionStarted", 0, {
      input,
      roleArn: this.#context.Execution.RoleArn,
    });
    const root: Runner = {
      machine,
      parent: undefined,
      cancelled: false,
      label: "Root",
      // AWS gives the first state entered previousEventId 0, not ExecutionStarted's id.
      lastEventId: 0,
      finish: (result) => {
        if (result.ok) this.#close(ExecutionStatus.Succeeded, result.output);
        else this.#close(ExecutionStatus.Failed, undefined, result.error, result.cause);
      },
    };
    this.#root = root;
    if (machine.timeoutMs !== undefined) {
      env.simulation.after(machine.timeoutMs, () => {
        if (this.status !== ExecutionStatus.Running) return;
        root.cancelled = true;
        this.#close(
          ExecutionStatus.TimedOut,
          undefined,
          "States.Timeout",
          `The execution timed out after ${machine.timeoutMs! / 1000} seconds (TimeoutSeconds)`,
        );
      });
    }
    env.simulation.after(0, () => this.#enter(root, machine.startAt, input));
  }

  /** The execution's history as GetExecutionHistory returns it. */
  public history(): HistoryEvent[] {
    return this.#history.events();
  }

  /** The types of the history's events, oldest first. */
  public historyTypes(): string[] {
    return this.#history.types();
  }

  /** Appends a history event after the runner's latest one and makes it the runner's latest. */
  #record(runner: Runner, type: string, details?: Record<string, unknown>, detailsKey?: string): number {
    runner.lastEventId = this.#history.add(
      this.#env.simulation.now(),
      type,
      runner.lastEventId,
      details,
      detailsKey,
    );
    return runner.lastEventId;
  }

  #emit(kind: string, fields: Record<string, string | number | boolean | undefined>): void {
    const trace = this.#env.trace;
    if (trace.on) trace.emit(this.#source, kind, { execution: this.identity.name, ...fields });
  }

  #close(status: ExecutionStatus, output: unknown, error?: string, cause?: string): void {
    if (this.status !== ExecutionStatus.Running) return;
    this.status = status;
    this.output = output;
    this.error = error;
    this.cause = cause;
    this.stopMs = this.#env.simulation.now();
    if (status === ExecutionStatus.Succeeded) this.#record(this.#root, "ExecutionSucceeded", { output });
    else
      this.#record(this.#root, status === ExecutionStatus.Failed ? "ExecutionFailed" : "ExecutionTimedOut", {
        error,
        cause,
      });
    this.#emit(
      status === ExecutionStatus.Succeeded
        ? "succeeded"
        : status === ExecutionStatus.Failed
          ? "failed"
          : "timed-out",
      {
        error,
      },
    );
    const outcomes = this.#env.outcomes;
    if (status === ExecutionStatus.Succeeded) {
      outcomes.settle(this.outcomeId, Disposition.Processed, { record: output });
    } else {
      outcomes.settle(this.outcomeId, Disposition.Failed, {
        reason: error,
        record: { Error: error, Cause: cause },
      });
    }
  }

  #alive(runner: Runner): boolean {
    return this.status === ExecutionStatus.Running && !isCancelled(runner);
  }

  #scope(input: unknown, state: AslState, enteredMs: number, retryCount: number): AslEvaluationScope {
    return {
      input,
      context: {
        ...this.#context,
        State: { EnteredTime: new Date(enteredMs).toISOString(), Name: state.name, RetryCount: retryCount },
      },
      random: () => this.#random.next(),
    };
  }

  /** Enters a state. Errors thrown by path handling become States errors on this state. */
  #enter(runner: Runner, name: string, input: unknown): void {
    if (!this.#alive(runner)) return;
    const state = runner.machine.states.get(name)!;
    this.transitions++;
    // The execution fails with its history full: ExecutionFailed is the 25,000th event.
    if (this.#history.length >= MAX_HISTORY_EVENTS - 1) {
      runner.cancelled = true;
      this.#close(
        ExecutionStatus.Failed,
        undefined,
        "States.Runtime",
        `The execution reached the maximum number of history events (${MAX_HISTORY_EVENTS}); a state loop never ends`,
      );
      return;
    }
    this.#emit("enter", { runner: runner.label, state: name });
    this.#record(runner, `${state.type}StateEntered`, { name, input }, "stateEnteredEventDetails");
    const enteredMs = this.#env.simulation.now();
    try {
      switch (state.type) {
        case "Pass": {
          const effective = applyInputPath(state.inputPath, input);
          const parameters = applyParameters(
            state.parameters,
            this.#scope(effective, state, enteredMs, 0),
            effective,
          );
          const result = state.hasResult ? state.result : parameters;
          this.#complete(runner, state, applyResultPath(state.resultPath, input, result));
          return;
        }
        case "Choice": {
          const effective = applyInputPath(state.inputPath, input);
          const chosen = chooseNext(state, this.#scope(effective, state, enteredMs, 0));
          this.#transition(runner, state, chosen, applyOutputPath(state.outputPath, effective));
          return;
        }
        case "Wait":
          this.#wait(runner, state, input, enteredMs);
          return;
        case "Succeed":
          this.#finishRunner(
            runner,
            state,
            applyOutputPath(state.outputPath, applyInputPath(state.inputPath, input)),
          );
          return;
        case "Fail":
          runner.finish(failStateResult(state, input));
          return;
        case "Task":
          this.#task(runner, state, input, enteredMs, []);
          return;
        case "Parallel":
          this.#parallel(runner, state, input, enteredMs, []);
          return;
      }
    } catch (thrown) {
      this.#fail(runner, thrown);
    }
  }

  /** Ends a runner on an error that no Retry/Catch of this state handles (Pass, Choice, Wait, Succeed). */
  #fail(runner: Runner, thrown: unknown): void {
    if (!(thrown instanceof StatesFailure)) throw thrown;
    runner.finish({ ok: false, error: thrown.error, cause: thrown.causeText });
  }

  #complete(runner: Runner, state: AslState, withResult: unknown): void {
    const output = applyOutputPath(state.outputPath, withResult);
    if (state.next === undefined) this.#finishRunner(runner, state, output);
    else this.#transition(runner, state, state.next, output);
  }

  #transition(runner: Runner, state: AslState, next: string, output: unknown): void {
    checkPayloadSize(state, output);
    this.#emit("exit", { runner: runner.label, state: state.name, next });
    this.#record(runner, `${state.type}StateExited`, { name: state.name, output }, "stateExitedEventDetails");
    // Each transition is its own event, so long Pass/Choice chains do not grow the JS stack.
    this.#env.simulation.after(0, () => this.#enter(runner, next, output));
  }

  #finishRunner(runner: Runner, state: AslState, output: unknown): void {
    checkPayloadSize(state, output);
    this.#emit("exit", { runner: runner.label, state: state.name, end: true });
    this.#record(runner, `${state.type}StateExited`, { name: state.name, output }, "stateExitedEventDetails");
    runner.finish({ ok: true, output });
  }

  #wait(runner: Runner, state: AslWaitState, input: unknown, enteredMs: number): void {
    const effective = applyInputPath(state.inputPath, input);
    const untilMs = waitUntilMs(state, effective, enteredMs);
    const output = applyOutputPath(state.outputPath, effective);
    this.#env.simulation.at(Math.max(untilMs, this.#env.simulation.now()), () => {
      if (!this.#alive(runner)) return;
      try {
        if (state.next === undefined) this.#finishRunner(runner, state, output);
        else this.#transition(runner, state, state.next, output);
      } catch (thrown) {
        this.#fail(runner, thrown);
      }
    });
  }

  /** Applies Retry then Catch to an error of a Task or Parallel state. */
  #handleError(
    runner: Runner,
    state: AslTaskState | AslParallelState,
    input: unknown,
    error: string,
    cause: string,
    counters: number[],
    again: () => void,
  ): void {
    if (!this.#alive(runner)) return;
    const decision = decideRetry(state.retry, error, counters, () => this.#random.next());
    if (decision.retry) {
      this.#emit("retry", {
        state: state.name,
        error,
        retrier: decision.retrierIndex,
        attempt: decision.attempt,
        delayMs: decision.delayMs,
      });
      this.#env.simulation.after(decision.delayMs, () => {
        if (this.#alive(runner)) again();
      });
      return;
    }
    const catcher: AslCatcher | undefined = isTerminalStatesError(error)
      ? undefined
      : state.catch.find((entry) => errorMatches(error, entry.errorEquals));
    if (catcher === undefined) {
      this.#emit("error", { runner: runner.label, state: state.name, error });
      runner.finish({ ok: false, error, cause });
      return;
    }
    this.#emit("catch", { state: state.name, error, next: catcher.next });
    try {
      const output = applyResultPath(catcher.resultPath, input, { Error: error, Cause: cause });
      this.#transition(runner, state, catcher.next, output);
    } catch (thrown) {
      this.#fail(runner, thrown);
    }
  }

  /**
   * A States error thrown while a Task or Parallel state handles its data: `States.Runtime` ends the
   * runner (no Retry or Catch applies to it); any other goes to Retry then Catch.
   */
  #stateFailed(
    runner: Runner,
    state: AslTaskState | AslParallelState,
    input: unknown,
    thrown: unknown,
    counters: number[],
    again: () => void,
  ): void {
    if (!(thrown instanceof StatesFailure)) throw thrown;
    if (thrown.error === "States.Runtime") {
      runner.finish({ ok: false, error: thrown.error, cause: thrown.causeText });
      return;
    }
    this.#handleError(runner, state, input, thrown.error, thrown.causeText, counters, again);
  }

  /** Runs the post-processing chain of a successful Task/Parallel: ResultSelector, ResultPath, OutputPath. */
  #succeedState(
    runner: Runner,
    state: AslTaskState | AslParallelState,
    input: unknown,
    result: unknown,
    scope: AslEvaluationScope,
    counters: number[],
    again: () => void,
  ): void {
    try {
      const selected =
        state.resultSelector === undefined ? result : state.resultSelector({ ...scope, input: result });
      this.#complete(runner, state, applyResultPath(state.resultPath, input, selected));
    } catch (thrown) {
      this.#stateFailed(runner, state, input, thrown, counters, again);
    }
  }

  #task(runner: Runner, state: AslTaskState, input: unknown, enteredMs: number, counters: number[]): void {
    const retryCount = counters.reduce((sum, count) => sum + count, 0);
    const again = (): void => this.#task(runner, state, input, enteredMs, counters);
    let scope: AslEvaluationScope;
    let target: LambdaTaskTarget;
    let parameters: unknown;
    try {
      const effective = applyInputPath(state.inputPath, input);
      scope = this.#scope(effective, state, enteredMs, retryCount);
      parameters = applyParameters(state.parameters, scope, effective);
      target = lambdaTaskTarget(state, parameters, this.#env);
    } catch (thrown) {
      this.#stateFailed(runner, state, input, thrown, counters, again);
      return;
    }
    const requestId = this.#random.uuid();
    let settled = false;
    this.#emit("task", { state: state.name, function: target.fn.functionName, requestId, retry: retryCount });
    const events = taskHistoryEvents(target, parameters, state.timeoutMs);
    this.#record(runner, events.scheduled.type, events.scheduled.details);
    this.#record(runner, events.started.type, events.started.details);
    const taskEnded = (kind: "succeeded" | "failed" | "timedOut", details: Record<string, unknown>): void => {
      const event = events[kind];
      this.#record(runner, event.type, { ...event.details, ...details });
    };
    if (state.timeoutMs !== undefined) {
      this.#env.simulation.after(state.timeoutMs, () => {
        if (settled) return;
        settled = true;
        // AWS does not stop the function; its late result is ignored.
        const cause = `The state '${state.name}' timed out after ${state.timeoutMs! / 1000} seconds (TimeoutSeconds)`;
        taskEnded("timedOut", { error: "States.Timeout", cause });
        this.#handleError(runner, state, input, "States.Timeout", cause, counters, again);
      });
    }
    this.invocations++;
    target.fn.invoke(target.event, requestId, (result: InvocationResult) => {
      recordAttempt(this.#env.outcomes, this.outcomeId, target.fn, result);
      if (settled || !this.#alive(runner)) return;
      settled = true;
      if (result.status === InvocationStatus.Success) {
        const taskResult = lambdaTaskResult(result, target.optimized);
        taskEnded("succeeded", { output: taskResult });
        this.#succeedState(runner, state, input, taskResult, scope, counters, again);
        return;
      }
      if (result.status === InvocationStatus.FunctionError) {
        // Error = the function's errorType; Cause = the error payload as a JSON string (observed on AWS).
        taskEnded("failed", { error: result.error.errorType, cause: JSON.stringify(result.error) });
        this.#handleError(
          runner,
          state,
          input,
          result.error.errorType,
          JSON.stringify(result.error),
          counters,
          again,
        );
        return;
      }
      const throttled = `Rate Exceeded. (Service: Lambda, Status Code: 429, Request ID: ${result.requestId}, Reason: ${result.reason})`;
      taskEnded("failed", { error: "Lambda.TooManyRequestsException", cause: throttled });
      this.#handleError(runner, state, input, "Lambda.TooManyRequestsException", throttled, counters, again);
    });
  }

  #parallel(
    runner: Runner,
    state: AslParallelState,
    input: unknown,
    enteredMs: number,
    counters: number[],
  ): void {
    const retryCount = counters.reduce((sum, count) => sum + count, 0);
    const again = (): void => this.#parallel(runner, state, input, enteredMs, counters);
    let scope: AslEvaluationScope;
    let branchInput: unknown;
    try {
      const effective = applyInputPath(state.inputPath, input);
      scope = this.#scope(effective, state, enteredMs, retryCount);
      branchInput = applyParameters(state.parameters, scope, effective);
    } catch (thrown) {
      this.#stateFailed(runner, state, input, thrown, counters, again);
      return;
    }
    const outputs: unknown[] = new Array(state.branches.length);
    let remaining = state.branches.length;
    let done = false;
    const started = this.#record(runner, "ParallelStateStarted");
    const branches: Runner[] = state.branches.map((machine, index) => ({
      machine,
      parent: runner,
      cancelled: false,
      label: `${runner.label}/${state.name}[${index}]`,
      lastEventId: started,
      finish: (result): void => {
        if (done) return;
        if (!result.ok) {
          // One failed branch fails the Parallel state and stops the others.
          done = true;
          for (const branch of branches) branch.cancelled = true;
          this.#record(runner, "ParallelStateFailed", { error: result.error, cause: result.cause });
          if (isTerminalStatesError(result.error)) {
            runner.finish(result);
            return;
          }
          this.#handleError(runner, state, input, result.error, result.cause, counters, again);
          return;
        }
        outputs[index] = result.output;
        if (--remaining === 0) {
          done = true;
          this.#record(runner, "ParallelStateSucceeded");
          this.#succeedState(runner, state, input, outputs, scope, counters, again);
        }
      },
    }));
    for (const branch of branches) {
      this.#env.simulation.after(0, () => this.#enter(branch, branch.machine.startAt, branchInput));
    }
  }
}
