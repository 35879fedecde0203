import { Outcomes } from "../../src/engine/Outcomes.js";
import { LambdaFunction, type LambdaFunctionConfig } from "../../src/lambda/LambdaFunction.js";
import { DynamoDBStream, type DynamoDBStreamOptions } from "../../src/streams/DynamoDBStream.js";
import { KinesisStream, type KinesisStreamOptions } from "../../src/streams/KinesisStream.js";
import type { Stream } from "../../src/streams/Stream.js";
import { StreamEventSourceMapping } from "../../src/streams/StreamEventSourceMapping.js";
import type { StreamRecordEntry } from "../../src/streams/StreamShard.js";
import type { StreamMappingOptions } from "../../src/streams/streamConfig.js";
import type { StreamFailureDelivery } from "../../src/streams/streamFailureDestination.js";
import { runtimeEnv } from "../helpers.js";

export const QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:stream-failures";

/** A stream, a function and a mapping on one simulation, recording deliveries, invocations and records. */
export function streamSetup(options: {
  readonly kind?: "kinesis" | "dynamodb";
  readonly kinesis?: Partial<KinesisStreamOptions>;
  readonly dynamodb?: Partial<DynamoDBStreamOptions>;
  readonly fn: Omit<LambdaFunctionConfig, "functionName"> & { readonly functionName?: string };
  readonly mapping: Partial<StreamMappingOptions>;
  readonly seed?: number;
  readonly detailed?: boolean;
}) {
  const env = runtimeEnv({ seed: options.seed ?? 1 });
  const outcomes = new Outcomes(() => env.simulation.now(), { detailed: options.detailed ?? true });
  const deliveries: StreamFailureDelivery[] = [];
  const stream: Stream =
    options.kind === "dynamodb"
      ? new DynamoDBStream(env, {
          tableName: "orders",
          keySchema: { partitionKey: "pk" },
          streamViewType: "NEW_AND_OLD_IMAGES",
          ...options.dynamodb,
        })
      : new KinesisStream(env, { streamName: "events", ...options.kinesis });
  const received: StreamRecordEntry[] = [];
  stream.subscribe((entry) => received.push(entry));
  const batches: string[][] = [];
  const fn = new LambdaFunction(env, { functionName: "consumer", ...options.fn });
  const original = fn.invoke.bind(fn);
  fn.invoke = (event, requestId, onDone) => {
    const records = (
      event as {
        Records: Array<{
          kinesis?: { partitionKey: string; data: string };
          dynamodb?: { Keys: { pk: { S: string } } };
        }>;
      }
    ).Records;
    batches.push(
      records.map((record) =>
        record.kinesis !== undefined
          ? Buffer.from(record.kinesis.data, "base64").toString()
          : record.dynamodb!.Keys.pk.S,
      ),
    );
    original(event, requestId, onDone);
  };
  const mapping = new StreamEventSourceMapping(
    {
      simulation: env.simulation,
      trace: env.trace,
      outcomes,
      deliver: (delivery) => deliveries.push(delivery),
    },
    stream,
    fn,
    { startingPosition: "TRIM_HORIZON", ...options.mapping },
  );
  const put = (data: string, partitionKey = "k", atMs?: number): void => {
    if (stream instanceof DynamoDBStream) {
      // A table write whose key is the data, so batches list the same names as on Kinesis.
      const write = () => stream.recordWrite({ newImage: { pk: { S: data } } });
      if (atMs === undefined) write();
      else env.simulation.at(atMs, write);
      return;
    }
    const kinesis = stream as KinesisStream;
    if (atMs === undefined) kinesis.putRecord({ partitionKey, data });
    else kinesis.putRecordAt(atMs, { partitionKey, data });
  };
  return { env, outcomes, deliveries, stream, fn, mapping, batches, received, put };
}
