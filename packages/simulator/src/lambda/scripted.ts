import { ConfigurationError } from "../engine/errors.js";
import {
  assertFunction,
  assertIntInRange,
  assertOptions,
  assertString,
  describe,
} from "../engine/validate.js";
import type { LambdaContext, LambdaHandler } from "./LambdaContext.js";
import { describeMatch, eventMatches, type PayloadMatch } from "./payloadMatch.js";
import { Reply } from "./Reply.js";
import { Script, type ScriptEnv } from "./Script.js";

/** A virtual duration: fixed, or drawn per invocation from the function's seeded source. */
export type ScriptDuration = number | ((event: unknown, env: ScriptEnv) => number);

/** Options every script accepts. */
export interface ScriptOptions {
  /** Virtual time each invocation takes. Default 0. Longer than the function timeout → `Sandbox.Timedout`. */
  readonly durationMs?: ScriptDuration;
}

/** Options of scripts that fail. */
export interface FailOptions extends ScriptOptions {
  /** The reported `errorType`. Default "Error". */
  readonly errorType?: string;
  /** The reported `errorMessage`. Default "scripted failure". */
  readonly errorMessage?: string;
}

/** How a per-event script recognises the same event on its next attempt. */
export interface KeyOptions {
  /**
   * `event` (default): count attempts per event key (see `key`); `function`: count every invocation of
   * the function together (the first N invocations fail, whatever they carry).
   */
  readonly per?: "event" | "function";
  /** The key of an event. Default: the ids of its `Records` (message id, sequence number), else the request id. */
  readonly key?: (event: unknown, context: LambdaContext) => string;
}

const BASE_KEYS = ["durationMs"] as const;
const FAIL_KEYS = ["durationMs", "errorType", "errorMessage"] as const;

/**
 * The library to script functions for tests, scenarios and what-if runs. Every script is deterministic:
 * fractions draw from the function's own seeded source, counters count attempts per event key.
 * Fixed replies are built once, so a scripted function allocates nothing per invocation on its fast path
 * (the 1M-message benchmark depends on it).
 *
 * @example
 * ```ts
 * import { scripted } from "@rebound/simulator";
 * scripted.succeed({ durationMs: 200 });
 * scripted.fail({ errorType: "PaymentDeclined" });
 * scripted.failTimes(2);                        // each event fails twice, then succeeds
 * scripted.failFraction(0.1);                   // 10% of invocations fail (seeded)
 * scripted.batchItemFailures((record) => JSON.parse(record.body).poison === true);
 * scripted.respond({ batchItemFailures: [{ itemIdentifier: "" }] }); // a response AWS rejects
 * scripted.succeed({ durationMs: 10_000 });     // times out at a 3 s function timeout
 * scripted.throttle();                          // every invoke is throttled
 * scripted.byPayload([{ when: { path: "$.vip", exists: true }, script: scripted.succeed() }], scripted.fail());
 * ```
 */
