import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseScenario, runScenario } from "../../src/index.js";
import { containsShape } from "../../src/scenario/containsShape.js";
import { scenarioIssueLines } from "../helpers.js";

// A state machine whose Charge task calls a scripted function through lambda:invoke, retries
// PaymentDeclined once, and catches everything into a Fail state.
const stack = {
  provider: { aws: [{ region: "eu-west-1" }] },
  resource: {
    aws_lambda_function: {
      charge: { function_name: "charge", handler: "index.handler", runtime: "nodejs22.x", timeout: 5 },
    },
    aws_sfn_state_machine: {
      checkout: {
        name: "checkout",
        definition: JSON.stringify({
          StartAt: "Charge",
          States: {
            Charge: {
              Type: "Task",
              Resource: "arn:aws:states:::lambda:invoke",
              Parameters: { FunctionName: "${aws_lambda_function.charge.arn}", "Payload.$": "$" },
              ResultSelector: { "charged.$": "$.Payload.charged" },
              Retry: [{ ErrorEquals: ["PaymentDeclined"], MaxAttempts: 1, IntervalSeconds: 3 }],
              Catch: [{ ErrorEquals: ["States.ALL"], Next: "Declined" }],
              End: true,
            },
            Declined: { Type: "Fail", Error: "Declined", Cause: "card declined twice" },
          },
        }),
      },
    },
  },
};

async function run(functions: string, expect: string) {
  const dir = mkdtempSync(join(tmpdir(), "rebound-sfn-scenario-"));
  writeFileSync(join(dir, "stack.tf.json"), JSON.stringify(stack));
  const text = `name: checkout
stack: stack.tf.json
seed: 2
events:
  - { id: order-1, kind: execution, stateMachine: checkout, input: { orderId: o-1 } }
functions:
${functions}
expect:
${expect}`;
  const file = join(dir, "checkout.yaml");
  writeFileSync(file, text);
  return runScenario(parseScenario(text, file), { repoRoot: dir });
}

describe("Step Functions in scenarios: StartExecution events and execution expectations", () => {
  it("checks a succeeded execution's status, output shape and exact history", async () => {
    const result = await run(
      "  charge: { behaviour: succeed, result: { charged: true } }",
      `  - check: execution
    event: order-1
    status: SUCCEEDED
    output: { charged: true }
    history: [ExecutionStarted, TaskStateEntered, TaskScheduled, TaskStarted, TaskSucceeded, TaskStateExited, ExecutionSucceeded]
`,
    );
    expect(result.expectations.map((expectation) => [expectation.ok, expectation.detail])).toEqual([
      [true, "1 execution(s), SUCCEEDED, 7 history events"],
    ]);
  });

  it("fails a wrong expectation with the expected and actual history side by side", async () => {
    const result = await run(
      "  charge: { behaviour: fail, errorType: PaymentDeclined }",
      `  - check: execution
    stateMachine: checkout
    status: SUCCEEDED
    historyIncludes: [TaskFailed, TaskSucceeded]
  - check: execution
    event: order-1
    status: FAILED
    error: Declined
    cause: declined twice
    historyIncludes: [TaskFailed, TaskScheduled, TaskFailed, TaskStateExited, FailStateEntered, ExecutionFailed]
`,
    );
    const [wrong, right] = result.expectations;
    expect(wrong?.ok).toBe(false);
    expect(wrong?.detail).toContain("order-1: status FAILED, expected SUCCEEDED");
    expect(wrong?.detail).toMatch(
      /expected in order TaskFailed → TaskSucceeded\n\s+actual\s+ExecutionStarted → /,
    );
    expect(right).toMatchObject({ ok: true });
  });

  it("reports a bad execution event or expectation with its line, all at once", () => {
    const text = `name: bad
events:
  - { id: e, kind: execution, stateMachine: checkout, name: "has space" }
expect:
  - { check: execution, event: nope, status: FAILED }
  - { check: execution, event: e, stateMachine: checkout, status: FAILED }
  - { check: execution, event: e }
  - { check: execution, event: e, status: DONE }
`;
    const lines = scenarioIssueLines(text, "bad.yaml").join("\n");
    expect(lines).toMatch(/3: .*execution name is 1 to 80 characters/);
    expect(lines).toMatch(/5: no event has id "nope"/);
    expect(lines).toMatch(/6: .*exactly one of event .* or stateMachine/);
    expect(lines).toMatch(/7: .*checks nothing/);
    expect(lines).toMatch(/8: .*SUCCEEDED/);
  });
});

describe("containsShape", () => {
  it.each([
    [{ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] } }, undefined],
    [{ a: 1 }, { a: 2 }, "$.a: 1, expected 2"],
    [{ a: [1, 2] }, { a: [1] }, "$.a: 2 items, expected 1"],
    [{ a: 1 }, { b: 1 }, "$.b: missing"],
    ["x", { a: 1 }, '$: "x", expected an object'],
    [null, null, undefined],
  ])("containsShape(%j, %j) is %s", (actual, expected, difference) => {
    expect(containsShape(actual, expected)).toBe(difference);
  });
});
