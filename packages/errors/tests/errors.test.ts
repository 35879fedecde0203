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
});
