import { RetryableError } from "@rebound/errors";
import { describeBody, type Fetch, postJson, retryAfterSeconds } from "@rebound/http";
import type { PaymentRequest } from "./paymentRequest.js";

/** What a charge attempt ends in, once the provider has answered definitively. */
export type ChargeOutcome =
  | { readonly outcome: "charged"; readonly chargeId: string }
  | { readonly outcome: "declined"; readonly reason: string; readonly status: number };

/** Options of {@link PaymentProvider}. */
export interface PaymentProviderOptions {
  /** Base URL; charges go to `POST {baseUrl}/charges`. */
  readonly baseUrl: string;
  /** Default 5,000 ms: well inside a 30 s function timeout, long enough for a card network round trip. */
  readonly timeoutMs?: number;
  readonly fetch?: Fetch;
  readonly clock?: () => number;
}

/**
 * HTTP client of the payment provider. Every charge carries `Idempotency-Key: charge-<orderId>` so
 * the provider itself collapses a retry that follows a timeout (when we cannot know whether the
 * first request charged the card).
 *
 * Outcomes: 2xx → charged; 429, 5xx, 409 (the provider's "same key in flight") and timeouts →
 * {@link RetryableError}; any other 4xx (402 card declined, 400, 422) → declined, which is final.
 *
 * @example
 * ```ts
 * const provider = new PaymentProvider({ baseUrl: process.env.PAYMENT_PROVIDER_URL! });
 * const result = await provider.charge({ orderId: "ord_1", amountCents: 1200, currency: "EUR" });
 * ```
 */
export class PaymentProvider {
  readonly #url: string;
  readonly #timeoutMs: number;
  readonly #fetch: Fetch | undefined;
  readonly #clock: () => number;

  public constructor(options: PaymentProviderOptions) {
    this.#url = `${options.baseUrl.replace(/\/+$/, "")}/charges`;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#fetch = options.fetch;
    this.#clock = options.clock ?? Date.now;
  }

  /** Charges one order; see the class comment for how answers map to outcomes. */
  public async charge(request: PaymentRequest): Promise<ChargeOutcome> {
    const { status, headers, body } = await postJson(
      this.#url,
      { orderId: request.orderId, amountCents: request.amountCents, currency: request.currency },
      {
        timeoutMs: this.#timeoutMs,
        headers: { "idempotency-key": `charge-${request.orderId}` },
        ...(this.#fetch ? { fetch: this.#fetch } : {}),
      },
    );
    if (status >= 200 && status < 300) {
      const chargeId = (body as { chargeId?: unknown } | null)?.chargeId;
      if (typeof chargeId !== "string" || chargeId.length === 0) {
        // Charged or not? We cannot tell, so do not mark the order: retry with the same key.
        throw new RetryableError(`payment provider answered ${status} without a chargeId`, {
          code: "PROVIDER_BAD_ANSWER",
        });
      }
      return { outcome: "charged", chargeId };
    }
    if (status === 429 || status === 409 || status >= 500) {
      const after = retryAfterSeconds(headers, this.#clock());
      throw new RetryableError(`payment provider answered ${status}: ${describeBody(body)}`, {
        code: status === 429 ? "PROVIDER_THROTTLED" : "PROVIDER_UNAVAILABLE",
        ...(after === undefined ? {} : { retryAfterSeconds: after }),
      });
    }
    return { outcome: "declined", reason: describeBody(body) || `HTTP ${status}`, status };
  }
}
