import { describe, expect, it } from "vitest";
import { terminalText } from "../../src/report/terminalText.js";

describe("terminalText", () => {
  it.each([
    ["plain", "plain"],
    ["a\u001b[31mred", "a\\u{1b}[31mred"],
    ["line\nbreak\r", "line\\u{a}break\\u{d}"],
    ["del\u007f c1\u0085", "del\\u{7f} c1\\u{85}"],
    ["\u202eevil\u2066\u200f", "\\u{202e}evil\\u{2066}\\u{200f}"],
    ["emoji ✔ ünïcode", "emoji ✔ ünïcode"],
  ])("%j prints as %j", (text, expected) => {
    expect(terminalText(text)).toBe(expected);
  });

  it("cuts long text with an ellipsis at the limit", () => {
    const cut = terminalText("y".repeat(1000), 50);
    expect(cut).toHaveLength(50);
    expect(cut.endsWith("…")).toBe(true);
    expect(terminalText("short", 50)).toBe("short");
  });
});
