import { describe, expect, it } from "vitest";
import { Disposition } from "../../src/engine/Outcomes.js";
import { scripted } from "../../src/lambda/scripted.js";
import { settleRestingMessages } from "../../src/run/settleRestingMessages.js";
import { Topology } from "../../src/topology/Topology.js";

/** A queue with a consumer that always fails, redriving to a plain DLQ nothing consumes. */
function stackWithPlainDlq() {
  const topology = new Topology({ seed: 3 });
  const dlq = topology.addQueue({ queueName: "payments-dlq" });
  topology.addQueue({
    queueName: "payments",
    visibilityTimeoutSeconds: 10,
    redrivePolicy: { deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 },
  });
  topology.addFunction({ functionName: "pay", handler: scripted.failFraction(1) });
  topology.createEventSourceMapping({ eventSourceArn: topology.queue("payments").arn, functionName: "pay" });
  return { topology, dlq };
}

describe("settleRestingMessages", () => {
  it("settles a message left in a queue nothing consumes as resting in that queue", () => {
    const { topology, dlq } = stackWithPlainDlq();
    topology.sendMessage("payments", JSON.stringify({ orderId: 1 }));
    topology.run();
    expect(topology.outcomes.counts().pending).toBe(1); // the DLQ copy
    expect(settleRestingMessages(topology)).toBe(1);
    const counts = topology.outcomes.counts();
    expect(counts.pending).toBe(0);
    expect(counts.byDisposition[Disposition.DeadLettered]).toBe(1);
    expect(counts.byDisposition[Disposition.Resting]).toBe(1);
    const resting = topology.outcomes.all().find((event) => event.disposition === Disposition.Resting);
    expect(resting?.target).toBe(dlq.arn);
    expect(resting?.reason).toMatch(/resting in payments-dlq/);
    expect(dlq.messages()).toHaveLength(1); // still there to inspect
  });

  it("leaves messages of a consumed queue unsettled, and settles nothing twice", () => {
    const { topology } = stackWithPlainDlq();
    // Delayed: still waiting in the consumed queue when the run stops.
    topology.sendMessage("payments", "later", { delaySeconds: 900 });
    topology.run(topology.simulation.now() + 1000);
    expect(settleRestingMessages(topology)).toBe(0);
    expect(topology.outcomes.counts().pending).toBe(1);
    expect(settleRestingMessages(topology)).toBe(0);
    expect(topology.outcomes.counts().settledTwice).toBe(0);
  });
});
