import { classify } from "@rebound/errors";
import { type BasePersistenceLayer, makeIdempotent } from "@rebound/idempotency";
import type { Context } from "aws-lambda";
import {
  AddressRejected,
  CarrierUnavailable,
  InvalidTaskInput,
  OutOfStock,
  StockServiceUnavailable,
} from "./errors.js";
import type { FulfillmentServices } from "./FulfillmentServices.js";
import { parseTaskInput, type TaskInput } from "./taskInput.js";

/** Options of {@link createFulfillmentTasks}. */
export interface FulfillmentTasksOptions {
  readonly services: FulfillmentServices;
  /**
   * Remembers each order's reservation and shipment, so a task re-run by Step Functions (after a
   * Lambda timeout, say) returns the first result without calling the provider. Optional: without
   * it, the Idempotency-Key header sent to the providers is the only guard.
   */
  readonly idempotencyStore?: BasePersistenceLayer;
  readonly clock?: () => number;
}

// Executions of the fulfillment workflow last minutes; a day covers every retry schedule.
const TASK_RECORD_TTL_SECONDS = 86_400;
const OWN_ERRORS = [
  StockServiceUnavailable,
  OutOfStock,
  CarrierUnavailable,
  AddressRejected,
  InvalidTaskInput,
];

/**
 * Re-throws anything that is not one of the typed task errors under a name the state machine knows:
 * retryable (the idempotency lock of a concurrent run, DynamoDB throttling) → the task's
 * "Unavailable" error, so it is retried rather than failing the execution on an unknown name.
 */
function asTaskError(error: unknown, Unavailable: typeof StockServiceUnavailable): unknown {
  if (OWN_ERRORS.some((type) => error instanceof type)) return error;
  if (classify(error) === "retryable") {
    return new Unavailable(error instanceof Error ? error.message : String(error), { cause: error });
  }
  return error;
}

/**
 * The Step Functions task functions of the fulfillment workflow.
 *
 * - `reserveStock({orderId})` → `{orderId, reservationId}`; throws `StockServiceUnavailable`
 *   (retry) or `OutOfStock` (catch).
 * - `shipOrder({orderId, reservation?})` → `{orderId, trackingNumber}`; throws `CarrierUnavailable`
 *   (retry) or `AddressRejected` (catch).
 *
 * @example
 * ```ts
 * export const { reserveStock, shipOrder } = createFulfillmentTasks({ services, idempotencyStore });
 * ```
 */
export function createFulfillmentTasks(options: FulfillmentTasksOptions) {
  const { services, idempotencyStore, clock } = options;
  const guard = <R>(namespace: string, run: (input: TaskInput) => Promise<R>) =>
    idempotencyStore === undefined
      ? run
      : makeIdempotent(run, {
          store: idempotencyStore,
          keyFrom: (input: TaskInput) => input.orderId,
          namespace,
          expiresAfterSeconds: TASK_RECORD_TTL_SECONDS,
          ...(clock === undefined ? {} : { clock }),
        });
  const reserveOnce = guard("fulfillment-tasks:reserve", (input) => services.reserve(input.orderId));
  const shipOnce = guard("fulfillment-tasks:ship", (input) =>
    services.ship(input.orderId, input.reservationId),
  );

  return {
    async reserveStock(input: unknown, _context?: Context) {
      const task = parseTaskInput(input, "reserveStock");
      try {
        const { reservationId } = await reserveOnce(task);
        return { orderId: task.orderId, reservationId };
      } catch (error) {
        throw asTaskError(error, StockServiceUnavailable);
      }
    },
    async shipOrder(input: unknown, _context?: Context) {
      const task = parseTaskInput(input, "shipOrder");
      try {
        const { trackingNumber } = await shipOnce(task);
        return { orderId: task.orderId, trackingNumber };
      } catch (error) {
        throw asTaskError(error, CarrierUnavailable);
      }
    },
  };
}
