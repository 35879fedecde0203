import { describe, expect, it } from "vitest";
import type { FailedEvent } from "../src/failedEvent.js";
import { REDACTED, redact } from "../src/redact.js";
import { slackMessage } from "../src/slackMessage.js";

const EMAIL = "jane.doe@example.com";

describe("redact", () => {
  it("replaces personal keys at any depth, in DynamoDB images too, and keeps everything else", () => {
    expect(
      redact({
        orderId: "ord_1",
        customerEmail: EMAIL,
        shipping: { street: "1 Main St", postalCode: "12345", city: "Springfield" },
        NewImage: { orderId: { S: "ord_1" }, customerEmail: { S: EMAIL }, phone: { S: "+1 555" } },
        amountCents: 1200,
      }),
    ).toEqual({
      orderId: "ord_1",
      customerEmail: REDACTED,
      shipping: { street: REDACTED, postalCode: REDACTED, city: "Springfield" },
      NewImage: { orderId: { S: "ord_1" }, customerEmail: REDACTED, phone: REDACTED },
      amountCents: 1200,
    });
  });

  it("redacts inside JSON held in strings and keeps them JSON, and e-mail addresses in plain text", () => {
    const body = JSON.stringify({ Message: JSON.stringify({ orderId: "ord_1", customerEmail: EMAIL }) });
    const redacted = redact({ body }) as { body: string };
    expect(JSON.parse(JSON.parse(redacted.body).Message)).toEqual({
      orderId: "ord_1",
      customerEmail: REDACTED,
    });
    expect(redact(`mail provider refused ${EMAIL}: mailbox full`)).toBe(
      `mail provider refused ${REDACTED}: mailbox full`,
    );
  });

  it("shows a Date as JSON would", () => {
    expect(redact({ at: new Date(Date.UTC(2024, 0, 1)) })).toEqual({ at: "2024-01-01T00:00:00.000Z" });
  });

  it("leaves its input unchanged", () => {
    const input = { customerEmail: EMAIL };
    redact(input);
    expect(input.customerEmail).toBe(EMAIL);
  });
});

describe("slackMessage", () => {
  it("shows no customer e-mail anywhere, in the event, the error or the text", () => {
    const failed: FailedEvent = {
      kind: "parked",
      foundIn: "parked-events",
      foundInArn: "arn:aws:sqs:eu-west-1:123456789012:parked-events",
      source: "receipts",
      error: `ValidationError: cannot mail ${EMAIL}`,
      attempts: "1",
      firstSeen: undefined,
      lastSeen: undefined,
      original: {
        Records: [{ Sns: { Message: JSON.stringify({ orderId: "ord_1", customerEmail: EMAIL }) } }],
      },
      functionName: "receipts",
    };
    const message = JSON.stringify(slackMessage(failed, undefined, "msg-1"));
    expect(message).not.toContain(EMAIL);
    expect(message).toContain("ord_1");
    expect(message).toContain("msg-1");
  });
});
