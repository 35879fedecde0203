import { describe, expect, it } from "vitest";
import { formatTraceLine, Trace } from "../../src/index.js";

describe("Trace", () => {
  it("writes one line per event with the virtual ISO time, source, kind and fields in order", () => {
    let now = Date.UTC(2026, 0, 1, 0, 1, 0, 5);
    const trace = new Trace(() => now, { collect: true });
    trace.emit("sqs:orders", "send", { messageId: "m-1", delaySeconds: 0, skipped: undefined });
    now += 1_000;
    trace.emit("lambda:pay", "end", { errorMessage: "card refused", ok: false });
    expect(trace.lines()).toEqual([
      "2026-01-01T00:01:00.005Z sqs:orders send messageId=m-1 delaySeconds=0",
      '2026-01-01T00:01:01.005Z lambda:pay end errorMessage="card refused" ok=false',
    ]);
  });

  it("is off without a sink or listener, and on while a listener is attached", () => {
    const trace = new Trace(() => 0);
    expect(trace.on).toBe(false);
    const seen: string[] = [];
    const stop = trace.listen((_time, source, kind, fields) =>
      seen.push(`${source} ${kind} ${fields["id"]}`),
    );
    expect(trace.on).toBe(true);
    trace.emit("a", "b", { id: 1 });
    stop();
    expect(trace.on).toBe(false);
    trace.emit("a", "b", { id: 2 });
    expect(seen).toEqual(["a b 1"]);
  });

  it("quotes values that would not split back into fields", () => {
    expect(formatTraceLine(0, "s", "k", { a: "x=y", b: 'say "hi"', c: "" })).toBe(
      '1970-01-01T00:00:00.000Z s k a="x=y" b="say \\"hi\\"" c=""',
    );
  });

  it("rejects unknown options", () => {
    expect(() => new Trace(() => 0, { colect: true } as never)).toThrow(/unknown option "colect"/);
  });
});
