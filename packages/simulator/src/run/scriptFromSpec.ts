import { describeMatch, eventMatches, recordMatches } from "../lambda/payloadMatch.js";
import { Reply } from "../lambda/Reply.js";
import type { Script } from "../lambda/Script.js";
import { itemIdentifierOf, type ScriptDuration, scripted } from "../lambda/scripted.js";
import type { ScriptedFunctionSpec, SequenceStep } from "../scenario/Scenario.js";

/**
 * Turns a scenario's `functions:` entry into a scripted function, so a what-if run can replace any
 * function of any Terraform JSON without its code.
 *
 * @example
 * ```ts
 * topology.addFunction({ functionName: "pay", handler: scriptFromSpec(scenario.functions.pay!) });
 * ```
 */
export function scriptFromSpec(spec: ScriptedFunctionSpec): Script {
  const durationMs = durationOf(spec.duration);
  const failure = { errorType: spec.errorType, errorMessage: spec.errorMessage, durationMs };
  switch (spec.behaviour) {
    case "succeed":
      return scripted.succeed({ payload: spec.result, durationMs });
    case "fail":
      return scripted.fail(failure);
    case "fail-times":
      return scripted.failTimes(spec.times ?? 1, { ...failure, per: "function" });
    case "fail-rate":
      return scripted.failFraction(spec.rate ?? 0, failure);
    case "throttle":
      return spec.times === undefined
        ? scripted.throttle()
        : scripted.sequence([scripted.throttle(), scripted.succeed({ payload: spec.result, durationMs })], {
            per: "function",
            key: () => "all",
          });
    case "fail-matching": {
      const match = spec.match ?? { contains: "" };
      return scripted.custom(`fails when a record ${describeMatch(match)}`, (event, _context, env) => {
        const duration = typeof durationMs === "function" ? durationMs(event, env) : durationMs;
        return eventMatches(match, event)
          ? Reply.error(
              { errorType: spec.errorType, errorMessage: spec.errorMessage },
              { durationMs: duration },
            )
          : Reply.success(spec.result, { durationMs: duration });
      });
    }
    case "sequence": {
      const sequenceOf = (steps: readonly SequenceStep[]) =>
        scripted.sequence(steps.map(stepScript), { per: spec.per });
      const otherwise = sequenceOf(spec.steps ?? []);
      if (spec.cases === undefined || spec.cases.length === 0) return otherwise;
      return scripted.byPayload(
        spec.cases.map((each) => ({ when: each.when, script: sequenceOf(each.steps) })),
        otherwise,
      );
    }
    case "batch-item-failures": {
      const match = spec.match ?? { contains: "" };
      const times = spec.times;
      if (times === undefined)
        return scripted.batchItemFailures((record) => recordMatches(match, record), { durationMs });
      // A record fails its first `times` deliveries: SQS counts them (ApproximateReceiveCount); a
      // stream record is counted here, by its sequence number.
      const deliveries = new Map<string, number>();
      return scripted.batchItemFailures(
        (record) => {
          const receiveCount = Number(
            (record.attributes as { ApproximateReceiveCount?: string } | undefined)?.ApproximateReceiveCount,
          );
          const id = itemIdentifierOf(record);
          const delivery = Number.isFinite(receiveCount) ? receiveCount : (deliveries.get(id) ?? 0) + 1;
          deliveries.set(id, delivery);
          return delivery <= times && recordMatches(match, record);
        },
        { durationMs },
      );
    }
  }
}

/** A fixed duration, or one drawn (seeded) from the range. */
function durationOf({ minMs, maxMs }: { readonly minMs: number; readonly maxMs: number }): ScriptDuration {
  return minMs === maxMs
    ? minMs
    : (_event, env) => minMs + Math.floor(env.random.next() * (maxMs - minMs + 1));
}

/** One step of a `sequence` as a script. */
function stepScript(step: SequenceStep): Script {
  const durationMs = durationOf(step.duration);
  if (step.outcome === "succeed") return scripted.succeed({ payload: step.result, durationMs });
  if (step.outcome === "respond") return scripted.respond(step.result, { durationMs });
  if (step.outcome === "throttle") return scripted.throttle();
  return scripted.fail({ errorType: step.errorType, errorMessage: step.errorMessage, durationMs });
}
