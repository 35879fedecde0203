import {
  ACCOUNT_API_THROTTLE,
  ApiGateway,
  type ApiGatewayConfig,
  type ApiGatewayEnv,
  type ApiRequestOptions,
  type ApiResponse,
} from "../apigateway/ApiGateway.js";
import { TokenBucket } from "../apigateway/TokenBucket.js";
import { EventBus } from "../destinations/EventBus.js";
import { S3Bucket } from "../destinations/S3Bucket.js";
import {
  type PublishOptions,
  type SnsSubscriptionConfig,
  SnsTopic,
  type SnsTopicConfig,
  type SnsTopicEnv,
} from "../destinations/SnsTopic.js";
import { parseArn } from "../engine/arn.js";
import { ConfigurationError, ResourceNotFoundError } from "../engine/errors.js";
import { IdMint } from "../engine/IdMint.js";
import type { InvariantEnv } from "../engine/InvariantChecker.js";
import { Outcomes } from "../engine/Outcomes.js";
import { SeededRandom } from "../engine/SeededRandom.js";
import { Simulation } from "../engine/Simulation.js";
import { Trace } from "../engine/Trace.js";
import { assertOptions, assertString, describe } from "../engine/validate.js";
import { AccountConcurrency } from "../lambda/AccountConcurrency.js";
import {
  type AsyncInvocationEnv,
  AsyncInvocationQueue,
  type EventInvokeConfig,
} from "../lambda/AsyncInvocationQueue.js";
import type { DeliveryContext } from "../lambda/Deliveries.js";
import {
  LambdaFunction,
  type LambdaFunctionConfig,
  type LambdaRuntimeEnv,
} from "../lambda/LambdaFunction.js";
import { type SyncInvokeResult, SyncInvoker } from "../lambda/SyncInvoker.js";
import { SqsEventSourceMapping, type SqsEventSourceMappingConfig } from "../sqs/SqsEventSourceMapping.js";
import { SqsQueue, type SqsQueueEnv } from "../sqs/SqsQueue.js";
import type { SendMessageOptions } from "../sqs/sendMessageOptions.js";
import type { SqsQueueConfig } from "../sqs/sqsQueueConfig.js";
import { type DeliveryLookups, deliverRecord } from "./deliverRecord.js";
import { TOPOLOGY_OPTION_KEYS, type TopologyOptions } from "./TopologyOptions.js";

/** The default options object of hot entry points; recognised by identity so its keys need no check. */
const NO_OPTIONS: Readonly<Record<string, never>> = Object.freeze({});
const INVOKE_ASYNC_KEYS = ["atMs"] as const;
/** Builds a model for an event source mapping whose source is not SQS (streams). */
export type EventSourceMappingFactory = (topology: Topology, config: Record<string, unknown>) => unknown;

/**
 * The topology builder and the run: functions, queues, topics, buses, buckets, event invoke configs,
 * event source mappings and APIs, keyed by ARN and by name, on one simulation with one trace and one
 * outcome book. The Terraform loader (`loadStack`) drives exactly these calls.
 *
 * Inject events with `sendMessage`, `publish`, `invokeAsync`, `invoke` and `apiRequest` (each takes an
 * optional `atMs` to happen later in virtual time), then `run()` (or `runAsync()` with real handlers).
 *
 * @example
 * ```ts
 * import { scripted, Topology } from "@rebound/simulator";
 * const topology = new Topology({ seed: 7, trace: { collect: true } });
 * const dlq = topology.addQueue({ queueName: "payments-dlq" });
 * const queue = topology.addQueue({ queueName: "payments", visibilityTimeoutSeconds: 60,
 *   redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 } });
 * topology.addFunction({ functionName: "pay", timeoutSeconds: 10, handler: scripted.failFraction(0.2) });
 * topology.createEventSourceMapping({ eventSourceArn: queue.arn, functionName: "pay",
 *   functionResponseTypes: ["ReportBatchItemFailures"] });
 * for (let i = 0; i < 100; i++) topology.sendMessage("payments", JSON.stringify({ orderId: i }), { atMs: i * 1000 });
 * topology.run();
 * console.log(topology.outcomes.counts());
 * ```
 */
