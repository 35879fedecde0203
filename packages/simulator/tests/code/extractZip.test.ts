import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CodeLoadError, extractZip } from "../../src/index.js";
import { tempDir, writeZip } from "./zipHelpers.js";

describe("extractZip", () => {
  it("writes every entry below the destination, nested folders included", async () => {
    const dir = tempDir("unzip");
    const zip = await writeZip(join(dir, "code.zip"), {
      "index.mjs": "export const handler = () => 1;",
      "lib/deep/util.js": "module.exports = 2;",
    });
    const result = await extractZip(zip, join(dir, "out"));
    expect(result.files).toBe(2);
    expect(readFileSync(join(dir, "out", "lib", "deep", "util.js"), "utf8")).toBe("module.exports = 2;");
    expect(result.bytes).toBe("export const handler = () => 1;".length + "module.exports = 2;".length);
  });

  it("refuses an entry that climbs out of the destination (zip-slip) and writes nothing outside", async () => {
    const dir = tempDir("slip");
    const zip = await writeZip(join(dir, "evil.zip"), { "aa/evil.js": "pwned" });
    // Same length, so the zip's offsets stay valid: the name becomes ../evil.js in both headers.
    const bytes = readFileSync(zip);
    writeFileSync(
      zip,
      Buffer.from(bytes.toString("latin1").replaceAll("aa/evil.js", "../evil.js"), "latin1"),
    );
    const error = await extractZip(zip, join(dir, "out", "task")).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CodeLoadError);
    expect((error as Error).message).toMatch(/zip-slip/);
    expect(existsSync(join(dir, "out", "evil.js"))).toBe(false);
  });

  it("stops a zip that inflates past the cap (zip bomb) with the size and the reason", async () => {
    const dir = tempDir("bomb");
    const zip = await writeZip(join(dir, "bomb.zip"), { "zeros.bin": Buffer.alloc(200_000) });
    expect(readFileSync(zip).length).toBeLessThan(2_000); // a real bomb's ratio, in small
    const error = await extractZip(zip, join(dir, "out"), { maxUnzippedBytes: 100_000 }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CodeLoadError);
    expect((error as Error).message).toMatch(/unzips to more than .*zip bomb/);
  });

  it("names the file when it is not a zip at all", async () => {
    const dir = tempDir("notzip");
    writeFileSync(join(dir, "code.zip"), "just text");
    await expect(extractZip(join(dir, "code.zip"), join(dir, "out"))).rejects.toThrow(
      /code\.zip is not a readable zip/,
    );
  });
});
