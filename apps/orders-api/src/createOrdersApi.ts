import { httpHandler } from "@rebound/errors";
import { type BasePersistenceLayer, makeIdempotent } from "@rebound/idempotency";
import type { OrdersService } from "./OrdersService.js";
import type { NewOrder } from "./order.js";
import { type OrdersPort, route } from "./routes.js";

/** Options of {@link createOrdersApi}. */
export interface OrdersApiOptions {
  readonly service: OrdersService;
  /** Where Idempotency-Key records live (DynamoDBStore in Lambda). */
  readonly idempotencyStore: BasePersistenceLayer;
  /** Epoch milliseconds, for idempotency expiry. Default `Date.now`. */
  readonly clock?: () => number;
}

// Clients retry for up to a day in practice (Stripe keeps keys 24 h); after that the key may be reused.
const IDEMPOTENCY_KEY_TTL_SECONDS = 86_400;

interface KeyedCreate {
  readonly key: string;
  readonly order: NewOrder;
}

/**
 * Builds the API Gateway handler: @rebound/errors' HTTP mapping around the routes, and the
 * Idempotency-Key contract (same key + same body → the same order; same key + other body → 409).
 *
 * @example
 * ```ts
 * export const handler = createOrdersApi({ service, idempotencyStore: new DynamoDBStore({ tableName }) });
 * ```
 */
export function createOrdersApi(options: OrdersApiOptions) {
  const { service, idempotencyStore, clock } = options;
  const createOnce = makeIdempotent((input: KeyedCreate) => service.create(input.order, input.key), {
    store: idempotencyStore,
    keyFrom: (input: KeyedCreate) => input.key,
    payloadFrom: (input: KeyedCreate) => input.order,
    namespace: "orders-api:create",
    expiresAfterSeconds: IDEMPOTENCY_KEY_TTL_SECONDS,
    ...(clock === undefined ? {} : { clock }),
  });
  const port: OrdersPort = {
    create: (order, key) => (key === undefined ? service.create(order) : createOnce({ key, order })),
    get: (orderId) => service.get(orderId),
  };
  return httpHandler(async function ordersApi(request) {
    return route(request, port);
  });
}
