import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { httpApiEvent, matchRoute } from "../apigateway/apiGatewayEvent.js";
import { DynaliteServer } from "../aws/DynaliteServer.js";
import type { TableWriteChange } from "../aws/DynamoDbProxy.js";
import { InMemoryParameterStore } from "../aws/InMemoryParameterStore.js";
import { LocalAwsEndpoints } from "../aws/LocalAwsEndpoints.js";
import { ScriptedHttpService } from "../aws/ScriptedHttpService.js";
import { ConfigurationError, SimulatorError } from "../engine/errors.js";
import { bundleHandler } from "../host/bundleHandler.js";
import { HandlerHost } from "../host/HandlerHost.js";
import type { LambdaHandler } from "../lambda/LambdaContext.js";
import type { QueueDepthSeries, RunResult } from "../report/RunResult.js";
import { checkScenarioAgainst } from "../scenario/checkScenarioAgainst.js";
import { expandEvents, type Injection } from "../scenario/expandEvents.js";
import type { Scenario } from "../scenario/Scenario.js";
import type { KinesisStream } from "../streams/KinesisStream.js";
import { type LoadedStack, loadStack, type StackFunction } from "../terraform/loadStack.js";
import { nameOf } from "../terraform/StackReferences.js";
import { TerraformJson } from "../terraform/TerraformJson.js";
import { Topology } from "../topology/Topology.js";
import { collectRunResult } from "./collectRunResult.js";
import { downstreamRoutes } from "./downstreamRoutes.js";
import { marshallItem } from "./marshallItem.js";
import { ShortNames } from "./ShortNames.js";
import { scriptFromSpec } from "./scriptFromSpec.js";
import { serviceBackends } from "./topologyBackends.js";

/** Options of one scenario run. */
export interface RunScenarioOptions {
  /** The repository root: bundles are `apps/<app>/dist/index.mjs` below it. */
  readonly repoRoot: string;
  /** Terraform JSON to run instead of the scenario's `stack` (or the synthesized orders stack). */
  readonly stackPath?: string;
  /** Overrides the scenario's seed (`--seed`). */
  readonly seed?: number;
  /** Receives every trace line (`--trace FILE`). */
  readonly traceSink?: (line: string) => void;
  readonly tracePath?: string;
  /** Called every few hundred steps with the virtual time covered, for a progress bar. */
  readonly onProgress?: (progress: {
    readonly virtualMs: number;
    readonly capMs: number;
    readonly steps: number;
  }) => void;
  /** Wall clock for `wallMs` (injected so tests control it). Default `performance.now`. */
  readonly wallClock?: () => number;
}

const DEFAULT_STACK = "infra/cdktf.out/stacks/orders/cdk.tf.json";
const ACCOUNT_ID = "123456789012";
const START_MS = Date.UTC(2026, 0, 1);
const STREAM_LABEL = "2026-01-01T00:00:00.000";

/**
 * Runs one scenario end to end: loads the stack's topology, starts dynalite, the local AWS endpoints
 * and the scripted downstreams, registers each function's real bundle (or its scripted stand-in),
 * injects the scenario's events on the virtual clock, runs until idle (or the cap), then checks the
 * expectations. Everything it started is closed again, whatever happens.
 *
 * @example
 * ```ts
 * import { parseScenario, runScenario } from "@rebound/simulator";
 * const result = await runScenario(parseScenario(text, "scenarios/happy-path.yaml"), { repoRoot: "." });
 * console.log(result.expectations.every((expectation) => expectation.ok));
 * ```
 */
