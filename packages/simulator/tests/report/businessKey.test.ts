import { describe, expect, it } from "vitest";
import { businessKeyOf } from "../../src/report/businessKey.js";
import { renderHtmlReport } from "../../src/report/renderHtmlReport.js";
import { runEvent, runResult } from "./runResultFactory.js";

describe("businessKeyOf", () => {
  it.each([
    ["an SQS body", { payload: '{"orderId":"ord_1","amountCents":100}' }, "ord_1"],
    ["an API request's body", { payload: { httpMethod: "POST", body: '{"orderId":42}' } }, "42"],
    [
      "a DLQ record's payload",
      { record: { messageId: "m", body: '{"detail":{"orderId":"ord_9"}}' } },
      "ord_9",
    ],
    ["the payload before the record", { payload: { orderId: "p" }, record: { orderId: "r" } }, "p"],
    ["an event without the field", { payload: '{"other":1}' }, undefined],
    ["plain text", { payload: "orderId" }, undefined],
  ])("reads %s", (_, event, expected) => {
    expect(businessKeyOf(event, "orderId")).toBe(expected);
  });
});

describe("renderHtmlReport businessKey", () => {
  const events = [
    runEvent({ id: "a", payload: '{"orderId":"ord_1"}' }),
    runEvent({ id: "b", payload: '{"orderId":"<b>x</b>"}' }),
  ];

  it("adds a column named after the field, escaped, when asked", () => {
    const html = renderHtmlReport(runResult({ events }), { businessKey: "orderId" });
    expect(html).toContain("<th>event</th><th>orderId</th><th>source</th>");
    expect(html).toContain('<td><code>a</code></td><td class="key">ord_1</td>');
    expect(html).toContain('<td class="key">&lt;b&gt;x&lt;/b&gt;</td>');
  });

  it("has no such column by default", () => {
    const html = renderHtmlReport(runResult({ events }));
    expect(html).toContain("<th>event</th><th>source</th>");
    expect(html).not.toContain('class="key"');
  });
});
