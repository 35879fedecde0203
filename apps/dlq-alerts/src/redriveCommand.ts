import { queueUrlOf } from "./arns.js";
import { type FailedEvent, FailureKind } from "./failedEvent.js";

/**
 * The exact command a person runs to redrive the event once the cause is fixed.
 *
 * - SQS sources (redrive-policy DLQ messages and parked SQS records): `aws sqs start-message-move-task`
 *   from the queue it sits in back to its source. The consumers unwrap parked envelopes, so moving a
 *   DLQ that holds both kinds is safe. A redrive-policy DLQ needs no destination (SQS remembers the
 *   source); a parked record names it explicitly.
 * - Async, function-DLQ and parked async/stream events: `aws lambda invoke` with the original event
 *   (saved next to the command as `event.json`); asynchronous where the source was.
 * - Stream destination records: re-invoke the function with the fetched records as its event.
 *
 * @example
 * ```ts
 * redriveCommand(failed); // "aws sqs start-message-move-task --source-arn arn:aws:sqs:...:payments-dlq"
 * ```
 */
export function redriveCommand(failed: FailedEvent): string {
  switch (failed.kind) {
    case FailureKind.QueueDlq:
      return `aws sqs start-message-move-task --source-arn ${failed.foundInArn}`;
    case FailureKind.Parked:
      if (failed.redriveTo !== undefined) {
        return failed.foundInArn === failed.redriveTo
          ? `aws sqs send-message --queue-url ${queueUrlOf(failed.redriveTo)} --message-body file://body.json  # body.json = record.body above`
          : `aws sqs start-message-move-task --source-arn ${failed.foundInArn} --destination-arn ${failed.redriveTo}`;
      }
      return invoke(failed, isStreamRecord(failed.original) ? "RequestResponse" : "Event");
    case FailureKind.AsyncDestination:
    case FailureKind.FunctionDlq:
      return invoke(failed, "Event");
    case FailureKind.StreamDestination:
      return invoke(failed, "RequestResponse");
  }
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
      ? '  # event.json = {"Records": [the records above]}'
      : "  # event.json = the event above";
  return `aws lambda invoke --function-name ${name} --invocation-type ${type} --cli-binary-format raw-in-base64-out --payload file://event.json out.json${payload}`;
}
