import { PermanentError, type ReboundErrorOptions, RetryableError } from "@rebound/errors";

// Step Functions matches a Lambda failure by its `errorType`, which the Node runtime takes from
// `error.name`: these names are the contract with the state machine's Retry and Catch (see
// orders-contract). Renaming one silently turns a retry into a failed execution.

/**
 * The stock service is down, slow or throttling: the state machine retries the task.
 *
 * @example
 * ```ts
 * throw new StockServiceUnavailable("stock service answered 503");
 * ```
 */
export class StockServiceUnavailable extends RetryableError {
  public constructor(message: string, options: ReboundErrorOptions = {}) {
    super(message, { code: "STOCK_SERVICE_UNAVAILABLE", ...options });
    this.name = "StockServiceUnavailable";
  }
}

/**
 * Not enough stock: caught by the state machine (ResultPath `$.error`), the order goes to refund.
 *
 * @example
 * ```ts
 * throw new OutOfStock("BOOK-1: 0 left, 2 wanted");
 * ```
 */
export class OutOfStock extends PermanentError {
  public constructor(message: string, options: ReboundErrorOptions = {}) {
    super(message, { code: "OUT_OF_STOCK", ...options });
    this.name = "OutOfStock";
  }
}

/**
 * The carrier is down, slow or throttling: the state machine retries the task.
 *
 * @example
 * ```ts
 * throw new CarrierUnavailable("carrier timed out");
 * ```
 */
export class CarrierUnavailable extends RetryableError {
  public constructor(message: string, options: ReboundErrorOptions = {}) {
    super(message, { code: "CARRIER_UNAVAILABLE", ...options });
    this.name = "CarrierUnavailable";
  }
}

/**
 * The carrier refuses the shipment (undeliverable address): caught by the state machine.
 *
 * @example
 * ```ts
 * throw new AddressRejected("carrier: postcode does not exist");
 * ```
 */
export class AddressRejected extends PermanentError {
  public constructor(message: string, options: ReboundErrorOptions = {}) {
    super(message, { code: "ADDRESS_REJECTED", ...options });
    this.name = "AddressRejected";
  }
}

/**
 * The task input is not what the state machine should pass: a bug in the definition, not in the
 * world, so it is neither retried nor caught as a business outcome.
 *
 * @example
 * ```ts
 * throw new InvalidTaskInput("reserveStock needs orderId");
 * ```
 */
export class InvalidTaskInput extends PermanentError {
  public constructor(message: string, options: ReboundErrorOptions = {}) {
    super(message, { code: "INVALID_TASK_INPUT", ...options });
    this.name = "InvalidTaskInput";
  }
}

/** Every error name the tasks throw, for the state machine definition and tests. */
export const TaskErrorName = {
  StockServiceUnavailable: "StockServiceUnavailable",
  OutOfStock: "OutOfStock",
  CarrierUnavailable: "CarrierUnavailable",
  AddressRejected: "AddressRejected",
  InvalidTaskInput: "InvalidTaskInput",
} as const;
export type TaskErrorName = (typeof TaskErrorName)[keyof typeof TaskErrorName];
