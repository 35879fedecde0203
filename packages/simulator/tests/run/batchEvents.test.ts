import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseScenario, runScenario } from "../../src/index.js";
import { scenarioIssueLines } from "../helpers.js";

const stack = {
  provider: { aws: [{ region: "us-east-1" }] },
  resource: {
    aws_kinesis_stream: { clicks: { name: "clicks", shard_count: 1 } },
    aws_sqs_queue: { orders: { name: "orders.fifo", fifo_queue: true, content_based_deduplication: true } },
    aws_lambda_function: {
      counter: { function_name: "counter", handler: "index.handler", runtime: "nodejs22.x" },
      orderer: { function_name: "orderer", handler: "index.handler", runtime: "nodejs22.x" },
    },
    aws_lambda_event_source_mapping: {
      clicks: {
        function_name: "counter",
        event_source_arn: "${aws_kinesis_stream.clicks.arn}",
        starting_position: "TRIM_HORIZON",
      },
      orders: { function_name: "orderer", event_source_arn: "${aws_sqs_queue.orders.arn}", batch_size: 10 },
    },
  },
};

describe("batch events: SendMessageBatch and PutRecords", () => {
  it("writes every entry in order, in one call, and names each outcome by the event's id and its place", async () => {
    const dir = mkdtempSync(join(tmpdir(), "rebound-batch-"));
    writeFileSync(join(dir, "stack.tf.json"), JSON.stringify(stack));
    const text = `name: batches
stack: stack.tf.json
events:
  - id: put
    kind: kinesis-batch
    stream: clicks
    records: [{ partitionKey: k, data: a }, { partitionKey: k, data: b }, { partitionKey: k, data: c }]
  - id: send
    kind: sqs-batch
    queue: orders.fifo
    entries: [{ body: one, groupId: g }, { body: two, groupId: g }]
functions:
  counter: { behaviour: succeed }
  orderer: { behaviour: succeed }
expect:
  - { check: event-outcome, event: put, disposition: processed, attempts: 1 }
  - { check: event-outcome, event: send, disposition: processed, attempts: 1 }
`;
    const result = await runScenario(parseScenario(text, join(dir, "batches.yaml")), { repoRoot: dir });
    expect(result.expectations.filter((expectation) => !expectation.ok)).toEqual([]);
    expect(result.events.filter((event) => event.id.startsWith("put")).map((event) => event.id)).toEqual([
      "put[1]",
      "put[2]",
      "put[3]",
    ]);
    expect(result.events.filter((event) => event.id.startsWith("send")).map((event) => event.id)).toEqual([
      "send[1]",
      "send[2]",
    ]);
  });

  it("refuses more than 10 SendMessageBatch entries and a record without a partition key", () => {
    const entries = Array.from({ length: 11 }, (_, index) => `{ body: m${index} }`).join(", ");
    const text = scenarioIssueLines(
      `name: x\nevents:\n  - { kind: sqs-batch, queue: q, entries: [${entries}] }\n  - { kind: kinesis-batch, stream: s, records: [{ data: a }] }\n`,
      "x.yaml",
    ).join("\n");
    expect(text).toMatch(/3: 11 entries: SendMessageBatch takes 1 to 10 entries/);
    expect(text).toMatch(/4: .*partitionKey/);
  });
});
