import { describe, expect, it } from "vitest";
import {
  ConflictError,
  FullBatchFailureError,
  InvalidEventError,
  InvalidOptionsError,
  MalformedJsonError,
  NotFoundError,
  ParkingError,
  PermanentError,
  ReboundError,
  RetryableError,
  ValidationError,
} from "../src/index.js";

describe("error classes", () => {
  const cause = new Error("root cause");
  it.each([
    [new ReboundError("m", { cause }), "ReboundError", "INTERNAL_ERROR", ReboundError],
    [new RetryableError("m", { cause }), "RetryableError", "TEMPORARILY_UNAVAILABLE", RetryableError],
    [new PermanentError("m", { cause }), "PermanentError", "PERMANENT_FAILURE", PermanentError],
    [new ValidationError("m", { cause }), "ValidationError", "VALIDATION_FAILED", PermanentError],
    [new NotFoundError("m", { cause }), "NotFoundError", "NOT_FOUND", PermanentError],
    [new ConflictError("m", { cause }), "ConflictError", "CONFLICT", PermanentError],
    [new MalformedJsonError("m", cause), "MalformedJsonError", "MALFORMED_JSON", ValidationError],
    [new InvalidOptionsError("m", { cause }), "InvalidOptionsError", "INVALID_OPTIONS", ReboundError],
    [new InvalidEventError("m", { cause }), "InvalidEventError", "INVALID_EVENT", PermanentError],
    [new ParkingError("m", { cause }), "ParkingError", "PARKING_FAILED", RetryableError],
    [
      new FullBatchFailureError("m", { cause }),
      "FullBatchFailureError",
      "FULL_BATCH_FAILURE",
      RetryableError,
    ],
  ])(
    "%s sets its name and default code, keeps its cause and extends the right base",
    (error, name, code, base) => {
      expect(error.name).toBe(name);
      expect(error.code).toBe(code);
      expect(error.cause).toBe(cause);
      expect(error).toBeInstanceOf(base);
      expect(error).toBeInstanceOf(Error);
    },
  );

  it.each([
    [new RetryableError("m"), 503],
    [new RetryableError("m", { httpStatus: 409 }), 409],
    [new PermanentError("m"), 422],
    [new ValidationError("m"), 400],
    [new NotFoundError("m"), 404],
    [new ConflictError("m"), 409],
    [new PermanentError("m", { httpStatus: 200 }), 422],
    [new RetryableError("m", { httpStatus: 99.5 }), 503],
  ])("carries an HTTP status (bad values fall back to the class default): %s → %i", (error, status) => {
    expect(error.httpStatus).toBe(status);
  });

  it("lets a caller set the code", () => {
    expect(new NotFoundError("m", { code: "ORDER_NOT_FOUND" }).code).toBe("ORDER_NOT_FOUND");
  });

  it("gives a subclass its own name, code and status through its defaults table", () => {
    class CardDeclinedError extends PermanentError {
      static override readonly defaults = {
        name: "CardDeclinedError",
        code: "CARD_DECLINED",
        httpStatus: 402,
      };
    }
    const error = new CardDeclinedError("card declined", { cause });
    expect([error.name, error.code, error.httpStatus, error.cause]).toEqual([
      "CardDeclinedError",
      "CARD_DECLINED",
      402,
      cause,
    ]);
    expect(error.stack).toMatch(/^CardDeclinedError: card declined/);
    expect(new CardDeclinedError("m", { code: "EXPIRED_CARD" }).code).toBe("EXPIRED_CARD");
  });

  it("keeps a subclass without its own table on its parent's defaults", () => {
    class OrderRuleError extends PermanentError {}
    expect([new OrderRuleError("m").name, new OrderRuleError("m").httpStatus]).toEqual([
      "PermanentError",
      422,
    ]);
  });

  it("shares one frozen empty list between errors without issues", () => {
    const first = new ValidationError("m");
    expect(first.issues).toEqual([]);
    expect(Object.isFrozen(first.issues)).toBe(true);
    expect(new ValidationError("m", { issues: ["a"] }).issues).toEqual(["a"]);
  });

  it("keeps the cause non-enumerable and the fields enumerable, as a plain Error with own fields", () => {
    const error = new RetryableError("m", { cause, retryAfterSeconds: 5 });
    expect(Object.keys(error)).toEqual(["name", "code", "httpStatus", "retryAfterSeconds"]);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: "RetryableError",
      code: "TEMPORARILY_UNAVAILABLE",
      httpStatus: 503,
      retryAfterSeconds: 5,
    });
  });
});
