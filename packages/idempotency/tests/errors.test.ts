import {
  ConflictError,
  PermanentError,
  ReboundError,
  RetryableError,
  ValidationError,
} from "@rebound/errors";
import { describe, expect, it } from "vitest";
import {
  IdempotencyConfigError,
  IdempotencyError,
  IdempotencyInProgressError,
  IdempotencyKeyError,
  IdempotencyPayloadMismatchError,
  IdempotencyResultUnavailableError,
  IdempotencyStoreError,
} from "../src/index.js";

describe("idempotency errors", () => {
  const cause = new Error("ECONNREFUSED");
  it.each([
    {
      error: new IdempotencyInProgressError("busy", { key: "k" }),
      kind: RetryableError,
      name: "IdempotencyInProgressError",
      code: "IDEMPOTENCY_IN_PROGRESS",
    },
    {
      error: new IdempotencyPayloadMismatchError("other payload", { key: "k" }),
      kind: ConflictError,
      name: "IdempotencyPayloadMismatchError",
      code: "IDEMPOTENCY_PAYLOAD_MISMATCH",
    },
    {
      error: new IdempotencyStoreError("down", { key: "k", operation: "put", cause }),
      kind: RetryableError,
      name: "IdempotencyStoreError",
      code: "IDEMPOTENCY_STORE_UNAVAILABLE",
    },
    {
      error: new IdempotencyKeyError("no key"),
      kind: ValidationError,
      name: "IdempotencyKeyError",
      code: "IDEMPOTENCY_KEY_INVALID",
    },
    {
      error: new IdempotencyResultUnavailableError("too big", { key: "k" }),
      kind: PermanentError,
      name: "IdempotencyResultUnavailableError",
      code: "IDEMPOTENCY_RESULT_UNAVAILABLE",
    },
    {
      error: new IdempotencyConfigError("bad option"),
      kind: ReboundError,
      name: "IdempotencyConfigError",
      code: "IDEMPOTENCY_CONFIG_INVALID",
    },
  ])("$name is an IdempotencyError and a $kind.name with code $code", ({ error, kind, name, code }) => {
    expect(error).toBeInstanceOf(IdempotencyError);
    expect(error).toBeInstanceOf(kind);
    expect(error).toMatchObject({ name, code });
  });

  it("answers 409 for in progress and keeps the store's error as cause", () => {
    expect(new IdempotencyInProgressError("busy", { key: "k", retryAfterSeconds: 3 })).toMatchObject({
      httpStatus: 409,
      retryAfterSeconds: 3,
    });
    expect(new IdempotencyStoreError("down", { key: "k", operation: "put", cause }).cause).toBe(cause);
  });

  it("does not let subclasses claim each other's instances", () => {
    expect(new IdempotencyStoreError("down", { key: "k", operation: "put" })).not.toBeInstanceOf(
      IdempotencyInProgressError,
    );
    expect(new IdempotencyError("x")).not.toBeInstanceOf(IdempotencyConfigError);
    expect(new RetryableError("x")).not.toBeInstanceOf(IdempotencyError);
    expect(null).not.toBeInstanceOf(IdempotencyError);
  });
});
