import { sqsBatchHandler } from "@rebound/errors";
import type { SQSRecord } from "aws-lambda";
import { FailureKind } from "./failedEvent.js";
import { recognize } from "./recognize.js";
import type { SlackWebhook } from "./SlackWebhook.js";
import type { FetchedRecords, StreamRecordsFetcher } from "./StreamRecordsFetcher.js";
import { slackMessage } from "./slackMessage.js";

/** Options of {@link createDlqAlerts}. */
export interface DlqAlertsOptions {
  readonly slack: SlackWebhook;
  readonly streams: StreamRecordsFetcher;
  readonly clock?: () => number;
  /**
   * Receives after which a failing stream fetch no longer holds the alert back: the alert goes out
   * without the originals (and says why). Default 3.
   */
  readonly maxFetchAttempts?: number;
  /**
   * Where the unredacted failed event goes, one JSON line per message, for the redrive: Slack gets it
   * with personal fields redacted, and the message itself is deleted once alerted. Default stdout
   * (the function's CloudWatch log group, with its retention and IAM access).
   */
  readonly log?: (line: string) => void;
}

/**
 * Builds the SQS handler reading every DLQ, failure-destination queue and the parked-events queue:
 * one Slack message per failed event. No parking: whatever fails (Slack down or rejecting, SSM
 * unreadable) is reported as a batch item failure, so the message comes back after the visibility
 * timeout and, after maxReceiveCount, lands in alerts-dlq, which only an alarm watches. An alert is
 * never dropped and never loops.
 *
 * @example
 * ```ts
 * export const handler = createDlqAlerts({ slack, streams });
 * ```
 */
export function createDlqAlerts(options: DlqAlertsOptions) {
  const { slack, streams } = options;
  const clock = options.clock ?? Date.now;
  const maxFetchAttempts = options.maxFetchAttempts ?? 3;
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  return sqsBatchHandler(async function alert(record: SQSRecord, attempt: { receiveCount: number }) {
    const failed = recognize(record, clock());
    let fetched: FetchedRecords | undefined;
    if (failed.kind === FailureKind.StreamDestination && failed.stream !== undefined) {
      try {
        fetched = await streams.fetch(failed.stream);
      } catch (error) {
        // A transient fetch failure retries the message; after a few, the alert matters more than its detail.
        if (attempt.receiveCount < maxFetchAttempts) throw error;
        fetched = {
          records: [],
          note: `fetching the originals failed ${attempt.receiveCount} times: ${(error as Error).message}`,
        };
      }
    }
    log(
      JSON.stringify({
        level: "INFO",
        message: "failed event alerted (whole, for redrive; Slack shows it redacted)",
        messageId: record.messageId,
        foundIn: failed.foundIn,
        original: fetched?.records ?? failed.original,
      }),
    );
    await slack.post(slackMessage(failed, fetched, record.messageId));
  });
}
