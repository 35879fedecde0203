import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  findDeployRejections,
  loadStack,
  StackReferences,
  StackRejectedError,
  scripted,
  TerraformJson,
  Topology,
} from "../../src/index.js";
import { rebound } from "../cli/cliHarness.js";

const identity = {
  region: "eu-west-1",
  accountId: "123456789012",
  endpointUrl: "http://127.0.0.1:1",
  streamLabel: "2026-01-01T00:00:00.000",
};

/** A small stack: a worker and a notifier, a queue, a FIFO queue, a table with a stream, a Kinesis stream. */
function stack(extra: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const base: Record<string, Record<string, unknown>> = {
    aws_lambda_function: {
      worker: { function_name: "worker", timeout: 10 },
      notifier: { function_name: "notifier", timeout: 10 },
    },
    aws_sqs_queue: {
      jobs: { name: "jobs", visibility_timeout_seconds: 60 },
      ordered: { name: "ordered.fifo", fifo_queue: true, visibility_timeout_seconds: 60 },
      failures: { name: "failures" },
    },
    aws_dynamodb_table: {
      orders: {
        name: "orders",
        hash_key: "id",
        attribute: [{ name: "id", type: "S" }],
        stream_enabled: true,
        stream_view_type: "NEW_AND_OLD_IMAGES",
      },
    },
    aws_kinesis_stream: { clicks: { name: "clicks", shard_count: 1 } },
  };
  for (const [type, resources] of Object.entries(extra)) base[type] = { ...base[type], ...resources };
  return { resource: base };
}

const sqsMapping = (values: Record<string, unknown> = {}) => ({
  aws_lambda_event_source_mapping: {
    jobs: {
      event_source_arn: "${aws_sqs_queue.jobs.arn}",
      function_name: "${aws_lambda_function.worker.arn}",
      ...values,
    },
  },
});
const streamMapping = (source: string, values: Record<string, unknown>) => ({
  aws_lambda_event_source_mapping: {
    stream: { event_source_arn: source, function_name: "${aws_lambda_function.worker.arn}", ...values },
  },
});
const TABLE_STREAM = "${aws_dynamodb_table.orders.stream_arn}";
const KINESIS = "${aws_kinesis_stream.clicks.arn}";

function rejectionsOf(document: Record<string, unknown>) {
  const tf = new TerraformJson(document as never);
  return findDeployRejections(tf, new StackReferences(tf, identity));
}

