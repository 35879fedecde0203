import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseScenario, runScenario } from "../../src/index.js";
import { scenarioIssueLines } from "../helpers.js";

const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
// The happy path's downstreams, with the payment provider failing every charge for the first 2 minutes.
const happy = readFileSync(`${REPO_ROOT}scenarios/happy-path.yaml`, "utf8");
const brownout = happy.replace(/^name: happy-path$/m, "name: payment-brownout").replace(
  `"POST /charges": { status: 201, body: { chargeId: ch_sim }, idempotent: true }`,
  `"POST /charges":
        status: 201
        body: { chargeId: ch_sim }
        idempotent: true
        errorStatus: 503
        phases: [{ from: 0s, to: 2m, errorRate: 1 }]`,
);

describe("downstream phases: behaviour that changes over virtual time", () => {
  it("fails every charge during the phase and none after it; SQS retries carry the orders through", async () => {
    expect(brownout).toContain("phases:");
    const result = await runScenario(parseScenario(brownout, `${REPO_ROOT}scenarios/payment-brownout.yaml`), {
      repoRoot: REPO_ROOT,
    });
    const charges = result.expectations.find(
      (expectation) => expectation.name === "every order charged once",
    );
    expect(charges?.ok).toBe(true);
    const payments = result.events.filter((event) => event.source === "sqs:payments");
    expect(payments).toHaveLength(5);
    for (const event of payments) {
      expect(event.disposition).toBe("processed");
      expect(event.attempts.length).toBeGreaterThan(1);
      expect(event.attempts.at(-1)!.atMs - result.virtualStartMs).toBeGreaterThanOrEqual(120_000);
    }
  });

  it("reports a phase that ends before it starts and an unknown key, with their lines", () => {
    const text = scenarioIssueLines(
      `name: x
downstreams:
  payment:
    phases:
      - { from: 5m, to: 1m, errorRate: 0.5 }
      - { from: 0s, to: 1m, body: {} }
`,
      "x.yaml",
    ).join("\n");
    expect(text).toMatch(/5: phase ends \(60 s\) before it starts \(300 s\)/);
    expect(text).toMatch(/6: .*body/);
  });
});
