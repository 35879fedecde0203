import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findUnknownNames, type StackNames } from "../../src/scenario/checkScenarioAgainst.js";
import { expandEvents } from "../../src/scenario/expandEvents.js";
import { parseScenario } from "../../src/scenario/parseScenario.js";

const SCENARIOS_DIR = fileURLToPath(new URL("../../../../scenarios/", import.meta.url));
const FILES = readdirSync(SCENARIOS_DIR)
  .filter((name) => name.endsWith(".yaml") || name.endsWith(".yml"))
  .sort();

/** The names of the orders system, from the contract between apps, infra and the simulator. */
const ORDERS_NAMES: StackNames = {
  queues: [
    "payments",
    "payments-dlq",
    "fulfillment",
    "fulfillment-dlq",
    "parked-events",
    "order-events-failures",
    "receipts-failures",
    "alerts-dlq",
  ],
  topics: ["order-events"],
  functions: [
    "orders-api",
    "payments-worker",
    "order-events",
    "receipts",
    "fulfillment-starter",
    "reserve-stock",
    "ship-order",
    "dlq-alerts",
  ],
  tables: ["orders", "idempotency"],
  streams: [],
  downstreams: ["payment", "mail", "slack", "stock", "carrier"],
  stateMachines: ["fulfillment"],
  apis: ["orders"],
};

describe("the default scenarios in scenarios/", () => {
  it("are the seven of the main job", () => {
    expect(FILES).toEqual([
      "api-guard.yaml",
      "flaky-workflow-task.yaml",
      "happy-path.yaml",
      "mail-outage.yaml",
      "payment-outage.yaml",
      "poison-messages.yaml",
      "poison-stream-record.yaml",
    ]);
  });

  it.each(FILES)("%s parses, names only resources of the orders stack and states expectations", (file) => {
    const scenario = parseScenario(readFileSync(`${SCENARIOS_DIR}${file}`, "utf8"), `scenarios/${file}`);
    expect(scenario.name).toBe(file.replace(/\.yaml$/, ""));
    expect(scenario.description.length).toBeGreaterThan(80);
    expect(findUnknownNames(scenario, ORDERS_NAMES)).toEqual([]);
    expect(scenario.expect.length).toBeGreaterThanOrEqual(4);
    expect(expandEvents(scenario).length).toBeGreaterThan(0);
    // Every scenario runs every event, with no name clash in the expectations either.
    expect(new Set(scenario.expect.map((expectation) => expectation.name)).size).toBe(scenario.expect.length);
  });

  it("use distinct seeds, so each run is reproducible on its own", () => {
    const seeds = FILES.map(
      (file) => parseScenario(readFileSync(`${SCENARIOS_DIR}${file}`, "utf8"), file).seed,
    );
    expect(new Set(seeds).size).toBe(FILES.length);
  });
});

describe("scenarios/README.md", () => {
  const readme = readFileSync(`${SCENARIOS_DIR}README.md`, "utf8");
  const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] ?? "");

  it("documents every default scenario", () => {
    for (const file of FILES) expect(readme).toContain(`\`${file}\``);
  });

  it("has examples that parse together as one valid scenario", () => {
    const examples = blocks.filter((block) => !block.includes("[...]"));
    expect(examples.length).toBeGreaterThanOrEqual(4);
    const scenario = parseScenario(`name: readme-examples\n${examples.join("")}`, "scenarios/README.md");
    expect(findUnknownNames(scenario, ORDERS_NAMES)).toEqual([]);
    expect(scenario.events.length).toBe(2);
    expect(Object.keys(scenario.downstreams)).toEqual(["payment", "slack"]);
    expect(Object.keys(scenario.functions)).toEqual(["order-events"]);
    expect(scenario.expect.length).toBe(7);
  });

  it("has partial examples (marked [...]) that each parse on their own", () => {
    // The outline of the top level (`name: ...`, placeholders) is not an example.
    const partial = blocks.filter((block) => block.includes("[...]") && !/^name:/m.test(block));
    expect(partial.length).toBeGreaterThanOrEqual(3);
    for (const block of partial)
      expect(() => parseScenario(`name: partial\n${block}`, "scenarios/README.md"), block).not.toThrow();
  });
});
