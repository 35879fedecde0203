import { describe, expect, it } from "vitest";
import { readPartialBatchResponse } from "../src/index.js";

const inBatch = (id: string): boolean => id === "m1" || id === "m2";

describe("readPartialBatchResponse (AWS's rules for ReportBatchItemFailures)", () => {
  it.each([
    ["a null response", null],
    ["an undefined response", undefined],
    ["an empty object", {}],
    ["a null batchItemFailures", { batchItemFailures: null }],
    ["an empty batchItemFailures", { batchItemFailures: [] }],
    ["other keys only", { statusCode: 200 }],
    ["an empty list as the whole response", []],
  ])("treats %s as complete success", (_name, response) => {
    expect(readPartialBatchResponse(response, inBatch)).toEqual({ kind: "success" });
  });

  it.each([
    ["an empty itemIdentifier", { batchItemFailures: [{ itemIdentifier: "" }] }, /empty/],
    ["a null itemIdentifier", { batchItemFailures: [{ itemIdentifier: null }] }, /null/],
    ["a wrong key name", { batchItemFailures: [{ foo: "m1" }] }, /no itemIdentifier/],
    [
      "an id outside the batch",
      { batchItemFailures: [{ itemIdentifier: "m9" }] },
      /not a record of this batch/,
    ],
    ["a numeric id", { batchItemFailures: [{ itemIdentifier: 123 }] }, /not a string/],
    ["a list that is not a list", { batchItemFailures: "m1" }, /not a list/],
    ["an entry that is not an object", { batchItemFailures: ["m1"] }, /not an object/],
    ["a string response", "ok", /not a JSON object/],
    ["an empty list sent as JSON text", '{"batchItemFailures":[]}', /not a JSON object/],
    ["a number", 200, /not a JSON object/],
    ["a non-empty array response", [{ itemIdentifier: "m1" }], /not a JSON object/],
  ])("treats %s as complete failure", (_name, response, reason) => {
    const verdict = readPartialBatchResponse(response, inBatch);
    expect(verdict.kind).toBe("invalid");
    if (verdict.kind === "invalid") expect(verdict.reason).toMatch(reason);
  });

  it("lists the failed items once each", () => {
    const verdict = readPartialBatchResponse(
      { batchItemFailures: [{ itemIdentifier: "m2" }, { itemIdentifier: "m2" }] },
      inBatch,
    );
    expect(verdict).toEqual({ kind: "partial", failed: new Set(["m2"]) });
  });
});
