import { ConfigurationError, ResourceNotFoundError } from "../engine/errors.js";
import { assertOptions, assertString, describe } from "../engine/validate.js";
import { DynamoDBStream, type DynamoDBStreamOptions } from "../streams/DynamoDBStream.js";
import { KinesisStream, type KinesisStreamOptions } from "../streams/KinesisStream.js";
import type { Stream } from "../streams/Stream.js";
import { StreamEventSourceMapping } from "../streams/StreamEventSourceMapping.js";
import { STREAM_MAPPING_OPTION_KEYS, type StreamMappingOptions } from "../streams/streamConfig.js";
import type { Topology } from "./Topology.js";

/** `createEventSourceMapping` input for a stream: AWS's names, as for SQS sources. */
export interface StreamEventSourceMappingConfig extends StreamMappingOptions {
  /** The Kinesis stream ARN, or the DynamoDB table's stream ARN (`.../table/<t>/stream/<label>`). */
  readonly eventSourceArn: string;
  /** Function name or ARN. */
  readonly functionName: string;
}

/**
 * Connects the stream models to a topology: owns its Kinesis streams and DynamoDB table streams,
 * answers `topology.createEventSourceMapping` for `kinesis` and `dynamodb` ARNs, sends on-failure
 * records through `topology.deliver` (SQS body, SNS Message, S3 object), and reports the records its
 * mappings still hold to the "nothing lost" invariant.
 *
 * @example
 * ```ts
 * import { scripted, StreamSources, Topology } from "@rebound/simulator";
 * const topology = new Topology({ seed: 3 });
 * const streams = new StreamSources(topology);
 * const orders = streams.addDynamoDBStream({ tableName: "orders", keySchema: { partitionKey: "pk" }, streamViewType: "NEW_AND_OLD_IMAGES" });
 * topology.addFunction({ functionName: "order-events", handler: scripted.succeed() });
 * topology.createEventSourceMapping({ eventSourceArn: orders.streamArn, functionName: "order-events", startingPosition: "LATEST" });
 * orders.recordWrite({ newImage: { pk: { S: "order#1" } } });
 * topology.run();
 * ```
 */
export class StreamSources {
  readonly #topology: Topology;
  readonly #streams = new Map<string, Stream>();
  readonly #mappings: StreamEventSourceMapping[] = [];
  /** `<stream ARN> <function name>` of each mapping: AWS allows one mapping per pair. */
  readonly #pairs = new Set<string>();

  public constructor(topology: Topology) {
    this.#topology = topology;
    const factory = (_topology: Topology, config: Record<string, unknown>): StreamEventSourceMapping =>
      this.createEventSourceMapping(config as unknown as StreamEventSourceMappingConfig);
    topology.registerEventSourceMappingFactory("kinesis", factory);
    topology.registerEventSourceMappingFactory("dynamodb", factory);
    topology.registerHolder(() => this.#mappings.flatMap((mapping) => mapping.heldEventIds()));
  }

  /** Adds a Kinesis data stream. */
  public addKinesisStream(options: KinesisStreamOptions): KinesisStream {
    return this.#add(new KinesisStream(this.#topology.env, options));
  }

  /** Adds a table's DynamoDB stream (feed it the table's writes with `recordWrite`). */
  public addDynamoDBStream(options: DynamoDBStreamOptions): DynamoDBStream {
    return this.#add(new DynamoDBStream(this.#topology.env, options));
  }

  /** A stream by ARN or by name (Kinesis stream name, DynamoDB table name). */
  public stream(reference: string): Stream {
    const stream =
      this.#streams.get(reference) ?? [...this.#streams.values()].find((s) => s.name === reference);
    if (stream === undefined) {
      throw new ResourceNotFoundError(
        reference,
        `no stream ${describe(reference)}; streams: ${[...this.#streams.values()].map((s) => s.name).join(", ") || "none"}`,
      );
    }
    return stream;
  }

  /** Every stream mapping created so far. */
  public get mappings(): readonly StreamEventSourceMapping[] {
    return this.#mappings;
  }

  /** CreateEventSourceMapping for a stream (what the topology's factory calls). */
  public createEventSourceMapping(config: StreamEventSourceMappingConfig): StreamEventSourceMapping {
    const where = "createEventSourceMapping";
    assertOptions(where, config, ["eventSourceArn", "functionName", ...STREAM_MAPPING_OPTION_KEYS]);
    assertString(where, "eventSourceArn", config.eventSourceArn);
    const stream = this.stream(config.eventSourceArn);
    const fn = this.#topology.function(config.functionName, `${where} functionName`);
    const pair = `${stream.streamArn} ${fn.functionName}`;
    if (this.#pairs.has(pair)) {
      throw new ConfigurationError(
        "eventSourceArn",
        `${where}: ${fn.functionName} already has a mapping for ${stream.name} (AWS: ResourceConflictException)`,
      );
    }
    const { eventSourceArn: _arn, functionName: _name, ...options } = config;
    const topology = this.#topology;
    const mapping = new StreamEventSourceMapping(
      {
        simulation: topology.simulation,
        trace: topology.trace,
        outcomes: topology.outcomes,
        deliver: (delivery) => {
          topology.deliver(delivery.destination, delivery.record, {
            parent: delivery.parent,
            ...(delivery.objectKey !== undefined ? { objectKey: delivery.objectKey } : {}),
          });
        },
      },
      stream,
      fn,
      options,
    );
    this.#mappings.push(mapping);
    this.#pairs.add(pair);
    return mapping;
  }

  #add<T extends Stream>(stream: T): T {
    if (
      this.#streams.has(stream.streamArn) ||
      [...this.#streams.values()].some((s) => s.name === stream.name)
    ) {
      throw new ConfigurationError(
        "name",
        `a stream named ${stream.name} already exists (${stream.streamArn})`,
      );
    }
    this.#streams.set(stream.streamArn, stream);
    return stream;
  }
}