export async function runScenario(scenario: Scenario, options: RunScenarioOptions): Promise<RunResult> {
  const wallClock = options.wallClock ?? (() => performance.now());
  const wallStart = wallClock();
  const stackPath = resolve(
    options.stackPath ??
      (scenario.stack !== undefined
        ? join(dirname(scenario.file), scenario.stack)
        : join(options.repoRoot, DEFAULT_STACK)),
  );
  const tf = TerraformJson.load(stackPath);
  const region = providerRegion(tf) ?? "eu-west-1";
  const seed = options.seed ?? scenario.seed;
  const topology = new Topology({
    seed,
    startMs: START_MS,
    region,
    accountId: ACCOUNT_ID,
    ...(options.traceSink ? { trace: { sink: options.traceSink } } : {}),
  });
  const simulation = topology.simulation;
  const closers: (() => Promise<void> | void)[] = [];
  try {
    const dynalite = await DynaliteServer.start();
    closers.push(() => dynalite.close());
    const host = new HandlerHost({ region, accountId: ACCOUNT_ID });
    const parameters = new InMemoryParameterStore();
    let loaded: LoadedStack | undefined;
    const injectionKeys = new Map<string, string>();
    let pendingTableInjection: string | undefined;
    const onTableWrite = (change: TableWriteChange): void => {
      const table = loaded?.tables.find((candidate) => candidate.tableName === change.tableName);
      const entry = table?.stream?.recordWrite({
        ...(change.oldImage ? { oldImage: change.oldImage as never } : {}),
        ...(change.newImage ? { newImage: change.newImage as never } : {}),
      });
      if (entry && pendingTableInjection !== undefined)
        injectionKeys.set(entry.sequenceNumber, pendingTableInjection);
    };
    const endpoints = await LocalAwsEndpoints.start({
      backends: serviceBackends({
        topology,
        stack: () => loaded,
        parameters,
      }),
      dynamodb: { endpoint: dynalite.endpoint, onTableWrite },
      region,
      accountId: ACCOUNT_ID,
      invocations: host,
    });
    closers.push(() => endpoints.close());

    const downstreams = new Map<string, ScriptedHttpService>();
    for (const [name, spec] of Object.entries(scenario.downstreams)) {
      const service = await ScriptedHttpService.start({
        name,
        routes: downstreamRoutes(spec),
        seed: seed + downstreams.size + 1,
        invocations: host,
        now: () => simulation.now(),
        epochMs: START_MS,
      });
      closers.push(() => service.close());
      downstreams.set(name, service);
    }

    const names = new ShortNames(tf);
    // A function may call a provider the scenario does not script (it never expects that path to
    // run). It gets a stand-in answering 501 so the call fails loudly, and the run fails an
    // expectation saying which call was unscripted, instead of reaching for the real internet.
    const unscripted = new Map<string, ScriptedHttpService>();
    const standInFor = async (name: string): Promise<ScriptedHttpService> => {
      const service = await ScriptedHttpService.start({
        name,
        routes: unscriptedRoutes(name, scenario.file),
        invocations: host,
        now: () => simulation.now(),
        epochMs: START_MS,
      });
      closers.push(() => service.close());
      unscripted.set(name, service);
      return service;
    };
    for (const fn of tf.resourcesOfType("aws_lambda_function")) {
      const variables =
        (fn.values.environment as { variables?: Record<string, unknown> } | undefined)?.variables ?? {};
      for (const [key, value] of Object.entries(variables)) {
        const name = downstreamName(key);
        if (
          typeof value === "string" &&
          /^https?:\/\//.test(value) &&
          !downstreams.has(name) &&
          !unscripted.has(name)
        ) {
          await standInFor(name);
        }
      }
    }
    const handlerFor = (fn: StackFunction): LambdaHandler | ReturnType<typeof scriptFromSpec> => {
      const scriptedSpec = scenario.functions[names.short(fn.functionName)];
      if (scriptedSpec) return scriptFromSpec(scriptedSpec);
      if (fn.app === undefined) {
        throw new ConfigurationError(
          fn.address,
          `function ${fn.functionName} (${fn.address}) has no rebound:app tag, so its bundle cannot be found; ` +
            `tag it with the app folder, or script it in the scenario under functions: ${names.short(fn.functionName)}`,
        );
      }
      const bundlePath = join(options.repoRoot, "apps", fn.app, "dist", "index.mjs");
      if (!existsSync(bundlePath)) {
        throw new ConfigurationError(
          fn.address,
          `the code of function ${fn.functionName} was looked for at ${bundlePath} and is not there; run \`pnpm build\``,
        );
      }
      host.register({
        functionName: fn.functionName,
        bundlePath,
        exportName: fn.exportName,
        environment: {
          ...withDownstreams(fn, new Map([...unscripted, ...downstreams]), parameters, endpoints.url),
          ...endpoints.env(),
        },
        memorySizeMb: fn.memorySizeMB,
      });
      return bundleHandler(host, {
        functionName: fn.functionName,
        timeoutSeconds: fn.timeoutSeconds,
        now: () => simulation.now(),
      });
    };
    loaded = loadStack(tf, topology, {
      identity: { region, accountId: ACCOUNT_ID, endpointUrl: endpoints.url, streamLabel: STREAM_LABEL },
      handlerFor,
    });
    const stack = loaded;
    checkScenarioAgainst(scenario, names.forScenario([...downstreams.keys()]));

    for (const table of stack.tables) {
      await createTable(dynalite.endpoint, table);
      if (table.stream) endpoints.captureTableWrites(table.tableName);
    }

    const injections = expandEvents(scenario);
    for (const injection of injections) {
      scheduleInjection(injection, {
        topology,
        stack,
        names,
        injectionKeys,
        endpointUrl: endpoints.url,
        setPendingTable: (id) => {
          pendingTableInjection = id;
        },
      });
    }

    const capMs = START_MS + (scenario.durationMs ?? scenario.maxVirtualMs);
    const progress = () =>
      options.onProgress?.({
        virtualMs: simulation.now() - START_MS,
        capMs: capMs - START_MS,
        steps: simulation.steps,
      });
    let stoppedBecause: RunResult["stoppedBecause"];
    if (scenario.durationMs !== undefined) {
      await simulation.runUntilAsync(capMs);
      stoppedBecause = "duration";
    } else {
      stoppedBecause =
        (await simulation.runUntilIdleOrCapAsync(capMs, progress, 200)) === "idle" ? "idle" : "cap";
    }
    progress();

    return collectRunResult({
      scenario,
      seed,
      stackPath,
      topology,
      stack,
      names,
      injectionKeys,
      downstreams,
      queueRoles: queueRoles(tf, stack, names),
      unscripted,
      virtualStartMs: START_MS,
      virtualCapMs: capMs,
      stoppedBecause,
      wallMs: wallClock() - wallStart,
      tracePath: options.tracePath,
    });
  } finally {
    for (const close of closers.reverse()) await close();
  }
}

