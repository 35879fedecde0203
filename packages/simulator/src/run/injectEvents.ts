import { ConfigurationError, SimulatorError } from "../engine/errors.js";
import type { Injection } from "../scenario/expandEvents.js";
import type { ApiEvent } from "../scenario/Scenario.js";
import type { KinesisStream } from "../streams/KinesisStream.js";
import type { StackRoute } from "../terraform/loadHttpApis.js";
import type { LoadedStack } from "../terraform/loadStack.js";
import {
  findEventSourceMapping,
  putFunctionConcurrency,
  updateEventSourceMapping,
} from "../topology/runtimeChanges.js";
import type { Topology } from "../topology/Topology.js";
import { httpApiEvent, matchRoute } from "./apiGatewayEvent.js";
import { writeItem } from "./dynamoCalls.js";
import { mappingSourceArn } from "./mappingSource.js";
import { mintJwt } from "./mintJwt.js";
import { SIMULATED_ACCOUNT_ID, VIRTUAL_START_MS } from "./runDefaults.js";
import type { ShortNames } from "./ShortNames.js";

/** What injecting a scenario's events needs: the wired stack and where to note each event's key. */
export interface InjectionTargets {
  readonly topology: Topology;
  readonly stack: LoadedStack;
  readonly names: ShortNames;
  /** Event key (message id, request id, sequence number) → the scenario's event id. */
  readonly injectionKeys: Map<string, string>;
  /** The local endpoints' URL: table writes go through the DynamoDB endpoint, as a handler's do. */
  readonly endpointUrl: string;
  /** Told which scenario event a table write belongs to while it is in flight (its stream record). */
  readonly setPendingTable: (id: string | undefined) => void;
}

/**
 * Schedules every injection of a scenario on the virtual clock, each through the AWS entry point
 * its kind names (an HTTP API request, SendMessage, Publish, an async Invoke, PutRecord, a table
 * write), and notes the key AWS gives each event so the run result can name it by its scenario id.
 *
 * @example
 * ```ts
 * injectEvents(expandEvents(scenario), { topology, stack, names, injectionKeys, endpointUrl, setPendingTable });
 * ```
 */
export function injectEvents(injections: readonly Injection[], targets: InjectionTargets): void {
  for (const injection of injections) scheduleInjection(injection, targets);
}

