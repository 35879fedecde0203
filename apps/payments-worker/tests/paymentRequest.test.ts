import { PermanentError } from "@rebound/errors";
import { describe, expect, it } from "vitest";
import { parsePaymentRequest } from "../src/paymentRequest.js";

describe("parsePaymentRequest", () => {
  it("reads a well-formed request", () => {
    expect(parsePaymentRequest('{"orderId":"o-1","amountCents":1200,"currency":"EUR"}')).toEqual({
      orderId: "o-1",
      amountCents: 1200,
      currency: "EUR",
    });
  });

  it.each(["not json", '{"orderId":1}', '{"orderId":"o","amountCents":-5,"currency":"EUR"}'])(
    "rejects %s as permanent",
    (body) => {
      expect(() => parsePaymentRequest(body)).toThrow(PermanentError);
    },
  );
});
