import { describe, expect, it } from "vitest";
import {
  IdempotencyConfigError,
  keyFromEventId,
  keyFromMessageId,
  keyFromPath,
  keyFromRequestId,
} from "../src/index.js";

describe("key helpers", () => {
  it.each([
    {
      helper: "keyFromRequestId",
      key: keyFromRequestId({ awsRequestId: "c6af9ac6-7b61" }),
      expected: "c6af9ac6-7b61",
    },
    { helper: "keyFromRequestId", key: keyFromRequestId(undefined), expected: undefined },
    {
      helper: "keyFromMessageId",
      key: keyFromMessageId({ messageId: "059f36b4-87a3" }),
      expected: "059f36b4-87a3",
    },
    { helper: "keyFromMessageId", key: keyFromMessageId({ messageId: "" }), expected: undefined },
    { helper: "keyFromEventId", key: keyFromEventId({ eventID: "c4ca4238a0b9" }), expected: "c4ca4238a0b9" },
    { helper: "keyFromEventId", key: keyFromEventId({}), expected: undefined },
  ])("$helper reads the id AWS keeps across retries, or finds none ($expected)", ({ key, expected }) => {
    expect(key).toBe(expected);
  });

  it.each([
    { path: "orderId", input: { orderId: "o-1" }, expected: "o-1" },
    { path: "detail.order.id", input: { detail: { order: { id: "o-2" } } }, expected: "o-2" },
    { path: "orderNumber", input: { orderNumber: 42 }, expected: "42" },
    { path: "orderNumber", input: { orderNumber: Number.NaN }, expected: undefined },
    { path: "orderId", input: { orderId: "" }, expected: undefined },
    { path: "orderId", input: { orderId: { nested: true } }, expected: undefined },
    { path: "detail.orderId", input: { detail: null }, expected: undefined },
    { path: "orderId", input: "o-1", expected: undefined },
    { path: "constructor", input: {}, expected: undefined },
  ])("keyFromPath($path) reads $expected from $input", ({ path, input, expected }) => {
    expect(keyFromPath(path)(input)).toBe(expected);
  });

  it.each(["", "a..b", ".a", 5])("keyFromPath rejects the path %j at creation", (path) => {
    expect(() => keyFromPath(path as string)).toThrow(IdempotencyConfigError);
  });
});