export const scripted = {
  /** Always succeeds, returning `payload` (default undefined). */
  succeed(options: ScriptOptions & { readonly payload?: unknown } = {}): Script {
    assertOptions("scripted.succeed", options, ["durationMs", "payload"]);
    const duration = checkDuration("scripted.succeed", options.durationMs);
    return new Script(
      `succeeds${durationText(duration)}`,
      (env) => {
        const reply = successReply(options.payload, duration, env);
        return () => reply(undefined);
      },
      typeof duration === "function",
    );
  },

  /** Always fails with the given error type. */
  fail(options: FailOptions = {}): Script {
    assertOptions("scripted.fail", options, FAIL_KEYS);
    const duration = checkDuration("scripted.fail", options.durationMs);
    const error = errorPayload("scripted.fail", options);
    return new Script(
      `fails with ${error.errorType}${durationText(duration)}`,
      (env) => {
        const reply = errorReply(error, duration, env);
        return (event) => reply(event);
      },
      typeof duration === "function",
    );
  },

  /** Each event fails its first `times` attempts, then succeeds. */
  failTimes(times: number, options: FailOptions & KeyOptions = {}): Script {
    assertIntInRange("scripted.failTimes", "times", times, 0, 1_000_000);
    assertOptions("scripted.failTimes", options, [...FAIL_KEYS, "per", "key"]);
    const duration = checkDuration("scripted.failTimes", options.durationMs);
    const error = errorPayload("scripted.failTimes", options);
    const counter = attemptCounter("scripted.failTimes", options);
    return new Script(
      `fails ${times} time(s) per ${options.per ?? "event"} with ${error.errorType}, then succeeds`,
      (env) => {
        const fail = errorReply(error, duration, env);
        const ok = successReply(undefined, duration, env);
        const count = counter();
        return (event, context) => (count(event, context) < times ? fail(event) : ok(event));
      },
      options.per !== "function" || typeof duration === "function",
    );
  },

  /** Fails a fraction of invocations (or, with `perItem`, reports that fraction of records as batch item failures). */
  failFraction(fraction: number, options: FailOptions & { readonly perItem?: boolean } = {}): Script {
    if (typeof fraction !== "number" || !(fraction >= 0 && fraction <= 1)) {
      throw new ConfigurationError(
        "fraction",
        `scripted.failFraction: fraction must be in [0, 1], got ${describe(fraction)}`,
      );
    }
    assertOptions("scripted.failFraction", options, [...FAIL_KEYS, "perItem"]);
    const duration = checkDuration("scripted.failFraction", options.durationMs);
    const error = errorPayload("scripted.failFraction", options);
    if (options.perItem === true) {
      return new Script(`reports ${fraction * 100}% of records as batch item failures`, (env) => {
        const reply = (response: unknown, event: unknown): Reply =>
          Reply.success(response, { durationMs: durationOf(duration, event, env) });
        return (event) =>
          reply({ batchItemFailures: failedItems(event, () => env.random.next() < fraction) }, event);
      });
    }
    return new Script(
      `fails ${fraction * 100}% of invocations with ${error.errorType}`,
      (env) => {
        const fail = errorReply(error, duration, env);
        const ok = successReply(undefined, duration, env);
        return (event) => (env.random.next() < fraction ? fail(event) : ok(event));
      },
      typeof duration === "function",
    );
  },

  /** Returns `{ batchItemFailures }` listing every record `select` picks (SQS message id, stream sequence number). */
  batchItemFailures(
    select: (record: Record<string, unknown>, index: number) => boolean,
    options: ScriptOptions = {},
  ): Script {
    assertFunction("scripted.batchItemFailures", "select", select);
    assertOptions("scripted.batchItemFailures", options, BASE_KEYS);
    const duration = checkDuration("scripted.batchItemFailures", options.durationMs);
    return new Script(
      "reports selected records as batch item failures",
      (env) => (event) =>
        Reply.success(
          { batchItemFailures: failedItems(event, select) },
          { durationMs: durationOf(duration, event, env) },
        ),
    );
  },

  /** Returns exactly `response` (or what the function computes), e.g. a partial batch response AWS rejects. */
  respond(response: unknown, options: ScriptOptions = {}): Script {
    assertOptions("scripted.respond", options, BASE_KEYS);
    const duration = checkDuration("scripted.respond", options.durationMs);
    return new Script(
      `responds ${describe(response)}`,
      (env) => (event, context) =>
        Reply.success(typeof response === "function" ? response(event, context) : response, {
          durationMs: durationOf(duration, event, env),
        }),
    );
  },

  /**
   * Chooses a script by what the invocation carries: the first case whose `when` matches the event
   * (any of its records, see `eventMatches`) runs, `otherwise` for every other event. Each case keeps
   * its own attempt counts.
   */
  byPayload(
    cases: readonly { readonly when: PayloadMatch; readonly script: Script }[],
    otherwise: Script,
  ): Script {
    if (
      !Array.isArray(cases) ||
      !cases.every(
        (each) => each?.script instanceof Script && typeof each.when === "object" && each.when !== null,
      )
    )
      throw new ConfigurationError(
        "cases",
        "scripted.byPayload: cases must be an array of { when: PayloadMatch, script: scripted.* }",
      );
    if (!(otherwise instanceof Script))
      throw new ConfigurationError("otherwise", "scripted.byPayload: otherwise must be a scripted.* script");
    return new Script(
      `${cases.map((each) => `when ${describeMatch(each.when)}: ${each.script.description}`).join("; ")}; otherwise ${otherwise.description}`,
      (env) => {
        const bound = cases.map((each) => ({ when: each.when, handler: each.script.bind(env) }));
        const fallback = otherwise.bind(env);
        return (event, context) =>
          (bound.find((each) => eventMatches(each.when, event))?.handler ?? fallback)(event, context);
      },
    );
  },

  /** Every invoke is throttled (429 before execution). */
  throttle(): Script {
    return new Script("is always throttled", () => () => Reply.throttle(), false);
  },

  /**
   * Per event key, attempt k behaves like `steps[k]` (the last step repeats). `sequence([throttle(),
   * fail(), succeed()])` is throttled, then fails, then succeeds.
   */
  sequence(steps: readonly Script[], options: KeyOptions = {}): Script {
    if (!Array.isArray(steps) || steps.length === 0 || !steps.every((step) => step instanceof Script)) {
      throw new ConfigurationError(
        "steps",
        "scripted.sequence: steps must be a non-empty array of scripted.* scripts",
      );
    }
    assertOptions("scripted.sequence", options, ["per", "key"]);
    const counter = attemptCounter("scripted.sequence", options);
    return new Script(
      `per ${options.per ?? "event"}: ${steps.map((step) => step.description).join(", then ")}`,
      (env) => {
        const handlers = steps.map((step) => step.bind(env));
        const count = counter();
        return (event, context) =>
          handlers[Math.min(count(event, context), handlers.length - 1)]!(event, context);
      },
      options.per !== "function" || steps.some((step) => step.readsInput),
    );
  },

  /** Any behaviour: a handler that also receives the function's seeded source and clock. */
  custom(
    description: string,
    handler: (event: unknown, context: LambdaContext, env: ScriptEnv) => unknown,
  ): Script {
    assertString("scripted.custom", "description", description);
    assertFunction("scripted.custom", "handler", handler);
    return new Script(description, (env) => (event, context) => handler(event, context, env));
  },
} as const;

