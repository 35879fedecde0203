import { NotFoundError, PermanentError, ValidationError } from "@rebound/errors";
import { parseCreateOrder } from "./createOrderSchema.js";
import type { NewOrder, Order } from "./order.js";

/** What a route needs from the domain: create with an optional idempotency key, and read. */
export interface OrdersPort {
  create(input: NewOrder, idempotencyKey: string | undefined): Promise<Order>;
  get(orderId: string): Promise<Order>;
}

/** The subset of @rebound/errors' HttpRequest the routes read. */
export interface RouteRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: unknown;
}

/** A route's answer, in @rebound/errors' HttpResult shape. */
export interface RouteResult {
  readonly statusCode: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

// Idempotency keys are opaque client strings (UUIDs in practice); 255 printable ASCII characters is
// Stripe's limit and keeps the DynamoDB key small.
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
const ORDER_PATH = /^\/orders\/([A-Za-z0-9_-]{1,64})$/;

/**
 * Reads and checks the optional `Idempotency-Key` header (headers arrive lower-cased).
 *
 * @example
 * ```ts
 * idempotencyKeyOf({ "idempotency-key": "b2c1..." }); // "b2c1..."
 * ```
 */
export function idempotencyKeyOf(headers: Readonly<Record<string, string | undefined>>): string | undefined {
  const key = headers["idempotency-key"];
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new ValidationError("Idempotency-Key header is invalid", {
      issues: [
        "headers.idempotency-key: expected 1-255 printable ASCII characters without spaces, e.g. a UUID",
      ],
    });
  }
  return key;
}

/**
 * Routes `POST /orders` and `GET /orders/{id}` (path-based, so it works behind an HTTP API (v2) or a
 * REST API (v1) alike).
 *
 * @example
 * ```ts
 * const result = await route({ method: "GET", path: "/orders/ord_1", headers: {}, body: undefined }, service);
 * ```
 */
export async function route(request: RouteRequest, orders: OrdersPort): Promise<RouteResult> {
  const path =
    request.path.length > 1 && request.path.endsWith("/") ? request.path.slice(0, -1) : request.path;
  if (path === "/orders") {
    if (request.method !== "POST") throw methodNotAllowed(request.method, path, "POST");
    const input = parseCreateOrder(request.body);
    const order = await orders.create(input, idempotencyKeyOf(request.headers));
    return { statusCode: 201, body: order, headers: { location: `/orders/${order.orderId}` } };
  }
  const match = ORDER_PATH.exec(path);
  if (match?.[1] !== undefined) {
    if (request.method !== "GET") throw methodNotAllowed(request.method, path, "GET");
    return { statusCode: 200, body: await orders.get(match[1]) };
  }
  throw new NotFoundError(`no route for ${request.method} ${path}; try POST /orders or GET /orders/{id}`, {
    code: "ROUTE_NOT_FOUND",
  });
}

function methodNotAllowed(method: string, path: string, allowed: string): PermanentError {
  return new PermanentError(`${method} is not allowed on ${path}; use ${allowed}`, {
    code: "METHOD_NOT_ALLOWED",
    httpStatus: 405,
  });
}
