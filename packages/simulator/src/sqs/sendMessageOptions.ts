import { ConfigurationError } from "../engine/errors.js";
import { assertIntInRange, assertOptions } from "../engine/validate.js";
import { deduplicationIdOf } from "./fifoDeduplication.js";
import type { SqsMessageAttributeValue } from "./sqsMd5.js";

/** Options of SendMessage. */
export interface SendMessageOptions {
  /** Standard queues only, 0–900; overrides the queue's delay. */
  readonly delaySeconds?: number;
  /** Required on FIFO queues. */
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
  readonly messageAttributes?: Readonly<Record<string, SqsMessageAttributeValue>>;
}

const SEND_KEYS = ["delaySeconds", "messageGroupId", "messageDeduplicationId", "messageAttributes"] as const;

/** The default options of `sendMessage`, recognised by identity so a plain send skips the key check. */
export const NO_OPTIONS: SendMessageOptions = Object.freeze({});

/** What the checks of a send need to know of its queue. */
export interface SendTarget {
  readonly fifo: boolean;
  readonly maximumMessageSize: number;
  readonly contentBasedDeduplication: boolean;
}

/**
 * The checks SendMessage makes before it takes a message, in SQS's order: options, body, size, then
 * the FIFO rules (group, no per-message delay, a deduplication id) or the standard ones (none of those),
 * then the delay's range. Returns the FIFO deduplication id (undefined on a standard queue).
 *
 * @example
 * ```ts
 * checkSendMessage("sendMessage(orders)", "{}", { delaySeconds: 5 }, queue); // undefined
 * ```
 */
export function checkSendMessage(
  where: string,
  body: string,
  options: SendMessageOptions,
  queue: SendTarget,
): string | undefined {
  assertOptions(where, options, SEND_KEYS);
  checkBody(where, body);
  if (body.length * 3 > queue.maximumMessageSize) checkBodySize(where, body, queue.maximumMessageSize);
  let deduplicationId: string | undefined;
  if (queue.fifo) {
    checkFifoSendOptions(where, options);
    deduplicationId = deduplicationIdOf(
      where,
      options.messageDeduplicationId,
      queue.contentBasedDeduplication,
      body,
    );
  } else checkStandardSendOptions(where, options);
  // A FIFO send with a delay was refused above, so checking the range before deduplication (which the
  // caller does next) changes nothing.
  if (options.delaySeconds !== undefined)
    assertIntInRange(where, "delaySeconds", options.delaySeconds, 0, 900, "DelaySeconds is 0 to 900");
  return deduplicationId;
}

/** SQS refuses an empty body; the simulator also refuses a body that is not a string. */
function checkBody(where: string, body: unknown): void {
  if (typeof body !== "string" || body.length === 0) {
    throw new ConfigurationError(
      "body",
      `${where}: the body must be a non-empty string (send JSON.stringify(value))`,
    );
  }
}

/**
 * Refuses a body over the queue's maximumMessageSize (UTF-8 bytes). Callers skip it when the body cannot
 * be too long (a UTF-16 code unit is at most 3 bytes of UTF-8), so a plain send counts no bytes.
 */
export function checkBodySize(where: string, body: string, maximumMessageSize: number): void {
  if (Buffer.byteLength(body) > maximumMessageSize) {
    throw new ConfigurationError(
      "body",
      `${where}: the body is ${Buffer.byteLength(body)} bytes, over the queue's maximumMessageSize ${maximumMessageSize}`,
    );
  }
}

/** A FIFO send needs a message group and takes no per-message delay. */
function checkFifoSendOptions(where: string, options: SendMessageOptions): void {
  if (typeof options.messageGroupId !== "string" || options.messageGroupId === "") {
    throw new ConfigurationError(
      "messageGroupId",
      `${where}: FIFO queues require a messageGroupId (AWS: "The request must contain the parameter MessageGroupId.")`,
    );
  }
  if (options.delaySeconds !== undefined) {
    throw new ConfigurationError(
      "delaySeconds",
      `${where}: FIFO queues take no per-message delay (AWS: "Value ... for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type."); set the queue's delaySeconds instead`,
    );
  }
}

/** A standard send takes no message group or deduplication id. */
function checkStandardSendOptions(where: string, options: SendMessageOptions): void {
  if (options.messageGroupId !== undefined || options.messageDeduplicationId !== undefined) {
    throw new ConfigurationError(
      "messageGroupId",
      `${where}: messageGroupId and messageDeduplicationId are for FIFO queues only`,
    );
  }
}
