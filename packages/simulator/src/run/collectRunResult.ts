import type { ScriptedHttpService } from "../aws/ScriptedHttpService.js";
import { SimulatorError } from "../engine/errors.js";
import type { EventOutcome } from "../engine/Outcomes.js";
import { chartEndMs } from "../report/chartEndMs.js";
import type {
  QueueDepthSeries,
  RunAttempt,
  RunDisposition,
  RunEvent,
  RunResult,
  UnmodelledResource,
} from "../report/RunResult.js";
import { attemptSeriesFromEvents, sourceTotals } from "../report/sourceTotals.js";
import type { ObservedExecution } from "../scenario/evaluateExecution.js";
import { evaluateExpectations, type ObservedRequest } from "../scenario/evaluateExpectations.js";
import type { ObservedRejection } from "../scenario/rejectedExpectation.js";
import type { ConfigExpectation, Scenario } from "../scenario/Scenario.js";
import type { LoadedStack } from "../terraform/loadStack.js";
import {
  eventInvokeConfig,
  eventSourceMappingConfiguration,
  functionConfiguration,
} from "../topology/effectiveConfiguration.js";
import type { Topology } from "../topology/Topology.js";
import { mappingSourceArn } from "./mappingSource.js";
import type { ShortNames } from "./ShortNames.js";
import { queueAttributes } from "./topologyBackends.js";

/**
 * The result of a run that never started because AWS would refuse the stack: no events, the
 * `rejected` expectations checked against the rejections, every other expectation failed as not
 * checked. Only scenarios that expect a rejection get here; others stop with the rejections as bad input.
 *
 * @example
 * ```ts
 * if (rejections.length > 0) return rejectedRunResult({ scenario, seed, stackPath, virtualStartMs, wallMs }, rejections);
 * ```
 */
export function rejectedRunResult(
  facts: Pick<RunFacts, "scenario" | "seed" | "stackPath" | "virtualStartMs" | "wallMs">,
  rejections: readonly ObservedRejection[],
): RunResult {
  return {
    ...whatRan(facts),
    virtualEndMs: facts.virtualStartMs,
    virtualCapMs: facts.virtualStartMs,
    stoppedBecause: "refused",
    wallMs: facts.wallMs,
    events: [],
    attemptSeries: [],
    queueDepthSeries: [],
    expectations: evaluateExpectations(facts.scenario, {
      events: [],
      requests: [],
      queueDepths: {},
      virtualStartMs: facts.virtualStartMs,
      rejections,
    }),
    unmodelled: [],
    tracePath: undefined,
    reportPath: undefined,
    reproduce: reproduceCommand(facts.scenario, facts.seed),
  };
}

/** Which scenario ran, with which seed, on which stack, from when. */
function whatRan(
  facts: Pick<RunFacts, "scenario" | "seed" | "stackPath" | "virtualStartMs">,
): Pick<RunResult, "scenario" | "seed" | "stack" | "virtualStartMs"> {
  const { name, description, file } = facts.scenario;
  return {
    scenario: { name, description, file },
    seed: facts.seed,
    stack: facts.stackPath,
    virtualStartMs: facts.virtualStartMs,
  };
}

/** The command that runs the same scenario with the same seed. */
function reproduceCommand(scenario: Scenario, seed: number): string {
  return `pnpm rebound simulate ${scenario.file} --seed ${seed}`;
}

/** Everything a finished run hands over to build its result. */
export interface RunFacts {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly stackPath: string;
  readonly topology: Topology;
  readonly stack: LoadedStack;
  readonly names: ShortNames;
  /** Outcome key (message id, request id, sequence number) → the scenario's injection id. */
  readonly injectionKeys: ReadonlyMap<string, string>;
  readonly downstreams: ReadonlyMap<string, ScriptedHttpService>;
  /** Stand-ins for providers the scenario does not script; any request to one fails the run. */
  readonly unscripted: ReadonlyMap<string, ScriptedHttpService>;
  readonly queueRoles: ReadonlyMap<string, QueueDepthSeries["role"]>;
  readonly virtualStartMs: number;
  readonly virtualCapMs: number;
  readonly stoppedBecause: RunResult["stoppedBecause"];
  readonly wallMs: number;
  readonly tracePath: string | undefined;
  /** The event each invocation received, by request id (kept only for `invocations` checks that read it). */
  readonly invocationPayloads?: ReadonlyMap<string, unknown>;
}

/**
 * Turns the models' outcomes into the run's result: one `RunEvent` per event (injected ones named by
 * their scenario id), totals per source, attempt and queue-depth series,
 * and the scenario's expectations checked against it all.
 *
 * @example
 * ```ts
 * const result = collectRunResult(facts);
 * console.log(formatSummary(result));
 * ```
 */
