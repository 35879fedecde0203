import { describe, expect, it } from "vitest";
import { expandEvents } from "../../src/scenario/expandEvents.js";
import { parseScenario } from "../../src/scenario/parseScenario.js";

describe("expandEvents", () => {
  it("orders injections by time, then by file order, then by copy", () => {
    const scenario = parseScenario(
      `name: order
events:
  - { id: late, kind: sqs, queue: q, body: x, at: 10s }
  - { id: burst, kind: sqs, queue: q, body: x, at: 0s, repeat: 3, every: 5s }
  - { id: same-time, kind: sqs, queue: q, body: x, at: 5s }
`,
      "x.yaml",
    );
    expect(expandEvents(scenario).map((injection) => [injection.id, injection.atMs, injection.copy])).toEqual(
      [
        ["burst#1", 0, 0],
        ["burst#2", 5000, 1],
        ["same-time", 5000, 0],
        ["late", 10_000, 0],
        ["burst#3", 10_000, 2],
      ],
    );
  });

  it("fills {{n}} and {{id}} in every payload string of each copy, keys included", () => {
    const scenario = parseScenario(
      `name: templates
events:
  - id: order
    kind: api
    repeat: 2
    every: 0
    method: POST
    path: /orders/{{n}}
    headers: { idempotency-key: "key-{{ n }}" }
    body: { note: "{{id}} of 2", "item-{{n}}": [ "{{n}}" ], count: 3 }
`,
      "x.yaml",
    );
    const [first, second] = expandEvents(scenario).map((injection) => injection.event);
    expect(first).toMatchObject({
      id: "order",
      path: "/orders/1",
      headers: { "idempotency-key": "key-1" },
      body: { note: "order#1 of 2", "item-1": ["1"], count: 3 },
    });
    expect(second).toMatchObject({
      path: "/orders/2",
      headers: { "idempotency-key": "key-2" },
      body: { note: "order#2 of 2", "item-2": ["2"] },
    });
    // The parsed scenario itself is not modified.
    expect(scenario.events[0]).toMatchObject({ path: "/orders/{{n}}" });
  });

  it("shares the parsed event between copies that have no placeholder", () => {
    const scenario = parseScenario(
      "name: x\nevents:\n  - { kind: sqs, queue: q, body: same, repeat: 3, every: 1s }\n",
      "x.yaml",
    );
    const injections = expandEvents(scenario);
    expect(injections.map((injection) => injection.event)).toEqual([
      scenario.events[0],
      scenario.events[0],
      scenario.events[0],
    ]);
    expect(injections[2]?.event).toBe(scenario.events[0]);
  });

  it("gives a single event its own id and copy 0", () => {
    const scenario = parseScenario(
      "name: x\nevents:\n  - { id: one, kind: sqs, queue: q, body: '{{id}}/{{n}}' }\n",
      "x.yaml",
    );
    expect(
      expandEvents(scenario).map((injection) => [
        injection.id,
        injection.copy,
        (injection.event as { body: string }).body,
      ]),
    ).toEqual([["one", 0, "one/1"]]);
  });
});