export class Topology
  implements SqsQueueEnv, SnsTopicEnv, AsyncInvocationEnv, ApiGatewayEnv, InvariantEnv, DeliveryLookups
{
  public readonly simulation: Simulation;
  public readonly trace: Trace;
  public readonly outcomes: Outcomes;
  public readonly account: AccountConcurrency;
  /** API Gateway's account-level throttle, shared by every API of this topology. */
  public readonly apiAccountThrottle: TokenBucket;
  public readonly region: string;
  public readonly accountId: string;
  /** What functions need from the topology. */
  public readonly env: LambdaRuntimeEnv;
  readonly #ids: IdMint;
  readonly #functions = new Map<string, LambdaFunction>();
  readonly #queues = new Map<string, SqsQueue>();
  readonly #topics = new Map<string, SnsTopic>();
  readonly #buses = new Map<string, EventBus>();
  readonly #buckets = new Map<string, S3Bucket>();
  readonly #apis = new Map<string, ApiGateway>();
  readonly #asyncQueues = new Map<string, AsyncInvocationQueue>();
  readonly #mappings: unknown[] = [];
  readonly #sqsMappings: SqsEventSourceMapping[] = [];
  readonly #factories = new Map<string, EventSourceMappingFactory>();
  readonly #holders: (() => Iterable<number>)[] = [];
  readonly #sync: SyncInvoker;
  #validated = false;

  public constructor(options: TopologyOptions = {}) {
    assertOptions("Topology", options, TOPOLOGY_OPTION_KEYS);
    if (
      options.simulation !== undefined &&
      (options.seed !== undefined || options.startMs !== undefined || options.stepLimit !== undefined)
    ) {
      throw new ConfigurationError(
        "simulation",
        "Topology: pass either simulation or seed/startMs/stepLimit, not both (the simulation carries them)",
      );
    }
    this.simulation =
      options.simulation ??
      new Simulation({
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(options.startMs !== undefined ? { startMs: options.startMs } : {}),
        ...(options.stepLimit !== undefined ? { stepLimit: options.stepLimit } : {}),
      });
    this.region = options.region ?? "us-east-1";
    this.accountId = options.accountId ?? "123456789012";
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(this.region)) {
      throw new ConfigurationError(
        "region",
        `Topology: region ${describe(this.region)} is not an AWS region name (e.g. "us-east-1")`,
      );
    }
    if (!/^\d{12}$/.test(this.accountId)) {
      throw new ConfigurationError(
        "accountId",
        `Topology: accountId must be 12 digits, got ${describe(this.accountId)}`,
      );
    }
    const clock = (): number => this.simulation.now();
    this.trace = new Trace(clock, options.trace ?? {});
    this.outcomes = new Outcomes(clock, { detailed: options.detailedOutcomes ?? true, trace: this.trace });
    this.account = new AccountConcurrency(options.accountConcurrency ?? 1000);
    this.apiAccountThrottle = new TokenBucket(ACCOUNT_API_THROTTLE, this.simulation.now());
    this.#ids = new IdMint(new SeededRandom(SeededRandom.derive(this.simulation.random.seed, "ids")));
    this.env = {
      simulation: this.simulation,
      trace: this.trace,
      account: this.account,
      region: this.region,
      accountId: this.accountId,
    };
    this.#sync = new SyncInvoker(this);
    this.#buses.set("default", new EventBus(this, { name: "default" }));
  }

  /** A fresh id (message ids, request ids), UUID-shaped and reproducible from the seed. */
  public newId(): string {
    return this.#ids.next();
  }

  // ---------------------------------------------------------------- resources

  /** Adds a function. */
  public addFunction(config: LambdaFunctionConfig): LambdaFunction {
    this.#beforeChange();
    if (this.#functions.has(config?.functionName)) {
      throw new ConfigurationError(
        "functionName",
        `addFunction: function ${config.functionName} already exists (AWS: ResourceConflictException)`,
      );
    }
    const fn = new LambdaFunction(this.env, config);
    this.#functions.set(fn.functionName, fn);
    return fn;
  }

  /** Adds an SQS queue. */
  public addQueue(config: SqsQueueConfig): SqsQueue {
    this.#beforeChange();
    const queue = new SqsQueue(this, config);
    if (this.#queues.has(queue.queueName)) {
      throw new ConfigurationError("queueName", `addQueue: queue ${queue.queueName} already exists`);
    }
    this.#queues.set(queue.queueName, queue);
    return queue;
  }

  /** Adds an SNS topic. */
  public addTopic(config: SnsTopicConfig): SnsTopic {
    this.#beforeChange();
    const topic = new SnsTopic(this, config);
    if (this.#topics.has(topic.name))
      throw new ConfigurationError("name", `addTopic: topic ${topic.name} already exists`);
    this.#topics.set(topic.name, topic);
    return topic;
  }

  /** Subscribes an SQS queue or a Lambda function to a topic. */
  public subscribe(config: SnsSubscriptionConfig): void {
    this.#beforeChange();
    assertOptions("subscribe", config, ["topicArn", "protocol", "endpoint", "rawMessageDelivery"]);
    this.topic(config.topicArn, "subscribe topicArn").subscribe(config);
  }

  /** Adds an EventBridge bus (the `default` bus exists already). Rules are not modelled: the bus records events. */
  public addEventBus(config: { readonly name: string }): EventBus {
    this.#beforeChange();
    const bus = new EventBus(this, config);
    if (this.#buses.has(bus.name))
      throw new ConfigurationError("name", `addEventBus: bus ${bus.name} already exists`);
    this.#buses.set(bus.name, bus);
    return bus;
  }

  /** Adds an S3 bucket (an on-failure destination target: it stores the objects written). */
  public addBucket(config: { readonly bucketName: string }): S3Bucket {
    this.#beforeChange();
    const bucket = new S3Bucket(this, config);
    if (this.#buckets.has(bucket.bucketName)) {
      throw new ConfigurationError("bucketName", `addBucket: bucket ${bucket.bucketName} already exists`);
    }
    this.#buckets.set(bucket.bucketName, bucket);
    return bucket;
  }

  /** Adds an API Gateway Lambda proxy integration in front of a function. */
  public addApi(config: ApiGatewayConfig): ApiGateway {
    this.#beforeChange();
    const api = new ApiGateway(this, config);
    if (this.#apis.has(api.apiName))
      throw new ConfigurationError("apiName", `addApi: API ${api.apiName} already exists`);
    this.#apis.set(api.apiName, api);
    return api;
  }

  /**
   * PutFunctionEventInvokeConfig: replaces the function's async configuration (unset fields return to
   * their defaults, as on AWS).
   */
  public putFunctionEventInvokeConfig(config: EventInvokeConfig): void {
    this.#beforeChange();
    this.#asyncQueueOf(config?.functionName, "putFunctionEventInvokeConfig").put(config);
  }

  /** UpdateFunctionEventInvokeConfig: merges into the function's async configuration. */
  public updateFunctionEventInvokeConfig(config: EventInvokeConfig): void {
    this.#beforeChange();
    this.#asyncQueueOf(config?.functionName, "updateFunctionEventInvokeConfig").update(config);
  }

  /**
   * CreateEventSourceMapping. SQS sources are modelled here; other sources (Kinesis, DynamoDB streams)
   * go to the factory registered for their service with `registerEventSourceMappingFactory`.
   */
  public createEventSourceMapping(config: SqsEventSourceMappingConfig | Record<string, unknown>): unknown {
    this.#beforeChange();
    const arn = (config as { eventSourceArn?: unknown })?.eventSourceArn;
    assertString("createEventSourceMapping", "eventSourceArn", arn);
    const service = parseArn(arn)?.service;
    if (service === "sqs") {
      const sqsConfig = config as SqsEventSourceMappingConfig;
      const queue = this.queue(arn, "createEventSourceMapping eventSourceArn");
      const fn = this.function(sqsConfig.functionName, "createEventSourceMapping functionName");
      if (this.#sqsMappings.some((mapping) => mapping.queue === queue && mapping.fn === fn)) {
        throw new ConfigurationError(
          "eventSourceArn",
          `createEventSourceMapping: ${fn.functionName} already has a mapping for ${queue.queueName} (AWS: ResourceConflictException "An event source mapping with SQS arn ... and function ... already exists")`,
        );
      }
      const mapping = new SqsEventSourceMapping(this, queue, fn, sqsConfig);
      this.#sqsMappings.push(mapping);
      this.#mappings.push(mapping);
      return mapping;
    }
    const factory = service === undefined ? undefined : this.#factories.get(service);
    if (factory === undefined) {
      throw new ConfigurationError(
        "eventSourceArn",
        `createEventSourceMapping: no model for event sources of service ${describe(service)} (${arn}); ` +
          `modelled: sqs${[...this.#factories.keys()].map((key) => `, ${key}`).join("")}`,
      );
    }
    const mapping = factory(this, config as Record<string, unknown>);
    this.#mappings.push(mapping);
    return mapping;
  }

  /** Lets another model (streams) handle event source mappings of a service (`kinesis`, `dynamodb`). */
  public registerEventSourceMappingFactory(service: string, factory: EventSourceMappingFactory): void {
    this.#factories.set(service, factory);
  }

  /** Lets another model report the outcome ids it still holds (for the "nothing lost" invariant). */
  public registerHolder(held: () => Iterable<number>): void {
    this.#holders.push(held);
  }

  // ---------------------------------------------------------------- lookups

  /** A function by name, ARN or qualified ARN. */
  public function(reference: string, where = "function"): LambdaFunction {
    // Plain names are the common case on the hot path (every invokeAsync): one map lookup, no parsing.
    const direct = this.#functions.get(reference);
    if (direct !== undefined) return direct;
    const name = resourceName(reference, "lambda");
    const fn =
      name === undefined ? undefined : this.#functions.get(name.replace(/^function:/, "").split(":")[0]!);
    if (fn === undefined) throw this.#notFound(reference, where, "function", this.#functions.keys());
    return fn;
  }

  /** A queue by name, ARN or URL. */
  public queue(reference: string, where = "queue"): SqsQueue {
    const direct = this.#queues.get(reference);
    if (direct !== undefined) return direct;
    let name = resourceName(reference, "sqs");
    if (name === undefined && typeof reference === "string" && reference.startsWith("https://")) {
      name = reference.slice(reference.lastIndexOf("/") + 1);
    }
    const queue = name === undefined ? undefined : this.#queues.get(name);
    if (queue === undefined) throw this.#notFound(reference, where, "queue", this.#queues.keys());
    return queue;
  }

  /** A topic by name or ARN. */
  public topic(reference: string, where = "topic"): SnsTopic {
    const name = resourceName(reference, "sns");
    const topic = name === undefined ? undefined : this.#topics.get(name);
    if (topic === undefined) throw this.#notFound(reference, where, "topic", this.#topics.keys());
    return topic;
  }

  /** An event bus by name or ARN. */
  public eventBus(reference: string, where = "eventBus"): EventBus {
    const name = resourceName(reference, "events")?.replace(/^event-bus\//, "");
    const bus = name === undefined ? undefined : this.#buses.get(name);
    if (bus === undefined) throw this.#notFound(reference, where, "event bus", this.#buses.keys());
    return bus;
  }

  /** A bucket by name or ARN. */
  public bucket(reference: string, where = "bucket"): S3Bucket {
    const name = resourceName(reference, "s3");
    const bucket = name === undefined ? undefined : this.#buckets.get(name);
    if (bucket === undefined) throw this.#notFound(reference, where, "bucket", this.#buckets.keys());
    return bucket;
  }

  /** An API by name. */
  public api(name: string): ApiGateway {
    const api = this.#apis.get(name);
    if (api === undefined) throw this.#notFound(name, "api", "API", this.#apis.keys());
    return api;
  }

  /** The async invocation queue of a function (created with defaults on first use). */
  public asyncQueue(reference: string, where = "asyncQueue"): AsyncInvocationQueue {
    return this.#asyncQueueOf(reference, where);
  }

  /** Every function, queue, topic, mapping: for reports and the Terraform loader's summary. */
  public resources(): {
    functions: LambdaFunction[];
    queues: SqsQueue[];
    topics: SnsTopic[];
    buses: EventBus[];
    buckets: S3Bucket[];
    apis: ApiGateway[];
    mappings: unknown[];
    asyncQueues: AsyncInvocationQueue[];
  } {
    return {
      functions: [...this.#functions.values()],
      queues: [...this.#queues.values()],
      topics: [...this.#topics.values()],
      buses: [...this.#buses.values()],
      buckets: [...this.#buckets.values()],
      apis: [...this.#apis.values()],
      mappings: [...this.#mappings],
      asyncQueues: [...this.#asyncQueues.values()],
    };
  }

  // ---------------------------------------------------------------- injection

  /** SendMessage now or at `atMs`. Returns the message id (drawn now, so it is known in advance). */
  public sendMessage(
    queueReference: string,
    body: string,
    options: SendMessageOptions & { readonly atMs?: number } = {},
  ): string | undefined {
    const queue = this.queue(queueReference, "sendMessage");
    const { atMs, ...send } = options;
    if (atMs !== undefined && atMs > this.simulation.now()) {
      this.#validateOnce();
      this.simulation.at(atMs, () => queue.sendMessage(body, send));
      return undefined;
    }
    this.#validateOnce();
    return queue.sendMessage(body, send);
  }

  /** Publish to a topic now or at `atMs`; returns the SNS message id when published now. */
  public publish(
    topicReference: string,
    message: string,
    options: PublishOptions & { readonly atMs?: number } = {},
  ): string | undefined {
    const topic = this.topic(topicReference, "publish");
    const { atMs, ...publish } = options;
    this.#validateOnce();
    if (atMs !== undefined && atMs > this.simulation.now()) {
      this.simulation.at(atMs, () => topic.publish(message, publish));
      return undefined;
    }
    return topic.publish(message, publish);
  }

  /** Invoke with InvocationType Event now or at `atMs`; returns the request id (drawn now). */
  public invokeAsync(
    functionReference: string,
    payload: unknown,
    options: { readonly atMs?: number } = NO_OPTIONS,
  ): string {
    // The shared default skips the key check: a million calls without options allocate nothing for it.
    if (options !== NO_OPTIONS) assertOptions("invokeAsync", options, INVOKE_ASYNC_KEYS);
    const queue = this.#asyncQueueOf(functionReference, "invokeAsync");
    this.#validateOnce();
    const requestId = this.newId();
    if (options.atMs !== undefined && options.atMs > this.simulation.now()) {
      this.simulation.at(options.atMs, () => queue.accept(payload, requestId));
    } else {
      queue.accept(payload, requestId);
    }
    return requestId;
  }

  /** Invoke with InvocationType RequestResponse (no retries); the result goes to `onResult`. */
  public invoke(
    functionReference: string,
    payload: unknown,
    options: { readonly atMs?: number; readonly onResult?: (result: SyncInvokeResult) => void } = {},
  ): string {
    assertOptions("invoke", options, ["atMs", "onResult"]);
    this.#validateOnce();
    return this.#sync.invoke(this.function(functionReference, "invoke"), payload, options);
  }

  /** An API Gateway request through a proxy integration; the response goes to `onResponse`. */
  public apiRequest(
    apiName: string,
    event: unknown,
    options: ApiRequestOptions & { readonly onResponse?: (response: ApiResponse) => void } = {},
  ): string {
    this.#validateOnce();
    return this.api(apiName).request(event, options);
  }

  // ---------------------------------------------------------------- delivery (destinations, DLQs)

  /**
   * Sends a destination record or DLQ message to a target ARN (see `deliverRecord`). Returns false
   * when AWS could not deliver it, in which case the record is lost, as on AWS.
   */
  public deliver(targetArn: string, record: unknown, context: DeliveryContext): boolean {
    return deliverRecord(this, targetArn, record, context);
  }

  /** Throws a `ResourceNotFoundError` that names `where` unless the destination's resource exists. */
  public assertTargetExists(targetArn: string, where: string): void {
    const service = parseArn(targetArn)?.service;
    if (service === "sqs") this.queue(targetArn, where);
    else if (service === "sns") this.topic(targetArn, where);
    else if (service === "lambda") this.function(targetArn, where);
    else if (service === "events") this.eventBus(targetArn, where);
    else if (service === "s3") this.bucket(targetArn, where);
  }

  // ---------------------------------------------------------------- run

  /**
   * Checks every reference between resources (DLQs, destinations, subscriptions, mappings) and throws
   * one error listing all the broken ones. Runs automatically before the first injection.
   */
  public validate(): void {
    const problems: string[] = [];
    const check = (run: () => void): void => {
      try {
        run();
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    };
    for (const queue of this.#queues.values()) check(() => queue.validateReferences());
    for (const fn of this.#functions.values()) {
      if (fn.deadLetterTargetArn !== undefined) {
        check(() => {
          const target = fn.deadLetterTargetArn!;
          const service = parseArn(target)?.service;
          if (service === "sqs") this.queue(target, `${fn.functionName} deadLetterTargetArn`);
          else if (service === "sns") this.topic(target, `${fn.functionName} deadLetterTargetArn`);
          else {
            throw new ConfigurationError(
              "deadLetterTargetArn",
              `${fn.functionName}: deadLetterTargetArn must be an SQS queue or SNS topic ARN, got ${describe(target)}`,
            );
          }
        });
      }
    }
    for (const queue of this.#asyncQueues.values()) check(() => queue.validateReferences());
    for (const topic of this.#topics.values()) check(() => topic.validateReferences());
    if (problems.length > 0) {
      throw new ConfigurationError(
        "topology",
        `the topology has ${problems.length} broken reference(s):\n- ${problems.join("\n- ")}`,
      );
    }
    this.#validated = true;
  }

  /** Runs until nothing is left (or until `untilMs`). Handlers must be synchronous: use `runAsync` otherwise. */
  public run(untilMs?: number): void {
    this.#validateOnce();
    if (untilMs === undefined) this.simulation.runUntilIdle();
    else this.simulation.runUntil(untilMs);
  }

  /** Like `run`, waiting for real (Promise-returning) handlers before virtual time moves on. */
  public async runAsync(untilMs?: number): Promise<void> {
    this.#validateOnce();
    if (untilMs === undefined) await this.simulation.runUntilIdleAsync();
    else await this.simulation.runUntilAsync(untilMs);
  }

  /** Outcome ids of events still held by a model (in a queue, waiting for an async retry...). */
  public heldEventIds(): Set<number> {
    const held = new Set<number>();
    for (const queue of this.#queues.values()) for (const id of queue.heldEventIds()) held.add(id);
    for (const queue of this.#asyncQueues.values()) for (const id of queue.heldEventIds()) held.add(id);
    for (const api of this.#apis.values()) for (const id of api.heldEventIds()) held.add(id);
    for (const id of this.#sync.heldEventIds()) held.add(id);
    for (const holder of this.#holders) for (const id of holder()) held.add(id);
    return held;
  }

  #validateOnce(): void {
    if (!this.#validated) this.validate();
  }

  #beforeChange(): void {
    // Resources added after the first injection are validated again before the next one.
    this.#validated = false;
  }

  #asyncQueueOf(reference: string, where: string): AsyncInvocationQueue {
    const fn = this.function(reference, where);
    let queue = this.#asyncQueues.get(fn.functionName);
    if (queue === undefined) {
      queue = new AsyncInvocationQueue(this, fn);
      this.#asyncQueues.set(fn.functionName, queue);
    }
    return queue;
  }

  #notFound(reference: unknown, where: string, kind: string, known: Iterable<string>): ResourceNotFoundError {
    const names = [...known];
    return new ResourceNotFoundError(
      String(reference),
      `${where}: no ${kind} ${describe(reference)} in the topology` +
        (names.length > 0 ? ` (known: ${names.slice(0, 20).join(", ")})` : ` (none defined; add it first)`),
    );
  }
}

/** The resource name of a plain name or an ARN of the given service; undefined for another service's ARN. */
function resourceName(reference: string, service: string): string | undefined {
  if (typeof reference !== "string" || reference === "") return undefined;
  if (!reference.startsWith("arn:")) return reference;
  const arn = parseArn(reference);
  if (arn === undefined || arn.service !== service) return undefined;
  return arn.resource;
}
