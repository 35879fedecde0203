import { PermanentError } from "@rebound/errors";
import { describeBody, type Fetch, postJson } from "@rebound/http";
import { AddressRejected, CarrierUnavailable, OutOfStock, StockServiceUnavailable } from "./errors.js";

/** Options of {@link FulfillmentServices}. */
export interface FulfillmentServicesOptions {
  /** `POST {stockServiceUrl}/reservations`. */
  readonly stockServiceUrl: string;
  /** `POST {carrierUrl}/shipments`. */
  readonly carrierUrl: string;
  /** Default 5,000 ms each; the task's TimeoutSeconds must leave room for it. */
  readonly timeoutMs?: number;
  readonly fetch?: Fetch;
}

function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * HTTP clients of the stock service and the carrier, translating their answers into the typed
 * errors the state machine matches. Requests carry an Idempotency-Key per order and task, so a
 * Step Functions retry after a timeout does not reserve or ship twice.
 *
 * @example
 * ```ts
 * const services = new FulfillmentServices({ stockServiceUrl, carrierUrl });
 * const { reservationId } = await services.reserve("ord_1");
 * ```
 */
export class FulfillmentServices {
  readonly #stockUrl: string;
  readonly #carrierUrl: string;
  readonly #timeoutMs: number;
  readonly #fetch: Fetch | undefined;

  public constructor(options: FulfillmentServicesOptions) {
    this.#stockUrl = `${options.stockServiceUrl.replace(/\/+$/, "")}/reservations`;
    this.#carrierUrl = `${options.carrierUrl.replace(/\/+$/, "")}/shipments`;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#fetch = options.fetch;
  }

  /** Reserves the order's stock. 409/422 → {@link OutOfStock}; 408/429/5xx/timeout → {@link StockServiceUnavailable}. */
  public async reserve(orderId: string): Promise<{ reservationId: string }> {
    const answer = await this.#post(
      this.#stockUrl,
      { orderId },
      `reserve-${orderId}`,
      StockServiceUnavailable,
    );
    if (answer.ok) return { reservationId: this.#id(answer.body, "reservationId", StockServiceUnavailable) };
    if (isRetryableStatus(answer.status)) {
      throw new StockServiceUnavailable(
        `stock service answered ${answer.status}: ${describeBody(answer.body)}`,
      );
    }
    if (answer.status === 409 || answer.status === 422) {
      throw new OutOfStock(`order ${orderId}: ${describeBody(answer.body)}`);
    }
    throw new PermanentError(`stock service answered ${answer.status}: ${describeBody(answer.body)}`, {
      code: "STOCK_SERVICE_REJECTED",
    });
  }

  /** Books the shipment. 400/422 → {@link AddressRejected}; 408/429/5xx/timeout → {@link CarrierUnavailable}. */
  public async ship(orderId: string, reservationId: string | undefined): Promise<{ trackingNumber: string }> {
    const answer = await this.#post(
      this.#carrierUrl,
      reservationId === undefined ? { orderId } : { orderId, reservationId },
      `ship-${orderId}`,
      CarrierUnavailable,
    );
    if (answer.ok) return { trackingNumber: this.#id(answer.body, "trackingNumber", CarrierUnavailable) };
    if (isRetryableStatus(answer.status)) {
      throw new CarrierUnavailable(`carrier answered ${answer.status}: ${describeBody(answer.body)}`);
    }
    if (answer.status === 400 || answer.status === 422) {
      throw new AddressRejected(`order ${orderId}: ${describeBody(answer.body)}`);
    }
    throw new PermanentError(`carrier answered ${answer.status}: ${describeBody(answer.body)}`, {
      code: "CARRIER_REJECTED",
    });
  }

  async #post(
    url: string,
    payload: unknown,
    idempotencyKey: string,
    Unavailable: typeof StockServiceUnavailable,
  ): Promise<{ ok: boolean; status: number; body: unknown }> {
    try {
      const { status, body } = await postJson(url, payload, {
        timeoutMs: this.#timeoutMs,
        headers: { "idempotency-key": idempotencyKey },
        ...(this.#fetch ? { fetch: this.#fetch } : {}),
      });
      return { ok: status >= 200 && status < 300, status, body };
    } catch (error) {
      // postJson throws only for timeouts and network failures: name them for the state machine.
      throw new Unavailable(error instanceof Error ? error.message : String(error), { cause: error });
    }
  }

  #id(body: unknown, key: string, Unavailable: typeof StockServiceUnavailable): string {
    const value = (body as Record<string, unknown> | null)?.[key];
    if (typeof value !== "string" || value.length === 0) {
      throw new Unavailable(`answer has no ${key}: ${describeBody(body)}`);
    }
    return value;
  }
}