interface InjectionTargets {
  readonly topology: Topology;
  readonly stack: LoadedStack;
  readonly names: ShortNames;
  readonly injectionKeys: Map<string, string>;
  readonly endpointUrl: string;
  readonly setPendingTable: (id: string | undefined) => void;
}

function scheduleInjection(injection: Injection, targets: InjectionTargets): void {
  const { topology, stack, names, injectionKeys } = targets;
  const simulation = topology.simulation;
  const atMs = START_MS + injection.atMs;
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
      simulation.at(atMs, () => {
        // The request id is the one API Gateway gives the event; draw it the way the API model does.
        const requestId = topology.apiRequest(
          matched.route.apiName,
          httpApiEvent(event, matched, { requestId: "pending", timeMs: atMs, accountId: ACCOUNT_ID }),
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
        injectionKeys.set(
          topology.invokeAsync(names.full("function", event.function), event.payload),
          injection.id,
        );
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
    case "table":
      simulation.at(atMs, () => {
        // Through the DynamoDB endpoint, like a handler's write, so the stream sees it the same way.
        targets.setPendingTable(injection.id);
        simulation.track(
          writeItem(targets.endpointUrl, names.full("table", event.table), event.write, stack).finally(() =>
            targets.setPendingTable(undefined),
          ),
        );
      });
      return;
  }
}

/** Rewrites URL environment variables to the scripted downstream standing in for them. */
function withDownstreams(
  fn: StackFunction,
  downstreams: ReadonlyMap<string, ScriptedHttpService>,
  parameters: InMemoryParameterStore,
  localEndpointUrl: string,
): Record<string, string> {
  const environment: Record<string, string> = { ...fn.environment };
  for (const [key, value] of Object.entries(environment)) {
    const service = downstreamFor(key, downstreams);
    // Queue URLs already point at the local endpoints; any other URL is a dependency outside the stack.
    if (/^https?:\/\//.test(value) && !value.startsWith(localEndpointUrl)) {
      // Started for every URL variable before the functions are registered, so it is always there.
      if (service) environment[key] = service.url;
    } else if (key.endsWith("_PARAMETER_NAME") && service) {
      // An SSM parameter holding the downstream's URL (the Slack webhook): the function reads it at run time.
      parameters.put({ name: value, type: "SecureString", value: `${service.url}/webhook` });
    }
  }
  return environment;
}

/** `PAYMENT_PROVIDER_URL` → the downstream named `payment`: the first word of the variable. */
function downstreamName(key: string): string {
  return key.split("_")[0]!.toLowerCase();
}

function downstreamFor(
  key: string,
  downstreams: ReadonlyMap<string, ScriptedHttpService>,
): ScriptedHttpService | undefined {
  return downstreams.get(downstreamName(key));
}

function unscriptedRoutes(
  name: string,
  scenarioFile: string,
): Record<string, { status: number; body: unknown }> {
  const answer = {
    status: 501,
    body: { message: `${scenarioFile} does not script the downstream "${name}"; add it under downstreams:` },
  };
  return Object.fromEntries(
    Array.from({ length: 7 }, (_, depth) => [
      `* /${Array.from({ length: depth }, (_, index) => `{s${index}}`).join("/")}`,
      answer,
    ]),
  );
}

async function createTable(endpoint: string, table: LoadedStack["tables"][number]): Promise<void> {
  const keys = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])];
  await dynamoCall(endpoint, "CreateTable", {
    TableName: table.tableName,
    AttributeDefinitions: keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type })),
    KeySchema: keys.map((key, index) => ({
      AttributeName: key.name,
      KeyType: index === 0 ? "HASH" : "RANGE",
    })),
    BillingMode: "PAY_PER_REQUEST",
  });
  // dynalite marks a new table ACTIVE on a later tick; a write before that is ResourceNotFoundException.
  for (let attempt = 0; attempt < 200; attempt++) {
    const described = (await dynamoCall(endpoint, "DescribeTable", { TableName: table.tableName })) as {
      Table?: { TableStatus?: string };
    };
    if (described.Table?.TableStatus === "ACTIVE") return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new SimulatorError(`table ${table.tableName} did not become ACTIVE in dynalite`);
}

