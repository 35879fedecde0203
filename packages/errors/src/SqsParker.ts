import type { ParkedEvent, Parker, ParkingOption } from "./parking.js";
import { isQueueUrl } from "./validateOptions.js";

/**
 * The slice of an `SQSClient` the parker uses; any AWS SDK v3 SQS client fits.
 *
 * @example
 * ```ts
 * import { SQSClient } from "@aws-sdk/client-sqs";
 * import type { SqsSendClient } from "@rebound/errors";
 * const client: SqsSendClient = new SQSClient({});
 * ```
 */
export interface SqsSendClient {
  send(command: object): Promise<unknown>;
}

/**
 * Options of {@link SqsParker}.
 *
 * @example
 * ```ts
 * import { SQSClient } from "@aws-sdk/client-sqs";
 * import { SqsParker, type SqsParkerOptions } from "@rebound/errors";
 * const options: SqsParkerOptions = { queueUrl: process.env.PARKING_QUEUE_URL!, client: new SQSClient({}) };
 * const parking = new SqsParker(options);
 * ```
 */
export interface SqsParkerOptions {
  /** Queue to park in; for SQS triggers often the source queue's DLQ. A `.fifo` URL gets group/dedup ids. */
  readonly queueUrl: string;
  /** Default: one `new SQSClient({})` per parker, created on first use (region and endpoint from the environment). */
  readonly client?: SqsSendClient;
}

// Lambda's own DLQ messages carry the first 1 KB of the error message; parked messages do the same.
const ERROR_MESSAGE_ATTRIBUTE_BYTES = 1024;

type SqsModule = typeof import("@aws-sdk/client-sqs");

/**
 * Parks failures in an SQS queue with `@aws-sdk/client-sqs` (an optional peer dependency, loaded with
 * `await import` on first use, so importing this package never loads the SDK). The body is the
 * {@link ParkedEvent} as JSON; message attributes repeat `ReboundErrorCode`,
 * `RequestID` and the first 1 KB of `ErrorMessage`, as Lambda's own DLQ does. The endpoint follows the
 * SDK's rules, so `AWS_ENDPOINT_URL_SQS` points it at a local server. FIFO queues (URL ending `.fifo`)
 * get the record's message group (or the trigger) as `MessageGroupId` and the message id, request id or
 * event id as `MessageDeduplicationId`, so a retried park within SQS's 5-minute window is not duplicated.
 *
 * @example
 * ```ts
 * import { SqsParker, asyncHandler } from "@rebound/errors";
 * declare function sendReceipt(event: unknown): Promise<void>;
 * const parking = new SqsParker({ queueUrl: process.env.PARKING_QUEUE_URL! });
 * export const handler = asyncHandler(async (event) => sendReceipt(event), { parking });
 * ```
 */
export class SqsParker implements Parker {
  public readonly queueUrl: string;
  readonly #fifo: boolean;
  #client: SqsSendClient | undefined;
  #sdk: Promise<SqsModule> | undefined;

  public constructor(options: SqsParkerOptions) {
    if (!isQueueUrl(options?.queueUrl)) {
      throw new TypeError(
        `SqsParker: queueUrl must be an SQS queue URL (received ${String(options?.queueUrl)})`,
      );
    }
    if (options.client && typeof options.client.send !== "function") {
      throw new TypeError("SqsParker: client must be an SQSClient");
    }
    this.queueUrl = options.queueUrl;
    this.#fifo = options.queueUrl.endsWith(".fifo");
    this.#client = options.client;
  }

  public async park(entry: ParkedEvent): Promise<void> {
    this.#sdk ??= import("@aws-sdk/client-sqs");
    // A failed import must not be cached: the next park tries again.
    const sdk = await this.#sdk.catch((error: unknown) => {
      this.#sdk = undefined;
      throw error;
    });
    this.#client ??= new sdk.SQSClient({});
    await this.#client.send(
      new sdk.SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(entry),
        MessageAttributes: {
          ReboundErrorCode: text(entry.errorCode || "UNKNOWN"),
          RequestID: text(entry.requestId || "unknown"),
          ErrorMessage: text(truncate(entry.errorMessage || entry.errorName)),
        },
        ...(this.#fifo && {
          MessageGroupId: entry.messageGroupId ?? entry.trigger,
          MessageDeduplicationId: dedupId(entry.messageId ?? entry.sequenceNumber ?? entry.requestId),
        }),
      }),
    );
  }
}

function text(StringValue: string): { DataType: "String"; StringValue: string } {
  return { DataType: "String", StringValue };
}

// MessageDeduplicationId: at most 128 characters of alphanumerics and punctuation; ids are uuids
// or AWS sequence numbers, so anything else is replaced.
function dedupId(value: string): string {
  return value.replace(/[^\w.:-]/g, "_").slice(0, 128);
}

// The first 1 KB, cut on a character boundary (a split character decodes to one U+FFFD, dropped).
function truncate(text: string): string {
  return Buffer.from(text)
    .subarray(0, ERROR_MESSAGE_ATTRIBUTE_BYTES)
    .toString()
    .replace(/\uFFFD$/, "");
}

/** Turns the `parking` option into a Parker (options are validated before this runs). */
export function resolveParker(parking: ParkingOption): Parker {
  return typeof (parking as Parker).park === "function"
    ? (parking as Parker)
    : new SqsParker({ queueUrl: (parking as { queueUrl: string }).queueUrl });
}
