import { describe, expect, it } from "vitest";
import { readSqsResponse, readStreamResponse } from "./helpers/awsContract.js";

// The readings the wrapper tests rely on (docs/aws-semantics.md#sqs-partial-batch-responses).
describe("AWS's reading of a partial batch response", () => {
  const ids = ["m-0", "m-1", "m-2"];

  it.each([
    ["an empty batchItemFailures list", { batchItemFailures: [] }],
    ["a null batchItemFailures list", { batchItemFailures: null }],
    ["an empty object", {}],
    ["a null response", null],
    ["no response at all", undefined],
    ["an empty list as the whole response", []],
  ])("SQS treats %s as complete success", (_label, returned) => {
    expect(readSqsResponse({ returned }, ids)).toEqual({ kind: "success" });
  });

  it.each([
    ["a thrown error", { thrown: new Error("x") }],
    ["invalid JSON", { returned: "{batchItemFailures" }],
    // The runtime sends a returned string as a JSON string, never as the object it spells.
    ["an empty list sent as JSON text", { returned: '{"batchItemFailures":[]}' }],
    ["an empty-string itemIdentifier", { returned: { batchItemFailures: [{ itemIdentifier: "" }] } }],
    ["a null itemIdentifier", { returned: { batchItemFailures: [{ itemIdentifier: null }] } }],
    ["a wrong key name", { returned: { batchItemFailures: [{ foo: "notvalid" }] } }],
    ["an itemIdentifier not in the batch", { returned: { batchItemFailures: [{ itemIdentifier: "m-9" }] } }],
  ])("SQS treats %s as a whole-batch failure", (_label, answer) => {
    expect(readSqsResponse(answer, ids).kind).toBe("whole-batch-failure");
  });

  it("SQS retries exactly the listed messages", () => {
    expect(readSqsResponse({ returned: { batchItemFailures: [{ itemIdentifier: "m-2" }] } }, ids)).toEqual({
      kind: "partial",
      retry: ["m-2"],
    });
  });

  it.each([
    ["an empty list", { batchItemFailures: [] }],
    ["a null list", { batchItemFailures: null }],
    ["an empty object", {}],
    ["a null response", null],
  ])("streams treat %s as complete success", (_label, returned) => {
    expect(readStreamResponse({ returned }, ["1", "2"])).toEqual({ kind: "success" });
  });

  it.each([
    ["a thrown error", { thrown: new Error("x") }],
    ["an empty-string itemIdentifier", { returned: { batchItemFailures: [{ itemIdentifier: "" }] } }],
    ["a null itemIdentifier", { returned: { batchItemFailures: [{ itemIdentifier: null }] } }],
    ["a bad key name", { returned: { batchItemFailures: [{ sequenceNumber: "1" }] } }],
    ["a sequence number not in the batch", { returned: { batchItemFailures: [{ itemIdentifier: "123" }] } }],
  ])("streams treat %s as a whole-batch failure", (_label, answer) => {
    expect(readStreamResponse(answer, ["1", "2"]).kind).toBe("whole-batch-failure");
  });

  it("streams checkpoint at the lowest reported sequence number and retry everything after it", () => {
    const returned = { batchItemFailures: [{ itemIdentifier: "3" }, { itemIdentifier: "2" }] };
    expect(readStreamResponse({ returned }, ["1", "2", "3", "4"])).toEqual({
      kind: "partial",
      retry: ["2", "3", "4"],
    });
  });
});
