import { ConfigurationError } from "../engine/errors.js";

/**
 * The account's concurrency pool in one region. Functions with reserved concurrency draw only from
 * their reservation; every other function shares what is left. AWS keeps at least 100 unreserved
 * ("you can reserve up to the Unreserved account concurrency value minus 100"), so a reservation that
 * would leave less than 100 is rejected, as PutFunctionConcurrency does.
 *
 * @example
 * ```ts
 * import { AccountConcurrency } from "@rebound/simulator";
 * const account = new AccountConcurrency(1000);
 * account.reserve("payments", 50);
 * account.unreservedLimit; // 950
 * ```
 */
export class AccountConcurrency {
  /** Minimum unreserved concurrency AWS keeps for functions without a reservation. */
  public static readonly MINIMUM_UNRESERVED = 100;
  #reserved = 0;
  readonly #reservations = new Map<string, number>();
  /** Unreserved executions running now. */
  public unreservedInUse = 0;

  public constructor(public readonly limit = 1000) {
    if (!Number.isInteger(limit) || limit < AccountConcurrency.MINIMUM_UNRESERVED) {
      throw new ConfigurationError(
        "accountConcurrency",
        `accountConcurrency must be an integer of at least ${AccountConcurrency.MINIMUM_UNRESERVED}, got ${limit} ` +
          "(AWS's default regional limit is 1000)",
      );
    }
  }

  /** Concurrency available to functions without a reservation. */
  public get unreservedLimit(): number {
    return this.limit - this.#reserved;
  }

  /** Records a function's reservation (replacing a previous one). */
  public reserve(functionName: string, reservedConcurrency: number): void {
    const previous = this.#reservations.get(functionName) ?? 0;
    const next = this.#reserved - previous + reservedConcurrency;
    if (this.limit - next < AccountConcurrency.MINIMUM_UNRESERVED) {
      throw new ConfigurationError(
        "reservedConcurrency",
        `reservedConcurrency ${reservedConcurrency} for ${functionName} would leave ${this.limit - next} unreserved ` +
          `(AWS: "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution ` +
          `below its minimum value of [${AccountConcurrency.MINIMUM_UNRESERVED}]"); lower it or raise accountConcurrency`,
      );
    }
    this.#reservations.set(functionName, reservedConcurrency);
    this.#reserved = next;
  }

  /** Removes a function's reservation (DeleteFunctionConcurrency): it draws from the unreserved pool again. */
  public unreserve(functionName: string): void {
    this.#reserved -= this.#reservations.get(functionName) ?? 0;
    this.#reservations.delete(functionName);
  }
}