describe("deploy-time rejections: what AWS refuses, with AWS's error", () => {
  it("accepts a stack AWS accepts", () => {
    expect(
      rejectionsOf(
        stack({
          ...sqsMapping({ batch_size: 100, maximum_batching_window_in_seconds: 5 }),
          aws_lambda_function_event_invoke_config: {
            notifier: { function_name: "notifier", maximum_retry_attempts: 1 },
          },
        }),
      ),
    ).toEqual([]);
  });

  it.each([
    [
      "an event invoke config with neither retries, age nor destinations",
      {
        aws_lambda_function_event_invoke_config: {
          notifier: { function_name: "${aws_lambda_function.notifier.function_name}" },
        },
      },
      [
        "InvalidParameterValueException",
        400,
        "You must specify at least one of error handling or destination setting.",
      ],
    ],
    [
      "a destination that is the function itself",
      {
        aws_lambda_function_event_invoke_config: {
          notifier: {
            function_name: "notifier",
            destination_config: { on_failure: { destination: "${aws_lambda_function.notifier.arn}" } },
          },
        },
      },
      ["InvalidParameterValueException", 400, "You can't specify the function as a destination for itself."],
    ],
    [
      "async retries above 2",
      {
        aws_lambda_function_event_invoke_config: {
          notifier: { function_name: "notifier", maximum_retry_attempts: 3 },
        },
      },
      [
        "ValidationException",
        400,
        "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2",
      ],
    ],
    [
      "an SQS batch above 10 without a batching window",
      sqsMapping({ batch_size: 11 }),
      [
        "InvalidParameterValueException",
        400,
        "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10",
      ],
    ],
    [
      "a FIFO batch above 10",
      {
        aws_lambda_event_source_mapping: {
          f: {
            event_source_arn: "${aws_sqs_queue.ordered.arn}",
            function_name: "worker",
            batch_size: 20,
            maximum_batching_window_in_seconds: 1,
          },
        },
      },
      ["InvalidParameterValueException", 400, "Batch size for FIFO queues must be less than or equal to 10."],
    ],
    [
      "a batch size above 10,000",
      sqsMapping({ batch_size: 10_001, maximum_batching_window_in_seconds: 1 }),
      [
        "ValidationException",
        400,
        "Value '10001' at 'batchSize' failed to satisfy constraint: Member must have value less than or equal to 10000",
      ],
    ],
    [
      "a batching window above 300 s",
      sqsMapping({ maximum_batching_window_in_seconds: 301 }),
      [
        "ValidationException",
        400,
        "at 'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 300",
      ],
    ],
    [
      "a function timeout longer than the queue's visibility timeout",
      {
        ...sqsMapping(),
        aws_lambda_function: { worker: { function_name: "worker", timeout: 90 } },
      },
      [
        "InvalidParameterValueException",
        400,
        "Queue visibility timeout: 60 seconds is less than Function timeout: 90 seconds",
      ],
    ],
    [
      "a mapping of a queue that is not in the stack",
      {
        aws_lambda_event_source_mapping: {
          q: { event_source_arn: "arn:aws:sqs:eu-west-1:123456789012:nope", function_name: "worker" },
        },
      },
      ["InvalidParameterValueException", 400, "AWS.SimpleQueueService.NonExistentQueue"],
    ],
    [
      "a mapping of a stream that is not in the stack",
      streamMapping("arn:aws:kinesis:eu-west-1:123456789012:stream/nope", { starting_position: "LATEST" }),
      [
        "InvalidParameterValueException",
        400,
        "Stream not found: arn:aws:kinesis:eu-west-1:123456789012:stream/nope",
      ],
    ],
    [
      "a stream mapping without a starting position",
      streamMapping(TABLE_STREAM, {}),
      [
        "InvalidParameterValueException",
        400,
        "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.",
      ],
    ],
    [
      "an invalid starting position",
      streamMapping(KINESIS, { starting_position: "EARLIEST" }),
      [
        "ValidationException",
        400,
        "Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]",
      ],
    ],
    [
      "AT_TIMESTAMP on a DynamoDB stream",
      streamMapping(TABLE_STREAM, { starting_position: "AT_TIMESTAMP" }),
      [
        "InvalidParameterValueException",
        400,
        "Unsupported starting position for arn type: arn:aws:dynamodb:eu-west-1:123456789012:table/orders/stream/",
      ],
    ],
    [
      "stream retries above 10,000",
      streamMapping(KINESIS, { starting_position: "LATEST", maximum_retry_attempts: 10_001 }),
      [
        "ValidationException",
        400,
        "at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 10000",
      ],
    ],
    [
      "a record age between -1 and 60",
      streamMapping(KINESIS, { starting_position: "LATEST", maximum_record_age_in_seconds: 30 }),
      [
        "InvalidParameterValueException",
        400,
        "MaximumRecordAgeInSeconds must be -1 or between 60 and 604800.",
      ],
    ],
    [
      "a parallelization factor above 10",
      streamMapping(KINESIS, { starting_position: "LATEST", parallelization_factor: 11 }),
      [
        "ValidationException",
        400,
        "at 'parallelizationFactor' failed to satisfy constraint: Member must have value less than or equal to 10",
      ],
    ],
  ])("refuses %s", (_, extra, [code, status, message]) => {
    const rejections = rejectionsOf(stack(extra as Record<string, Record<string, unknown>>));
    expect(rejections).toHaveLength(1);
    expect(rejections[0]).toMatchObject({ code, httpStatus: status });
    expect(rejections[0]?.awsMessage).toContain(message as string);
    expect(rejections[0]?.hint.length).toBeGreaterThan(10);
    expect(rejections[0]?.address).toMatch(
      /^aws_lambda_(event_source_mapping|function_event_invoke_config)\./,
    );
  });

  it("refuses a second mapping of the same queue to the same function with 409", () => {
    const rejections = rejectionsOf(
      stack({
        aws_lambda_event_source_mapping: {
          a: { event_source_arn: "${aws_sqs_queue.jobs.arn}", function_name: "worker" },
          b: {
            event_source_arn: "${aws_sqs_queue.jobs.arn}",
            function_name: "${aws_lambda_function.worker.arn}",
          },
        },
      }),
    );
    expect(rejections).toEqual([
      expect.objectContaining({
        address: "aws_lambda_event_source_mapping.b",
        code: "ResourceConflictException",
        httpStatus: 409,
        awsMessage: expect.stringContaining(
          'An event source mapping with SQS arn (" arn:aws:sqs:eu-west-1:123456789012:jobs ") and function (" worker ") already exists.',
        ),
      }),
    ]);
  });

  it("makes loadStack throw every rejection at once, before anything is built", () => {
    const document = stack({
      ...streamMapping(TABLE_STREAM, {}),
      aws_lambda_function_event_invoke_config: { notifier: { function_name: "notifier" } },
    });
    const topology = new Topology({ region: "eu-west-1" });
    let thrown: unknown;
    try {
      loadStack(new TerraformJson(document as never), topology, {
        identity,
        handlerFor: () => scripted.succeed(),
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StackRejectedError);
    expect((thrown as StackRejectedError).rejections.map((rejection) => rejection.address).sort()).toEqual([
      "aws_lambda_event_source_mapping.stream",
      "aws_lambda_function_event_invoke_config.notifier",
    ]);
    expect(topology.resources().queues).toEqual([]);
  });

  it("prints every rejection as one line and exits 2, in simulate and explain alike", () => {
    const dir = mkdtempSync(join(tmpdir(), "rebound-rejected-"));
    const file = join(dir, "rejected.tf.json");
    writeFileSync(
      file,
      JSON.stringify(
        stack({
          ...sqsMapping({ batch_size: 50 }),
          aws_lambda_function: { worker: { function_name: "worker", timeout: 120 } },
        }),
      ),
    );
    for (const command of [
      ["simulate", "--stack", file, "x.yaml"],
      ["explain", "--stack", file],
    ]) {
      const run = rebound(command);
      expect(run.status, run.stderr).toBe(2);
      const lines = run.stderr
        .trim()
        .split("\n")
        .filter((line) => line.includes("CreateEventSourceMapping fails"));
      expect(lines).toHaveLength(2);
      expect(run.stderr).toContain(
        "aws_lambda_event_source_mapping.jobs: CreateEventSourceMapping fails with InvalidParameterValueException (400): Queue visibility timeout: 60 seconds is less than Function timeout: 120 seconds; fix: raise aws_sqs_queue.jobs visibility_timeout_seconds to at least 120",
      );
      expect(run.stderr).toContain(
        "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10",
      );
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