function checkDuration(where: string, duration: ScriptDuration | undefined): ScriptDuration | undefined {
  if (duration === undefined || typeof duration === "function") return duration;
  if (typeof duration !== "number" || !(Number.isFinite(duration) && duration >= 0)) {
    throw new ConfigurationError(
      "durationMs",
      `${where}: durationMs must be a number >= 0 or a function returning one, got ${describe(duration)}`,
    );
  }
  return duration;
}

function durationText(duration: ScriptDuration | undefined): string {
  return typeof duration === "number" && duration > 0 ? ` after ${duration} ms` : "";
}

function durationOf(
  duration: ScriptDuration | undefined,
  event: unknown,
  env: ScriptEnv,
): number | undefined {
  return typeof duration === "function" ? duration(event, env) : duration;
}

function errorPayload(
  where: string,
  options: FailOptions,
): { errorType: string; errorMessage: string; trace: string[] } {
  const errorType = options.errorType ?? "Error";
  const errorMessage = options.errorMessage ?? "scripted failure";
  assertString(where, "errorType", errorType);
  if (typeof errorMessage !== "string") {
    throw new ConfigurationError("errorMessage", `${where}: errorMessage must be a string`);
  }
  return {
    errorType,
    errorMessage,
    trace: [`${errorType}: ${errorMessage}`, "    at scripted (rebound:scripted)"],
  };
}

/** A fixed duration gives one prebuilt reply; a drawn one builds a reply per invocation. */
function successReply(
  payload: unknown,
  duration: ScriptDuration | undefined,
  env: ScriptEnv,
): (event: unknown) => Reply {
  if (typeof duration === "function")
    return (event) => Reply.success(payload, { durationMs: duration(event, env) });
  const reply = Reply.success(payload, { durationMs: duration ?? 0 });
  return () => reply;
}

function errorReply(
  error: { errorType: string; errorMessage: string; trace: string[] },
  duration: ScriptDuration | undefined,
  env: ScriptEnv,
): (event: unknown) => Reply {
  if (typeof duration === "function")
    return (event) => Reply.error(error, { durationMs: duration(event, env) });
  const reply = Reply.error(error, { durationMs: duration ?? 0 });
  return () => reply;
}

function attemptCounter(
  where: string,
  options: KeyOptions,
): () => (event: unknown, context: LambdaContext) => number {
  const per = options.per ?? "event";
  if (per !== "event" && per !== "function") {
    throw new ConfigurationError("per", `${where}: per must be "event" or "function", got ${describe(per)}`);
  }
  if (options.key !== undefined) assertFunction(where, "key", options.key);
  const keyOf = options.key ?? defaultKey;
  return () => {
    if (per === "function") {
      let invocations = 0;
      return () => invocations++;
    }
    const seen = new Map<string, number>();
    return (event, context) => {
      const key = keyOf(event, context);
      const count = seen.get(key) ?? 0;
      seen.set(key, count + 1);
      return count;
    };
  };
}

/** The ids of an event's records, else the request id (the same on every async retry). */
function defaultKey(event: unknown, context: LambdaContext): string {
  const records = (event as { Records?: unknown } | null)?.Records;
  if (Array.isArray(records) && records.length > 0) return records.map(itemIdentifierOf).join(",");
  return context.awsRequestId;
}

/** The `itemIdentifier` AWS expects for a record: SQS messageId, Kinesis/DynamoDB sequence number. */
export function itemIdentifierOf(record: unknown): string {
  const value = record as {
    messageId?: string;
    kinesis?: { sequenceNumber?: string };
    dynamodb?: { SequenceNumber?: string };
    Sns?: { MessageId?: string };
  };
  return (
    value?.messageId ??
    value?.kinesis?.sequenceNumber ??
    value?.dynamodb?.SequenceNumber ??
    value?.Sns?.MessageId ??
    ""
  );
}

function failedItems(
  event: unknown,
  select: (record: Record<string, unknown>, index: number) => boolean,
): { itemIdentifier: string }[] {
  const records = (event as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records)) return [];
  const failures: { itemIdentifier: string }[] = [];
  records.forEach((record: Record<string, unknown>, index) => {
    if (select(record, index)) failures.push({ itemIdentifier: itemIdentifierOf(record) });
  });
  return failures;
}

export type { LambdaHandler };
