import type { AslCondition } from "./aslChoice.js";
import type { AslPath } from "./aslPath.js";
import type { AslRetrier } from "./aslRetry.js";
import type { AslTemplate } from "./aslTemplate.js";

/** The state types Rebound runs. Map, and any other type, is rejected when the definition loads. */
export const ASL_STATE_TYPES = ["Task", "Pass", "Choice", "Wait", "Succeed", "Fail", "Parallel"] as const;
/** One of {@link ASL_STATE_TYPES}. */
export type AslStateType = (typeof ASL_STATE_TYPES)[number];

/** The optimized Lambda integration; direct function ARNs are also accepted as Task resources. */
export const LAMBDA_INVOKE_RESOURCE = "arn:aws:states:::lambda:invoke";

/** A Catch entry with its default ResultPath (`$`) filled in. */
export interface AslCatcher {
  readonly errorEquals: readonly string[];
  readonly next: string;
  /** null discards the error output; the default `$` replaces the input with it. */
  readonly resultPath: AslPath | null;
}

interface AslStateBase {
  readonly name: string;
  /** null: the state's input is `{}`; the default `$` passes the whole input. */
  readonly inputPath: AslPath | null;
  /** null: the state's output is `{}`. */
  readonly outputPath: AslPath | null;
  /** Where to go next; undefined for a terminal state (End, Succeed, Fail). */
  readonly next: string | undefined;
}

/** How a Task reaches Lambda. */
export type AslTaskTarget =
  | { readonly kind: "lambda:invoke" }
  | { readonly kind: "function"; readonly functionArn: string };

/** Task state. */
export interface AslTaskState extends AslStateBase {
  readonly type: "Task";
  readonly target: AslTaskTarget;
  readonly parameters: AslTemplate | undefined;
  readonly resultSelector: AslTemplate | undefined;
  readonly resultPath: AslPath | null;
  readonly retry: readonly AslRetrier[];
  readonly catch: readonly AslCatcher[];
  /** Task timeout in ms; undefined when not set (AWS: the execution's own limit applies). */
  readonly timeoutMs: number | undefined;
}

/** Pass state. */
export interface AslPassState extends AslStateBase {
  readonly type: "Pass";
  readonly parameters: AslTemplate | undefined;
  /** The Result field when present (`hasResult` tells an explicit null from absence). */
  readonly result: unknown;
  readonly hasResult: boolean;
  readonly resultPath: AslPath | null;
}

/** Choice state. */
export interface AslChoiceState extends AslStateBase {
  readonly type: "Choice";
  readonly choices: ReadonlyArray<{ readonly condition: AslCondition; readonly next: string }>;
  readonly defaultNext: string | undefined;
}

/** Wait state: exactly one of the four duration forms. */
export interface AslWaitState extends AslStateBase {
  readonly type: "Wait";
  readonly wait:
    | { readonly kind: "seconds"; readonly seconds: number }
    | { readonly kind: "secondsPath"; readonly path: AslPath }
    | { readonly kind: "timestamp"; readonly epochMs: number }
    | { readonly kind: "timestampPath"; readonly path: AslPath };
}

/** Succeed state. */
export interface AslSucceedState extends AslStateBase {
  readonly type: "Succeed";
}

/** Fail state. */
export interface AslFailState extends AslStateBase {
  readonly type: "Fail";
  readonly error: { readonly value: string } | { readonly path: AslPath } | undefined;
  readonly cause: { readonly value: string } | { readonly path: AslPath } | undefined;
}

/** Parallel state: each branch is a machine of its own. */
export interface AslParallelState extends AslStateBase {
  readonly type: "Parallel";
  readonly branches: readonly AslMachine[];
  readonly parameters: AslTemplate | undefined;
  readonly resultSelector: AslTemplate | undefined;
  readonly resultPath: AslPath | null;
  readonly retry: readonly AslRetrier[];
  readonly catch: readonly AslCatcher[];
}

/** Any state Rebound runs. */
export type AslState =
  | AslTaskState
  | AslPassState
  | AslChoiceState
  | AslWaitState
  | AslSucceedState
  | AslFailState
  | AslParallelState;

/** A parsed, validated state machine (or Parallel branch). */
export interface AslMachine {
  readonly startAt: string;
  readonly states: ReadonlyMap<string, AslState>;
  /** Top-level TimeoutSeconds in ms (machines only; undefined when not set). */
  readonly timeoutMs: number | undefined;
}
