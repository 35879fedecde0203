import type { SqsMessage } from "./SqsMessage.js";

/**
 * What a receive (standardBacklog.ts, fifoGroups.ts) asks of its queue for each message it would
 * deliver. The queue builds one per queue, so a receive allocates nothing per message for it.
 */
export interface ReceiveSteps {
  /** Retention and redrive at receive time: true when the message left the queue instead. */
  leavesQueue(message: SqsMessage, now: number): boolean;
  /** Hides the message for the visibility timeout and counts the receive. */
  take(message: SqsMessage, now: number, visibilityTimeoutSeconds: number, batchId: string): void;
}
