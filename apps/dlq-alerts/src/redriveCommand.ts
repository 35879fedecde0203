import { queueUrlOf } from "./arns.js";
import { type FailedEvent, FailureKind } from "./failedEvent.js";

/**
 * The exact command a person runs to redrive the event once the cause is fixed.
 *
 * - SQS sources (redrive-policy DLQ messages and parked SQS records): `aws sqs send-message` of the
 *   original body back to its source queue. dlq-alerts consumes the queue it alerts on (a successful
 *   alert deletes the message), so a `start-message-move-task` from the DLQ would find nothing to move:
 *   the alert carries the body, and this command puts it back. The source is SQS's
 *   `DeadLetterQueueSourceArn` attribute when present, else the `<source>-dlq` naming convention.
 * - Async, function-DLQ and parked async/stream events: `aws lambda invoke` with the original event
 *   (saved next to the command as `event.json`); asynchronous where the source was.
 * - Stream destination records: re-invoke the function with the fetched records as its event.
 *
 * @example
 * ```ts
 * redriveCommand(failed); // "aws sqs send-message --queue-url https://sqs.eu-west-1.amazonaws.com/1234/payments --message-body file://body.json ..."
 * ```
 */
export function redriveCommand(failed: FailedEvent): string {
  switch (failed.kind) {
    case FailureKind.QueueDlq:
      return sendBack(failed.redriveTo ?? failed.foundInArn.replace(/-dlq$/, ""));
    case FailureKind.Parked:
      if (failed.redriveTo !== undefined) return sendBack(failed.redriveTo);
      return invoke(failed, isStreamRecord(failed.original) ? "RequestResponse" : "Event");
    case FailureKind.AsyncDestination:
    case FailureKind.FunctionDlq:
      return invoke(failed, "Event");
    case FailureKind.StreamDestination:
      return invoke(failed, "RequestResponse");
  }
}

function sendBack(queueArn: string): string {
  return `aws sqs send-message --queue-url ${queueUrlOf(queueArn)} --message-body file://body.json  # body.json = the message body: the original field of dlq-alerts' log line for this message (Slack shows it redacted)`;
}

function isStreamRecord(original: unknown): boolean {
  const source = (original as { eventSource?: unknown } | null)?.eventSource;
  return source === "aws:dynamodb" || source === "aws:kinesis";
}

function invoke(failed: FailedEvent, type: "Event" | "RequestResponse"): string {
  const name = failed.functionName ?? "<function-name>";
  const payload =
    failed.kind === FailureKind.StreamDestination ||
    (failed.kind === FailureKind.Parked && type === "RequestResponse")
      ? `  # event.json = {"Records": [the records]} (whole in dlq-alerts' log line for this message)`
      : "  # event.json = the original field of dlq-alerts' log line for this message (Slack shows it redacted)";
  return `aws lambda invoke --function-name ${name} --invocation-type ${type} --cli-binary-format raw-in-base64-out --payload file://event.json out.json${payload}`;
}