function scheduleInjection(injection: Injection, targets: InjectionTargets): void {
  const { topology, stack, names, injectionKeys } = targets;
  const simulation = topology.simulation;
  const atMs = VIRTUAL_START_MS + injection.atMs;
  const event = injection.event;
  switch (event.kind) {
    case "api": {
      const matched = matchRoute(stack.routes, event.method, event.path);
      if (!matched) {
        throw new ConfigurationError(
          "path",
          `${event.location.file}:${event.location.line}: no route of the stack's HTTP API matches ${event.method} ${event.path}; ` +
            `routes: ${stack.routes.map((route) => route.routeKey).join(", ") || "none"}`,
        );
      }
      const request = withMintedJwt(event, matched.route, atMs);
      simulation.at(atMs, () => {
        // The request id is the one API Gateway gives the event; draw it the way the API model does.
        const requestId = topology.apiRequest(
          matched.route.apiName,
          httpApiEvent(request, matched, {
            requestId: "pending",
            timeMs: atMs,
            accountId: SIMULATED_ACCOUNT_ID,
          }),
          { routeKey: matched.route.routeKey },
        );
        injectionKeys.set(requestId, injection.id);
      });
      return;
    }
    case "sqs":
      simulation.at(atMs, () => {
        const messageId = topology.sendMessage(names.full("queue", event.queue), event.body, {
          ...(event.groupId !== undefined ? { messageGroupId: event.groupId } : {}),
          ...(event.deduplicationId !== undefined ? { messageDeduplicationId: event.deduplicationId } : {}),
          ...stringAttributes(event.attributes),
        });
        if (messageId !== undefined) injectionKeys.set(messageId, injection.id);
      });
      return;
    case "sns":
      simulation.at(atMs, () => {
        const messageId = topology.publish(names.full("topic", event.topic), event.message, {
          ...(event.subject !== undefined ? { subject: event.subject } : {}),
          ...stringAttributes(event.attributes),
        });
        if (messageId !== undefined) injectionKeys.set(messageId, injection.id);
      });
      return;
    case "invoke":
      simulation.at(atMs, () => {
        const functionName = names.full("function", event.function);
        const requestId =
          event.invocationType === "RequestResponse"
            ? topology.invoke(functionName, event.payload)
            : topology.invokeAsync(functionName, event.payload);
        injectionKeys.set(requestId, injection.id);
      });
      return;
    case "kinesis":
      simulation.at(atMs, () => {
        const stream = stack.streams.stream(names.full("stream", event.stream)) as KinesisStream;
        const { sequenceNumber } = stream.putRecord({
          partitionKey: event.partitionKey,
          data: Buffer.from(event.data),
        });
        injectionKeys.set(sequenceNumber, injection.id);
      });
      return;
    case "mapping": {
      // Resolved now, so a source without a mapping is reported before the run starts.
      const selector = {
        functionName: names.full("function", event.function),
        eventSourceArn: mappingSourceArn(event.source, targets),
      };
      findEventSourceMapping(topology, selector);
      updateEventSourceMapping(topology, selector, { enabled: event.enabled }, { atMs });
      return;
    }
    case "sqs-batch":
      simulation.at(atMs, () => {
        // Each entry is an event of its own, named by its place in the batch: `<id>[1]`, `<id>[2]`, ...
        event.entries.forEach((entry, index) => {
          const messageId = topology.sendMessage(names.full("queue", event.queue), entry.body, {
            ...(entry.groupId !== undefined ? { messageGroupId: entry.groupId } : {}),
            ...(entry.deduplicationId !== undefined ? { messageDeduplicationId: entry.deduplicationId } : {}),
          });
          if (messageId !== undefined) injectionKeys.set(messageId, `${injection.id}[${index + 1}]`);
        });
      });
      return;
    case "kinesis-batch":
      simulation.at(atMs, () => {
        const stream = stack.streams.stream(names.full("stream", event.stream)) as KinesisStream;
        event.records.forEach((record, index) => {
          const { sequenceNumber } = stream.putRecord({
            partitionKey: record.partitionKey,
            data: Buffer.from(record.data),
          });
          injectionKeys.set(sequenceNumber, `${injection.id}[${index + 1}]`);
        });
      });
      return;
    case "execution": {
      const machine = stack.stepFunctions.stateMachine(names.full("stateMachine", event.stateMachine));
      if (machine === undefined)
        throw new ConfigurationError(
          "stateMachine",
          `${event.location.file}:${event.location.line}: no state machine ${event.stateMachine} in the stack`,
        );
      // The execution's name is its key in the outcomes: the injection id unless the event names it.
      const name = event.name ?? injection.id.replace(/[^A-Za-z0-9_-]/g, "-");
      simulation.at(atMs, () => {
        stack.stepFunctions.startExecution({ stateMachineArn: machine.arn, name, input: event.input });
        injectionKeys.set(name, injection.id);
      });
      return;
    }
    case "concurrency":
      putFunctionConcurrency(topology, names.full("function", event.function), event.reserved, { atMs });
      return;
    case "table": {
      const tableName = names.full("table", event.table);
      if (!stack.tables.some((table) => table.tableName === tableName)) {
        throw new SimulatorError(`no table ${tableName} in the stack`);
      }
      simulation.at(atMs, () => {
        targets.setPendingTable(injection.id);
        simulation.track(
          writeItem(targets.endpointUrl, tableName, event.write).finally(() =>
            targets.setPendingTable(undefined),
          ),
        );
      });
      return;
    }
  }
}

/** A scenario's string attributes as SQS / SNS message attributes, or nothing when there are none. */
function stringAttributes(attributes: Readonly<Record<string, string>>): {
  messageAttributes?: Record<string, { DataType: "String"; StringValue: string }>;
} {
  const entries = Object.entries(attributes);
  if (entries.length === 0) return {};
  return {
    messageAttributes: Object.fromEntries(
      entries.map(([key, value]) => [key, { DataType: "String" as const, StringValue: value }]),
    ),
  };
}

/** The request with the token its `jwt:` asks for in the route authorizer's identity header. */
function withMintedJwt(event: ApiEvent, route: StackRoute, atMs: number): ApiEvent {
  if (event.jwtClaims === undefined) return event;
  const where = `${event.location.file}:${event.location.line}`;
  if (route.authorization.type !== "JWT") {
    throw new ConfigurationError(
      "jwt",
      `${where}: jwt: the route ${route.routeKey} has no JWT authorizer, so no token is checked; remove jwt:`,
    );
  }
  const header = route.authorization.authorizer.identityHeader;
  if (Object.keys(event.headers).some((name) => name.toLowerCase() === header)) {
    throw new ConfigurationError(
      "jwt",
      `${where}: jwt: and a ${header} header both give the token; keep one of them`,
    );
  }
  const token = mintJwt(route.authorization.authorizer, event.jwtClaims, atMs);
  return { ...event, headers: { ...event.headers, [header]: `Bearer ${token}` } };
}
