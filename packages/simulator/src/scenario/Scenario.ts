import type { PayloadMatch } from "../lambda/payloadMatch.js";

/**
 * The parsed, validated form of a scenario file (`scenarios/*.yaml`). Every time is in virtual
 * milliseconds from the start of the run; every value has been range-checked by `parseScenario`.
 * The file format itself is documented in `scenarios/README.md`.
 *
 * @example
 * ```ts
 * import { parseScenario, type Scenario } from "@rebound/simulator";
 * const scenario: Scenario = parseScenario(text, "scenarios/happy-path.yaml");
 * console.log(scenario.name, scenario.seed, scenario.events.length);
 * ```
 */
export interface Scenario {
  /** File name the scenario was read from, as given to `parseScenario` (used in every message). */
  readonly file: string;
  readonly name: string;
  readonly description: string;
  /** Path of the Terraform JSON to run, relative to the scenario file; `undefined` = the synthesized orders stack. */
  readonly stack: string | undefined;
  /** Seed of every random choice of the run (the CLI's `--seed` overrides it). Default 1. */
  readonly seed: number;
  /** Run exactly this long, then stop (events still in flight are reported unfinished); `undefined` = until idle. */
  readonly durationMs: number | undefined;
  /** When running until idle, stop at this virtual time at the latest. Default 24 h. */
  readonly maxVirtualMs: number;
  readonly events: readonly ScenarioEvent[];
  /** Scripted HTTP services by name (payment, mail, slack, stock, carrier, ...). */
  readonly downstreams: Readonly<Record<string, DownstreamSpec>>;
  /** Functions replaced by scripted behaviour (what-if runs), by function name. */
  readonly functions: Readonly<Record<string, ScriptedFunctionSpec>>;
  readonly expect: readonly Expectation[];
}

/** Where something was written in the scenario file: 1-based line and column. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * The event kinds a scenario can inject, as `as const` object and derived union.
 *
 * @example
 * ```ts
 * import { EventKind } from "@rebound/simulator";
 * if (event.kind === EventKind.Sqs) console.log(event.queue);
 * ```
 */
