import { describe, expect, it } from "vitest";
import { evaluateConfig } from "../../src/scenario/configExpectation.js";
import { parseScenario } from "../../src/scenario/parseScenario.js";

const FUNCTION = { FunctionName: "receipts", Timeout: 10, MemorySize: 128, Runtime: "nodejs22.x" };

describe("config expectations", () => {
  it("holds when the effective configuration contains the shape, and shows both when it does not", () => {
    const lookup = () => FUNCTION;
    const resource = { kind: "function", name: "receipts" } as const;
    expect(evaluateConfig({ resource, matches: { Timeout: 10, MemorySize: "$number" } }, lookup).ok).toBe(
      true,
    );
    const wrong = evaluateConfig({ resource, matches: { Timeout: 30 } }, lookup);
    expect(wrong.ok).toBe(false);
    expect(wrong.detail).toMatch(
      /^\$\.Timeout: 10, expected 30\n\s+expected \{"Timeout":30\}\n\s+actual\s+\{"FunctionName":"receipts"/,
    );
  });

  it("says what is missing when the resource has no such configuration", () => {
    const result = evaluateConfig(
      { resource: { kind: "eventInvokeConfig", name: "pay" }, matches: {} },
      () => {
        throw new Error(
          "The function arn:aws:lambda:us-east-1:123456789012:function:pay doesn't have an EventInvokeConfig",
        );
      },
    );
    expect(result).toEqual({
      ok: false,
      detail:
        "The function arn:aws:lambda:us-east-1:123456789012:function:pay doesn't have an EventInvokeConfig",
    });
  });

  it.each([
    [
      "{ check: config, matches: {} }",
      "names exactly one of function, queue, mapping, eventInvokeConfig; it names none",
    ],
    ["{ check: config, function: f, queue: q, matches: {} }", "it names function and queue"],
    ["{ check: config, queue: q }", "matches"],
    ["{ check: config, mapping: { function: f }, matches: {} }", "mapping needs function and source"],
  ])("refuses %s", (line, message) => {
    expect(() => parseScenario(`name: x\nexpect:\n  - ${line}\n`, "x.yaml")).toThrow(message);
  });
});