async function writeItem(
  endpoint: string,
  tableName: string,
  write: Scenario["events"][number] extends infer E ? (E extends { write: infer W } ? W : never) : never,
  stack: LoadedStack,
): Promise<void> {
  const table = stack.tables.find((candidate) => candidate.tableName === tableName);
  if (!table) throw new SimulatorError(`no table ${tableName} in the stack`);
  if (write.type === "put") {
    await dynamoCall(endpoint, "PutItem", { TableName: tableName, Item: marshallItem(write.item) });
  } else if (write.type === "delete") {
    await dynamoCall(endpoint, "DeleteItem", { TableName: tableName, Key: marshallItem(write.key) });
  } else {
    const entries = Object.entries(write.set);
    await dynamoCall(endpoint, "UpdateItem", {
      TableName: tableName,
      Key: marshallItem(write.key),
      UpdateExpression: `SET ${entries.map((_, index) => `#a${index} = :v${index}`).join(", ")}`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([name], index) => [`#a${index}`, name])),
      ExpressionAttributeValues: Object.fromEntries(
        Object.entries(marshallItem(write.set)).map(([, value], index) => [`:v${index}`, value]),
      ),
    });
  }
}

async function dynamoCall(endpoint: string, operation: string, body: unknown): Promise<unknown> {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": `DynamoDB_20120810.${operation}`,
      "x-amz-date": "20260101T000000Z",
      // dynalite checks that a signature is present, not that it is valid.
      authorization: `AWS4-HMAC-SHA256 Credential=simulator/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new SimulatorError(`DynamoDB ${operation} failed (${response.status}): ${text}`);
  return text ? JSON.parse(text) : {};
}

/** DLQs (redrive targets), failure destinations and parking queues: the queues whose depth a person watches. */
function queueRoles(
  tf: TerraformJson,
  stack: LoadedStack,
  names: ShortNames,
): Map<string, QueueDepthSeries["role"]> {
  const roles = new Map<string, QueueDepthSeries["role"]>();
  const queueName = (arnOrUrl: string) =>
    names.short(arnOrUrl.slice(Math.max(arnOrUrl.lastIndexOf(":"), arnOrUrl.lastIndexOf("/")) + 1));
  for (const fn of stack.functions) {
    const parking = fn.environment.PARKING_QUEUE_URL;
    if (parking) roles.set(queueName(parking), "parking");
  }
  for (const resource of [
    ...tf.resourcesOfType("aws_lambda_event_source_mapping"),
    ...tf.resourcesOfType("aws_lambda_function_event_invoke_config"),
  ]) {
    for (const target of tf.referencesIn(resource.values.destination_config)) {
      if (target.type === "aws_sqs_queue") roles.set(names.short(nameOf(target)), "destination");
    }
  }
  for (const queue of tf.resourcesOfType("aws_sqs_queue")) {
    for (const target of tf.referencesIn(queue.values.redrive_policy)) {
      if (target.type === "aws_sqs_queue") roles.set(names.short(nameOf(target)), "dlq");
    }
  }
  return roles;
}

function providerRegion(tf: TerraformJson): string | undefined {
  const provider = (tf.document.provider as Record<string, unknown> | undefined)?.aws;
  const first = Array.isArray(provider) ? provider[0] : provider;
  const region = (first as Record<string, unknown> | undefined)?.region;
  return typeof region === "string" && !region.includes("${") ? region : undefined;
}

// A scenario's string attributes as SQS / SNS message attributes, or nothing when there are none.
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