export const EventKind = {
  Api: "api",
  Sqs: "sqs",
  Sns: "sns",
  Invoke: "invoke",
  Table: "table",
  Kinesis: "kinesis",
  Mapping: "mapping",
  Concurrency: "concurrency",
  Execution: "execution",
  SqsBatch: "sqs-batch",
  KinesisBatch: "kinesis-batch",
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

/**
 * Placeholders allowed in an event's text values (headers, path, bodies, ids of groups...), replaced
 * per injected copy by `expandEvents`: `{{n}}` = the copy number from 1, `{{id}}` = the injection id.
 */
export const EVENT_PLACEHOLDERS = ["n", "id"] as const;

interface EventBase {
  /** Identifier of the event in outcomes and expectations; default `e<index>` (1-based position in `events`). */
  readonly id: string;
  /** Virtual time of the first injection. */
  readonly atMs: number;
  /** How many times to inject it (default 1); the n-th copy (0-based) is injected at `atMs + n * everyMs`. */
  readonly repeat: number;
  /** Spacing of repeated copies; 0 when `repeat` is 1. */
  readonly everyMs: number;
  readonly location: SourceLocation;
  /** Where each key's value was written (`queue`, `function`, ...), for messages about that value. */
  readonly fieldLocations: Readonly<Record<string, SourceLocation>>;
}

/** An HTTP request to the stack's API Gateway HTTP API (payload v2). */
export interface ApiEvent extends EventBase {
  readonly kind: "api";
  readonly method: HttpMethod;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  /** JSON value (sent as JSON text) or a string sent as is; `undefined` = no body. */
  readonly body: unknown;
  /**
   * Claims of a token minted for the route's JWT authorizer and sent in its identity header
   * (`jwt:`); the authorizer's issuer and audience and a one-hour expiry unless overridden.
   */
  readonly jwtClaims?: Readonly<Record<string, unknown>>;
}

/** A message sent to an SQS queue, as a producer outside the stack would. */
export interface SqsEvent extends EventBase {
  readonly kind: "sqs";
  readonly queue: string;
  /** Message body; a JSON value given in YAML is sent as its JSON text. */
  readonly body: string;
  /** Required for FIFO queues (checked by the run, which knows the queue type). */
  readonly groupId: string | undefined;
  readonly deduplicationId: string | undefined;
  readonly attributes: Readonly<Record<string, string>>;
}

/** A message published to an SNS topic. */
export interface SnsEvent extends EventBase {
  readonly kind: "sns";
  readonly topic: string;
  readonly message: string;
  readonly subject: string | undefined;
  readonly attributes: Readonly<Record<string, string>>;
}

/** An asynchronous (`InvocationType=Event`) invoke of a function. */
export interface InvokeEvent extends EventBase {
  readonly kind: "invoke";
  readonly function: string;
  readonly payload: unknown;
  /** `Event` (default, asynchronous) or `RequestResponse` (synchronous: the response is kept). */
  readonly invocationType: "Event" | "RequestResponse";
}

/** A write to a DynamoDB table (produces a stream record when the table has a stream). */
export interface TableEvent extends EventBase {
  readonly kind: "table";
  readonly table: string;
  readonly write: TableWrite;
}

/** One DynamoDB write, items and keys as plain JSON (the run marshals them). */
export type TableWrite =
  | { readonly type: "put"; readonly item: Readonly<Record<string, unknown>> }
  | {
      readonly type: "update";
      readonly key: Readonly<Record<string, unknown>>;
      /** Attributes to set (an `UpdateItem` with `SET a = :a, ...`). */
      readonly set: Readonly<Record<string, unknown>>;
    }
  | { readonly type: "delete"; readonly key: Readonly<Record<string, unknown>> };

/** A record put on a Kinesis stream. */
export interface KinesisEvent extends EventBase {
  readonly kind: "kinesis";
  readonly stream: string;
  readonly partitionKey: string;
  /** Record data as text; a JSON value given in YAML is sent as its JSON text. */
  readonly data: string;
}

/**
 * UpdateEventSourceMapping at a virtual time: the mapping that feeds `function` from `source`
 * (`sqs:<queue>`, `dynamodb-stream:<table>`, `kinesis:<stream>`) is enabled or disabled.
 */
export interface MappingEvent extends EventBase {
  readonly kind: "mapping";
  readonly function: string;
  readonly source: string;
  readonly enabled: boolean;
}

/** PutFunctionConcurrency (`reserved: N`) or DeleteFunctionConcurrency (`reserved: null`) at a virtual time. */
export interface ConcurrencyEvent extends EventBase {
  readonly kind: "concurrency";
  readonly function: string;
  readonly reserved: number | null;
}

/** StartExecution of a state machine (by its short name) with `input` (JSON) and an optional `name`. */
export interface ExecutionEvent extends EventBase {
  readonly kind: "execution";
  readonly stateMachine: string;
  readonly input: unknown;
  /** The execution's name; default: the injection id. */
  readonly name: string | undefined;
}

/** SendMessageBatch: 1 to 10 entries sent to `queue` in order. */
export interface SqsBatchEvent extends EventBase {
  readonly kind: "sqs-batch";
  readonly queue: string;
  readonly entries: readonly {
    readonly body: string;
    readonly groupId: string | undefined;
    readonly deduplicationId: string | undefined;
  }[];
}

/** PutRecords: 1 to 500 records written to `stream` in order. */
export interface KinesisBatchEvent extends EventBase {
  readonly kind: "kinesis-batch";
  readonly stream: string;
  readonly records: readonly { readonly partitionKey: string; readonly data: string }[];
}

export type ScenarioEvent =
  | SqsBatchEvent
  | KinesisBatchEvent
  | ExecutionEvent
  | ApiEvent
  | SqsEvent
  | SnsEvent
  | InvokeEvent
  | TableEvent
  | KinesisEvent
  | MappingEvent
  | ConcurrencyEvent;

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** A latency: fixed, or drawn uniformly (seeded) from `[minMs, maxMs]`. */
export interface LatencySpec {
  readonly minMs: number;
  readonly maxMs: number;
}

/** A virtual-time window `[fromMs, toMs)` during which a downstream is down. */
export interface OutageWindow {
  readonly fromMs: number;
  readonly toMs: number;
  /** `unavailable`: answer 503 at once; `hang`: never answer (the caller's timeout ends the attempt). */
  readonly mode: "unavailable" | "hang";
  readonly location: SourceLocation;
}

/**
 * How one route (or the whole service, as default) of a scripted downstream answers. Precedence per
 * request: an outage window covering the request's virtual time, then `sequence`, then `errorRate`
 * (answering `errorStatus` with `errorBody`), then `status` with `body`. The same shape as the
 * environment's `ScriptedRoute` (`sequence` is its `statusSequence`).
 */
export interface RouteBehaviour {
  /** Status of a normal answer. Default 200. */
  readonly status: number;
  /**
   * Statuses of the first requests, in order (request n gets `sequence[n - 1]`), before the normal
   * behaviour applies: `[503, 503, 409]` scripts "two outages then a refusal" whatever the timing.
   * Outage windows still win. Default [].
   */
  readonly sequence: readonly number[];
  /** JSON body of a normal answer. Default `{}`. */
  readonly body: unknown;
  /** Fraction of requests (seeded) answered with `errorStatus` instead. Default 0. */
  readonly errorRate: number;
  /** Status of an error drawn by `errorRate`. Default 500. */
  readonly errorStatus: number;
  /** JSON body of an error answer (rate or sequence). Default `{"message": "scripted error"}`. */
  readonly errorBody: unknown;
  /**
   * Honour `Idempotency-Key` as payment providers do: a repeated key replays the first 2xx answer
   * without acting again (recorded as a replay). Default false.
   */
  readonly idempotent: boolean;
  /** Virtual latency of each answer. Default 0 ms. */
  readonly latency: LatencySpec;
  readonly outages: readonly OutageWindow[];
  /** Windows in which `status`, `errorRate`, `errorStatus` or latency change. Default []. */
  readonly phases: readonly RoutePhaseSpec[];
}

/** A window of virtual time (`from`, inclusive, to `to`) in which a route behaves otherwise. */
export interface RoutePhaseSpec {
  readonly fromMs: number;
  readonly toMs: number;
  readonly status?: number;
  readonly errorRate?: number;
  readonly errorStatus?: number;
  readonly latency?: LatencySpec;
}

/** A scripted HTTP service: a default behaviour, overridden per route (`"POST /charges"`). */
export interface DownstreamSpec {
  readonly defaults: RouteBehaviour;
  /** Routes by `"<METHOD> <path>"`; METHOD may be `*`, a path segment `{name}` matches any one segment. */
  readonly routes: Readonly<Record<string, RouteBehaviour>>;
  readonly location: SourceLocation;
}

/**
 * Behaviours a scripted function can have.
 *
 * @example
 * ```ts
 * import { FunctionBehaviour } from "@rebound/simulator";
 * if (spec.behaviour === FunctionBehaviour.FailTimes) console.log(spec.times);
 * ```
 */
export const FunctionBehaviour = {
  Succeed: "succeed",
  Fail: "fail",
  FailTimes: "fail-times",
  FailRate: "fail-rate",
  FailMatching: "fail-matching",
  BatchItemFailures: "batch-item-failures",
  Throttle: "throttle",
  Sequence: "sequence",
} as const;
export type FunctionBehaviour = (typeof FunctionBehaviour)[keyof typeof FunctionBehaviour];

/**
 * Scripted behaviour in place of a bundle.
 * - `succeed`: return `result` (default `null`).
 * - `fail`: every invocation throws `errorType`/`errorMessage`.
 * - `fail-times`: each event fails its first `times` attempts, then succeeds (`per: function`: the
 *   function's first `times` invocations fail, whatever they carry).
 * - `fail-rate`: each invocation fails with probability `rate` (seeded).
 * - `fail-matching`: an invocation fails when any record of its event matches `match` (text it
 *   contains, or a JSON path that equals a value or is present): the poison-record case.
 * - `batch-item-failures`: records matching `match` are returned as `batchItemFailures` (with
 *   `times`, only on each such record's first `times` deliveries: SQS's ApproximateReceiveCount).
 * - `throttle`: every invocation is throttled before execution, or with `times`, each event's first
 *   `times` attempts (`per: function`: the function's first `times` invocations).
 */
export interface ScriptedFunctionSpec {
  readonly behaviour: FunctionBehaviour;
  /** Error name reported as Lambda's `errorType`. Default "Error". */
  readonly errorType: string;
  readonly errorMessage: string;
  /** For `fail-times` (required) and `throttle` (default: every invocation). */
  readonly times: number | undefined;
  /** What `times` counts: attempts per event (default, as the core's `scripted.failTimes`) or invocations of the function. */
  readonly per: "event" | "function";
  /** For `fail-rate`, in [0, 1]. */
  readonly rate: number | undefined;
  /** For `fail-matching` and `batch-item-failures`. */
  readonly match: PayloadMatch | undefined;
  /** Value returned on success. Default null. */
  readonly result: unknown;
  /** Virtual duration of each invocation. Default 0 ms. */
  readonly duration: LatencySpec;
  /** For `sequence`: what the n-th delivery does (the last step repeats). */
  readonly steps?: readonly SequenceStep[];
  /**
   * For `sequence`: other steps for events that match; the first case whose `when` matches the
   * invocation's event (any of its records) gives the steps, `steps` is for every other event.
   */
  readonly cases?: readonly SequenceCase[];
  readonly location: SourceLocation;
}

/** Steps a `sequence` function takes for the events that match `when`. */
export interface SequenceCase {
  readonly when: PayloadMatch;
  readonly steps: readonly SequenceStep[];
}

/** One step of a `sequence` scripted function. */
export interface SequenceStep {
  readonly outcome: "succeed" | "fail" | "throttle" | "respond";
  readonly errorType: string;
  readonly errorMessage: string;
  /** What `succeed` and `respond` return (any JSON). */
  readonly result: unknown;
  readonly duration: LatencySpec;
}

/**
 * Expectation checks a scenario can state.
 *
 * @example
 * ```ts
 * import { ExpectationCheck } from "@rebound/simulator";
 * const noDoubleCharge = scenario.expect.find((e) => e.check === ExpectationCheck.NoDoubleCharge);
 * ```
 */
export const ExpectationCheck = {
  NoDoubleCharge: "no-double-charge",
  DeadLettersAlerted: "dead-letters-alerted",
  QueueDepth: "queue-depth",
  TimeToDeadLetter: "time-to-dead-letter",
  EveryEventFinal: "every-event-final",
  OutcomeCounts: "outcome-counts",
  EventOutcome: "event-outcome",
  Requests: "requests",
  Execution: "execution",
  Record: "record",
  Response: "response",
  Timing: "timing",
  Invocations: "invocations",
  Config: "config",
  Rejected: "rejected",
} as const;
export type ExpectationCheck = (typeof ExpectationCheck)[keyof typeof ExpectationCheck];

/**
 * Final dispositions, as in `RunResult`: the core model's (`failed` = a synchronous caller got the
 * error) plus `parked` (the function itself moved a permanent failure to its parking queue).
 */
export const SCENARIO_DISPOSITIONS = [
  "processed",
  "failed",
  "dead-lettered",
  "sent-to-destination",
  "expired",
  "dropped",
  "parked",
  "resting",
] as const;
export type ScenarioDisposition = (typeof SCENARIO_DISPOSITIONS)[number];

/** A count that must be exact, or within bounds. */
export interface CountSpec {
  readonly atLeast: number;
  readonly atMost: number;
}

interface ExpectationBase {
  /** Display name; defaults to a sentence built from the check and its settings. */
  readonly name: string;
  readonly location: SourceLocation;
  /** Where each key's value was written, for messages about that value. */
  readonly fieldLocations: Readonly<Record<string, SourceLocation>>;
}

export type Expectation = ExpectationBase &
  (
    | ({
        /**
         * AWS would refuse to deploy the stack, with a rejection matching every field given. The run
         * then stops before anything is injected; every other expectation fails as not checked.
         */
        readonly check: "rejected";
      } & RejectedExpectation)
    | ({
        /** A resource's effective configuration (AWS's field names, defaults filled in) contains a shape. */
        readonly check: "config";
      } & ConfigExpectation)
    | ({
        /** How a function was invoked: how often, how many at once, each event once. */
        readonly check: "invocations";
      } & InvocationsExpectation)
    | ({
        /** The virtual time between two points of an event's life (every copy) is within bounds. */
        readonly check: "timing";
      } & TimingExpectation)
    | {
        /**
         * The response a synchronous invoke or an API request got: its status, the function error
         * (`Unhandled`) and error type, and the payload (invoke) or body (API) matching a shape.
         */
        readonly check: "response";
        readonly event: string;
        readonly statusCode: number | undefined;
        readonly functionError: string | undefined;
        readonly errorType: string | undefined;
        readonly payload: unknown;
      }
    | {
        /**
         * Records that reached `target` (a DLQ, destination queue or topic, bus or bucket, by short
         * name), optionally only those about `event`, matching the `matches` shape: `count` of them
         * (default at least one; `count: 0` for records that must not exist).
         */
        readonly check: "record";
        readonly target: string;
        readonly event: string | undefined;
        readonly matches: unknown;
        readonly count: CountSpec | undefined;
      }
    | ({
        /**
         * Step Functions executions: the one started by `event`, or every execution of `stateMachine`,
         * ended with this status, error, cause and output, and with these history event types.
         */
        readonly check: "execution";
      } & ExecutionExpectation)
    | {
        /** No two successful (2xx) requests to `downstream` `route` carry the same body `key`. */
        readonly check: "no-double-charge";
        readonly downstream: string;
        readonly route: string;
        readonly key: string;
      }
    | {
        /**
         * Every event that ended dead-lettered, sent to a destination or parked is named (by its id or
         * its `key` value) in a successful request to `downstream` (the Slack webhook).
         */
        readonly check: "dead-letters-alerted";
        readonly downstream: string;
        /** Body field of the dead-lettered event also accepted as its name (e.g. orderId). */
        readonly key: string | undefined;
      }
    | {
        /** Depth of `queue` at the end of the run (messages visible + in flight + delayed). */
        readonly check: "queue-depth";
        readonly queue: string;
        readonly count: CountSpec;
      }
    | {
        /** Every event dead-lettered/sent to a destination/parked got there within `atMostMs` of its injection. */
        readonly check: "time-to-dead-letter";
        readonly atMostMs: number;
        /** Only events of this source (`sqs:payments`, `lambda:receipts`, ...); `undefined` = all. */
        readonly source: string | undefined;
      }
    | {
        /** Every event (injected or produced by the stack) reached exactly one final disposition. */
        readonly check: "every-event-final";
      }
    | {
        /** Number of events of `source` per final disposition. Dispositions not listed are not checked. */
        readonly check: "outcome-counts";
        readonly source: string;
        readonly counts: Readonly<Partial<Record<ScenarioDisposition, CountSpec>>>;
      }
    | {
        /** The injected event `event` (its `id`; every copy when repeated) ended so, after `attempts` attempts. */
        readonly check: "event-outcome";
        readonly event: string;
        readonly disposition: ScenarioDisposition;
        readonly attempts: CountSpec | undefined;
      }
    | {
        /** Number of requests to `downstream` (optionally one `route`) with a status of class `status`. */
        readonly check: "requests";
        readonly downstream: string;
        readonly route: string | undefined;
        readonly status: "success" | "error" | "any";
        readonly count: CountSpec;
      }
  );

/** What an `execution` expectation checks; every field but the selector is optional. */
export interface ExecutionExpectation {
  /** The scenario event (kind `execution`) that started it. */
  readonly event: string | undefined;
  /** Every execution of this state machine (short name). */
  readonly stateMachine: string | undefined;
  readonly status: "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "RUNNING" | undefined;
  readonly error: string | undefined;
  /** Text the cause contains. */
  readonly cause: string | undefined;
  /** A JSON shape the output contains (objects by subset, arrays and scalars equal). */
  readonly output: unknown;
  /** The history's event types, exactly, in order. */
  readonly history: readonly string[] | undefined;
  /** Event types that appear in the history in this order, others between them allowed. */
  readonly historyIncludes: readonly string[] | undefined;
}

/**
 * A point in an event's life: its injection, the start or end of its n-th attempt, its settling, its
 * record's arrival at a target (a DLQ, destination, bus or bucket); or a point of the whole run: the
 * arrival of the n-th record (of any event) at a target.
 */
export type TimingPoint =
  | { readonly kind: "injected" }
  | { readonly kind: "attempt"; readonly n: number }
  | { readonly kind: "attemptEnd"; readonly n: number }
  | { readonly kind: "settled" }
  | { readonly kind: "arrived"; readonly target: string }
  | { readonly kind: "record"; readonly n: number; readonly target: string };

/** What a `timing` expectation asks. */
export interface TimingExpectation {
  readonly event: string;
  readonly from: TimingPoint;
  readonly to: TimingPoint;
  readonly atLeastMs: number | undefined;
  readonly atMostMs: number | undefined;
}

/** What an `invocations` expectation asks of one function (short name). */
export interface InvocationsExpectation {
  readonly function: string;
  /** Invocations (one per request id; a batch counts once; throttles do not count). */
  readonly count: CountSpec | undefined;
  /** The most invocations running at one virtual instant. */
  readonly maxConcurrent: CountSpec | undefined;
  /** Every event the function received was delivered to it exactly once. */
  readonly eachEventOnce: boolean | undefined;
  /** Events (scenario ids) whose first deliveries to the function came in this order. */
  readonly order: readonly string[] | undefined;
  /** Checks of one invocation: the n-th (from 1, by start time; throttles do not count). */
  readonly nth: NthInvocationExpectation | undefined;
}

/** What an `invocations` expectation asks of the function's n-th invocation. */
export interface NthInvocationExpectation {
  readonly n: number;
  /** A shape the event it received contains (`containsShape`). */
  readonly payload: unknown;
  /** How it ended: success, function-error, timeout, item-failure or invalid-response. */
  readonly outcome: string | undefined;
  /** The events (scenario ids) its batch carried, in order. */
  readonly records: readonly string[] | undefined;
}

/** What a `rejected` expectation asks: a deploy-time refusal with these fields (each optional). */
export interface RejectedExpectation {
  /** Terraform address of the refused resource (`aws_lambda_event_source_mapping.jobs`). */
  readonly resource: string | undefined;
  /** The API call AWS refuses (`CreateEventSourceMapping`). */
  readonly operation: string | undefined;
  /** AWS's error code (`InvalidParameterValueException`). */
  readonly code: string | undefined;
  /** Text AWS's message contains. */
  readonly message: string | undefined;
  /** AWS's HTTP status (400, 404, 409). */
  readonly status: number | undefined;
}

/** What a `config` expectation checks: one resource's effective configuration against a shape. */
export interface ConfigExpectation {
  readonly resource:
    | { readonly kind: "function" | "queue" | "eventInvokeConfig"; readonly name: string }
    | { readonly kind: "mapping"; readonly function: string; readonly source: string };
  readonly matches: unknown;
}