export function collectRunResult(facts: RunFacts): RunResult {
  const { topology, names } = facts;
  const virtualEndMs = topology.simulation.now();
  // The book is emptied as its events are converted: both at once would double a large run's memory.
  const events: RunEvent[] = [];
  const naming = runNaming(facts);
  topology.outcomes.drain((outcome) => events.push(toRunEvent(outcome, facts, naming)));
  const requests: ObservedRequest[] = [...facts.downstreams].flatMap(([downstream, service]) =>
    service.requests.map((request) => ({
      downstream,
      method: request.method,
      path: request.path,
      status: request.status ?? 0,
      atMs: request.atMs,
      body: request.body,
      replayed: request.replayed,
    })),
  );
  const queueDepths = Object.fromEntries(
    topology.resources().queues.map((queue) => [names.short(queue.queueName), queue.messages().length]),
  );
  const executions = observedExecutions(facts);
  const expectations = evaluateExpectations(facts.scenario, {
    events,
    requests,
    queueDepths,
    virtualStartMs: facts.virtualStartMs,
    executions,
    configuration: (resource) => effectiveConfigurationOf(resource, facts),
    stackAttribute: (kind, name, attribute) => stackAttributeOf(kind, name, attribute, facts),
    rejections: [],
    ...(facts.invocationPayloads ? { invocationPayloads: facts.invocationPayloads } : {}),
  });
  for (const [name, service] of facts.unscripted) {
    if (service.requests.length === 0) continue;
    const first = service.requests[0]!;
    expectations.push({
      name: `every downstream call is scripted (${name})`,
      ok: false,
      detail: `${service.requests.length} call(s) to the unscripted downstream "${name}", first ${first.method} ${first.path}; script it under downstreams: ${name}`,
    });
  }
  const partial = { events, sources: undefined };
  return {
    ...whatRan(facts),
    virtualEndMs,
    virtualCapMs: facts.virtualCapMs,
    stoppedBecause: facts.stoppedBecause,
    wallMs: facts.wallMs,
    events,
    sources: sourceTotals(partial),
    // Buckets sized for the span that has activity, the span the report's charts show.
    attemptSeries: attemptSeriesFromEvents(
      events,
      facts.virtualStartMs,
      chartEndMs({ events }, facts.virtualStartMs, virtualEndMs),
    ),
    queueDepthSeries: depthSeries(events, facts.queueRoles),
    expectations,
    executions,
    unmodelled: facts.stack.unmodelled.map(toUnmodelled),
    tracePath: facts.tracePath,
    reportPath: undefined,
    reproduce: reproduceCommand(facts.scenario, facts.seed),
  };
}

/** Short names and sources, each string made once: a million events share a handful of them. */
interface RunNaming {
  short(name: string): string;
  source(source: string): string;
}

function runNaming(facts: RunFacts): RunNaming {
  const once = (make: (text: string) => string) => {
    const made = new Map<string, string>();
    return (text: string): string => {
      let value = made.get(text);
      if (value === undefined) {
        value = make(text);
        made.set(text, value);
      }
      return value;
    };
  };
  return {
    short: once((name) => facts.names.short(name)),
    source: once((source) => shortSource(source, facts.names)),
  };
}

function toRunEvent(outcome: EventOutcome, facts: RunFacts, naming: RunNaming): RunEvent {
  const disposition: RunDisposition | null = outcome.disposition ?? null;
  const attempts: RunAttempt[] = outcome.attempts.map((attempt) => ({
    atMs: attempt.startMs,
    endMs: attempt.endMs,
    result: attempt.result,
    batchSize: attempt.batch?.length ?? 1,
    requestId: attempt.requestId,
    functionName: naming.short(attempt.functionName),
    ...(attempt.errorType !== undefined ? { errorType: attempt.errorType } : {}),
  }));
  const where = outcome.target;
  return {
    // Only the injected event itself carries the scenario's id: a DLQ copy keeps its message id (as
    // SQS does on redrive) but is an event of its own, linked by `parent`.
    id:
      (outcome.parent === undefined ? facts.injectionKeys.get(outcome.key) : undefined) ??
      `${naming.source(outcome.source)}#${outcome.id}`,
    key: outcome.key,
    source: naming.source(outcome.source),
    injectedAtMs: outcome.injectedAtMs,
    attempts,
    disposition,
    ...(outcome.settledAtMs !== undefined ? { settledAtMs: outcome.settledAtMs } : {}),
    ...(where !== undefined ? { where: naming.short(where.slice(where.lastIndexOf(":") + 1)) } : {}),
    ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}),
    ...(outcome.record !== undefined ? { record: outcome.record } : {}),
  };
}

