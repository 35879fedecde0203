import type { FailedEvent } from "./failedEvent.js";
import { redact } from "./redact.js";
import { redriveCommand } from "./redriveCommand.js";
import type { FetchedRecords } from "./StreamRecordsFetcher.js";

// Slack caps a section's text at 3,000 characters; leave room for the code fence and a note.
const MAX_CODE_CHARS = 2_600;

const TITLES: Readonly<Record<FailedEvent["kind"], string>> = {
  parked: "Event parked as a permanent failure",
  "async-destination": "Async invocation failed after Lambda's retries",
  "stream-destination": "Stream batch discarded by Lambda",
  "function-dlq": "Async invocation sent to the function DLQ",
  "queue-dlq": "Message moved to a dead-letter queue",
};

function code(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
  const clipped =
    text === undefined
      ? "(none)"
      : text.length > MAX_CODE_CHARS
        ? `${text.slice(0, MAX_CODE_CHARS)}\n… (${text.length - MAX_CODE_CHARS} more characters)`
        : text;
  // A triple backtick inside would end Slack's code block early.
  return `\`\`\`${clipped.replaceAll("```", "'''")}\`\`\``;
}

/**
 * One readable Slack message for one failed event: what failed and where, the error, attempts,
 * first and last seen, the original event (or the records fetched from the stream), and the exact
 * redrive command. Personal data (customer e-mail addresses, names, phone numbers, addresses) is
 * redacted: a Slack channel is read by more people, and kept longer, than the data needs; the whole
 * event is in dlq-alerts' own log line for the message. Pure: the same input gives the same message.
 *
 * @example
 * ```ts
 * await slack.post(slackMessage(recognize(record, Date.now())));
 * ```
 */
export function slackMessage(
  failed: FailedEvent,
  fetched?: FetchedRecords,
  messageId?: string,
): { text: string; blocks: unknown[] } {
  const title = TITLES[failed.kind];
  const error = redact(failed.error) as string;
  const text = `${title}: ${failed.source}. ${error}`;
  const details = [
    `*Source:* ${failed.source}`,
    `*Found in:* \`${failed.foundIn}\``,
    `*Error:* ${error}`,
    `*Attempts:* ${failed.attempts}`,
    `*First seen:* ${failed.firstSeen ?? "unknown"}    *Last seen:* ${failed.lastSeen ?? "unknown"}`,
    ...(messageId !== undefined
      ? [`*Message:* \`${messageId}\` (the whole event: dlq-alerts' log line with this id)`]
      : []),
  ].join("\n");
  const original =
    fetched !== undefined
      ? `*Original records (${fetched.records.length}):* _personal fields redacted_${fetched.note ? ` _${fetched.note}_` : ""}\n${fetched.records.length > 0 ? code(redact(fetched.records)) : ""}`
      : `*Original event:* _personal fields redacted_\n${code(redact(failed.original))}`;
  return {
    text: text.slice(0, 3_000),
    blocks: [
      {
        type: "header",
        text: { type: "plain_text", text: `:rotating_light: ${title}`.slice(0, 150), emoji: true },
      },
      { type: "section", text: { type: "mrkdwn", text: details.slice(0, 3_000) } },
      { type: "section", text: { type: "mrkdwn", text: original } },
      {
        type: "section",
        text: {
          type: "mrkdwn",
          text: `*Redrive (after fixing the cause):*\n${code(redriveCommand(failed))}`,
        },
      },
    ],
  };
}
