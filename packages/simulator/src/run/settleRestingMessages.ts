import { Disposition } from "../engine/Outcomes.js";
import type { Topology } from "../topology/Topology.js";

/**
 * At the end of a run, settles every event still held in a queue that no event source mapping
 * consumes as `resting` in that queue (docs/aws-semantics.md#resting-in-a-queue): a message in a plain
 * DLQ or a parking queue is where the stack leaves it, a final place, not an unfinished event.
 * Queues with a consumer keep their messages unsettled: those are still being worked on.
 * Returns how many events it settled.
 *
 * @example
 * ```ts
 * await topology.simulation.runUntilIdleAsync();
 * settleRestingMessages(topology);
 * topology.outcomes.counts().byDisposition.resting; // messages left in DLQs
 * ```
 */
export function settleRestingMessages(topology: Topology): number {
  let settled = 0;
  for (const queue of topology.resources().queues) {
    if (queue.consumer !== undefined) continue;
    for (const eventId of queue.heldEventIds()) {
      if (topology.outcomes.dispositionOf(eventId) !== undefined) continue;
      topology.outcomes.settle(eventId, Disposition.Resting, {
        target: queue.arn,
        reason: `resting in ${queue.queueName}: no event source mapping consumes it`,
      });
      settled++;
    }
  }
  return settled;
}
