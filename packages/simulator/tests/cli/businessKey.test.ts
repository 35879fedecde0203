import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { rebound, VALID_SCENARIO } from "./cliHarness.js";

const dir = mkdtempSync(join(tmpdir(), "rebound-key-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("rebound simulate --key", () => {
  it("adds the business field of each injected event to the report", () => {
    const file = join(dir, "key.yaml");
    writeFileSync(file, VALID_SCENARIO.join("\n"));
    const reports = join(dir, "reports");
    const run = rebound(["simulate", file, "--report", reports, "--key", "orderId"]);
    expect(run.status, run.stderr).toBe(0);
    const html = readFileSync(join(reports, readdirSync(reports)[0] ?? ""), "utf8");
    expect(html).toContain("<th>orderId</th>");
    expect(html).toContain('<td><code>m</code></td><td class="key">ord_1</td>');
  }, 120_000);
});
