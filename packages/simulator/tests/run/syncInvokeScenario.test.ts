import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseScenario, runScenario } from "../../src/index.js";
import { ScenarioError } from "../../src/scenario/ScenarioError.js";

const stack = {
  provider: { aws: [{ region: "us-east-1" }] },
  resource: {
    aws_lambda_function: {
      quote: { function_name: "quote", handler: "app.handler", runtime: "python3.13", timeout: 3 },
    },
  },
};

async function run(body: string) {
  const dir = mkdtempSync(join(tmpdir(), "rebound-sync-"));
  writeFileSync(join(dir, "stack.tf.json"), JSON.stringify(stack));
  const text = `name: sync\nstack: stack.tf.json\n${body}`;
  return runScenario(parseScenario(text, join(dir, "sync.yaml")), { repoRoot: dir });
}

describe("synchronous invokes in scenarios and their responses", () => {
  it("captures a RequestResponse invoke's payload, and a function error in the runtime's shape", async () => {
    const result = await run(`events:
  - { id: ok, kind: invoke, type: RequestResponse, function: quote, payloadText: '{"sku":"BOOK-42","qty":2}' }
  - { id: broken, kind: invoke, type: RequestResponse, at: 1m, function: quote, payload: { sku: NONE } }
functions:
  quote:
    behaviour: sequence
    per: function
    steps:
      - { outcome: succeed, result: { priceCents: 2500, currency: EUR } }
      - { outcome: fail, errorType: KeyError, errorMessage: "'NONE'" }
expect:
  - { check: response, event: ok, statusCode: 200, payload: { priceCents: $number, currency: EUR } }
  - check: response
    event: broken
    statusCode: 200
    functionError: Unhandled
    errorType: KeyError
    payload: { errorMessage: "'NONE'", requestId: $uuid, stackTrace: $array }
  - { check: response, event: ok, functionError: Unhandled }
`);
    expect(result.expectations.map((expectation) => expectation.ok)).toEqual([true, true, false]);
    expect(result.expectations[2]?.detail).toBe("ok: FunctionError (none), expected Unhandled");
  });

  it("refuses a payloadText that is not JSON, as Lambda does", () => {
    expect(() =>
      parseScenario(
        "name: x\nevents:\n  - { kind: invoke, function: quote, payloadText: 'sku=1' }\n",
        "x.yaml",
      ),
    ).toThrow(ScenarioError);
    expect(() =>
      parseScenario(
        "name: x\nevents:\n  - { kind: invoke, function: quote, payloadText: 'sku=1' }\n",
        "x.yaml",
      ),
    ).toThrow(/InvalidRequestContentException: Could not parse request body into json/);
  });
});