/**
 * The models' sources in the words scenarios use, with short names: `sqs:payments`, `lambda:receipts`,
 * `sfn:fulfillment`, `dynamodb-stream:orders`, `kinesis:<stream>`.
 */
function shortSource(source: string, names: ShortNames): string {
  const [kind = "", first = "", ...rest] = source.split(":");
  const name = names.short(first);
  if (kind === "states") return `sfn:${name}`;
  if (kind === "async") return `lambda:${name}`;
  if (kind === "esm" && rest.length > 0) {
    return `${names.isTable(first) ? "dynamodb-stream" : "kinesis"}:${name}`;
  }
  return first === "" ? source : `${kind}:${[name, ...rest].join(":")}`;
}

/** Depth of every DLQ, destination and parking queue over time: arrivals minus settled messages. */
function depthSeries(
  events: readonly RunEvent[],
  roles: ReadonlyMap<string, QueueDepthSeries["role"]>,
): QueueDepthSeries[] {
  return [...roles].map(([queue, role]) => {
    const changes: { atMs: number; delta: number }[] = [];
    for (const event of events) {
      if (event.source !== `sqs:${queue}`) continue;
      changes.push({ atMs: event.injectedAtMs, delta: 1 });
      if (event.settledAtMs !== undefined) changes.push({ atMs: event.settledAtMs, delta: -1 });
    }
    changes.sort((a, b) => a.atMs - b.atMs || b.delta - a.delta);
    let depth = 0;
    const points = changes.map((change) => {
      depth += change.delta;
      return { atMs: change.atMs, depth };
    });
    return { queue, role, points };
  });
}

function toUnmodelled(entry: string): UnmodelledResource {
  const match = /^([a-z0-9_]+)\.(\S+)(?: \((.*)\))?$/.exec(entry);
  if (!match) return { type: "unknown", name: entry };
  return { type: match[1]!, name: match[2]!, ...(match[3] !== undefined ? { note: match[3] } : {}) };
}

/** Every Step Functions execution with its history's event types, named as the scenario names it. */
function observedExecutions(facts: RunFacts): ObservedExecution[] {
  const sfn = facts.stack.stepFunctions;
  return sfn.executions().map((execution) => ({
    id: facts.injectionKeys.get(execution.name) ?? execution.name,
    name: execution.name,
    stateMachine: facts.names.short(
      execution.stateMachineArn.slice(execution.stateMachineArn.lastIndexOf(":") + 1),
    ),
    status: execution.status,
    error: execution.error,
    cause: execution.cause,
    output: execution.output,
    history: sfn.historyTypes(execution.executionArn),
  }));
}

/** A `config` check's resource, looked up in the topology with AWS's field names. */
function effectiveConfigurationOf(
  resource: ConfigExpectation["resource"],
  facts: RunFacts,
): Record<string, unknown> {
  const { topology, names } = facts;
  switch (resource.kind) {
    case "function":
      return functionConfiguration(topology, names.full("function", resource.name));
    case "eventInvokeConfig":
      return eventInvokeConfig(topology, names.full("function", resource.name));
    case "queue": {
      const queue = topology.queue(names.full("queue", resource.name));
      return queueAttributes(queue);
    }
    case "mapping":
      return eventSourceMappingConfiguration(topology, {
        functionName: names.full("function", resource.function),
        eventSourceArn: mappingSourceArn(resource.source, { topology, stack: facts.stack, names }),
      });
  }
}

/** An attribute of a function, queue or topic of the stack, by its short name; undefined when there is none. */
function stackAttributeOf(
  kind: "function" | "queue" | "topic",
  name: string,
  attribute: "arn" | "url" | "name",
  facts: RunFacts,
): string | undefined {
  const { topology, names } = facts;
  try {
    if (kind === "function") {
      const fn = topology.function(names.full("function", name));
      return attribute === "arn" ? fn.arn : attribute === "name" ? fn.functionName : undefined;
    }
    if (kind === "queue") {
      const queue = topology.queue(names.full("queue", name));
      return attribute === "arn" ? queue.arn : attribute === "url" ? queue.url : queue.queueName;
    }
    const topic = topology.topic(names.full("topic", name));
    return attribute === "arn"
      ? topic.arn
      : attribute === "name"
        ? topic.arn.slice(topic.arn.lastIndexOf(":") + 1)
        : undefined;
  } catch (error) {
    // A name the stack does not have: the check says so.
    if (error instanceof SimulatorError) return undefined;
    throw error;
  }
}
