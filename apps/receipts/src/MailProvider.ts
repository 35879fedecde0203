import { PermanentError, RetryableError } from "@rebound/errors";
import { describeBody, type Fetch, postJson, retryAfterSeconds } from "@rebound/http";
import type { ReceiptEmail } from "./receiptEmail.js";

/** Options of {@link MailProvider}. */
export interface MailProviderOptions {
  /** Base URL; messages go to `POST {baseUrl}/messages`. */
  readonly baseUrl: string;
  /** Default 5,000 ms. */
  readonly timeoutMs?: number;
  readonly fetch?: Fetch;
  readonly clock?: () => number;
}

/**
 * HTTP client of the mail provider. 2xx → sent; 429, 5xx and timeouts → {@link RetryableError}
 * (Lambda's async retries, then the on-failure destination); other 4xx (a rejected address, a
 * malformed message) → {@link PermanentError}, parked. Each message carries an Idempotency-Key so a
 * retry after a timeout does not mail twice.
 *
 * @example
 * ```ts
 * await new MailProvider({ baseUrl: process.env.MAIL_PROVIDER_URL! }).send(email, "receipt-OrderPaid-ord_1");
 * ```
 */
export class MailProvider {
  readonly #url: string;
  readonly #timeoutMs: number;
  readonly #fetch: Fetch | undefined;
  readonly #clock: () => number;

  public constructor(options: MailProviderOptions) {
    this.#url = `${options.baseUrl.replace(/\/+$/, "")}/messages`;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#fetch = options.fetch;
    this.#clock = options.clock ?? Date.now;
  }

  /** Sends one e-mail; returns the provider's message id. */
  public async send(email: ReceiptEmail, idempotencyKey: string): Promise<string> {
    const { status, headers, body } = await postJson(this.#url, email, {
      timeoutMs: this.#timeoutMs,
      headers: { "idempotency-key": idempotencyKey },
      ...(this.#fetch ? { fetch: this.#fetch } : {}),
    });
    if (status >= 200 && status < 300) {
      const id = (body as { messageId?: unknown } | null)?.messageId;
      return typeof id === "string" ? id : "";
    }
    if (status === 429 || status === 408 || status >= 500) {
      const after = retryAfterSeconds(headers, this.#clock());
      throw new RetryableError(`mail provider answered ${status}: ${describeBody(body)}`, {
        code: status === 429 ? "MAIL_THROTTLED" : "MAIL_UNAVAILABLE",
        ...(after === undefined ? {} : { retryAfterSeconds: after }),
      });
    }
    throw new PermanentError(`mail provider rejected the message (${status}): ${describeBody(body)}`, {
      code: "MAIL_REJECTED",
    });
  }
}
