import { InvalidTaskInput } from "./errors.js";

/** What both tasks read from the execution state. */
export interface TaskInput {
  readonly orderId: string;
  /** Set by reserveStock's result, wherever the state machine put it (see {@link parseTaskInput}). */
  readonly reservationId?: string;
}

const ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/;

function pick(value: unknown, key: string): unknown {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/**
 * Reads the state passed to a task. The reservation id is found at `reservationId`,
 * `reservation.reservationId` or `reservation.Payload.reservationId`: the last one is what a
 * `ResultSelector {"Payload.$": "$.Payload"}` with `ResultPath "$.reservation"` produces.
 *
 * @example
 * ```ts
 * parseTaskInput({ orderId: "ord_1", reservation: { Payload: { reservationId: "res_1" } } });
 * // { orderId: "ord_1", reservationId: "res_1" }
 * ```
 */
export function parseTaskInput(input: unknown, task: string): TaskInput {
  const orderId = pick(input, "orderId");
  if (typeof orderId !== "string" || !ORDER_ID.test(orderId)) {
    throw new InvalidTaskInput(
      `${task} needs {"orderId": "<1-64 of A-Z a-z 0-9 _ ->"}, got ${JSON.stringify(input)?.slice(0, 200)}`,
    );
  }
  const reservation = pick(input, "reservation");
  const reservationId = [
    pick(input, "reservationId"),
    pick(reservation, "reservationId"),
    pick(pick(reservation, "Payload"), "reservationId"),
  ].find((candidate): candidate is string => typeof candidate === "string" && candidate.length > 0);
  return reservationId === undefined ? { orderId } : { orderId, reservationId };
}
