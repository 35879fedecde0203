import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32, inflateRawSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { zipDirectory, zipEntries } from "../src/zipDirectory.js";

/** Reads a zip back through its central directory, checking each entry's CRC. */
function unzip(zip: Buffer): Record<string, string> {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    expect(zip.readUInt32LE(at)).toBe(0x02014b50);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = inflateRawSync(zip.subarray(dataStart, dataStart + size));
    expect(crc32(data)).toBe(zip.readUInt32LE(at + 16));
    files[name] = data.toString("utf8");
    at += 46 + nameLength;
  }
  return files;
}

describe("zipDirectory", () => {
  it("zips a folder recursively, skipping excluded files", () => {
    const dir = mkdtempSync(join(tmpdir(), "rebound-zip-"));
    mkdirSync(join(dir, "chunks"));
    writeFileSync(join(dir, "index.mjs"), "export const handler = 1;");
    writeFileSync(join(dir, "chunks", "a.mjs"), "export const a = 2;");
    writeFileSync(join(dir, "meta.json"), "{}");
    expect(unzip(zipDirectory(dir, ["meta.json"]))).toEqual({
      "chunks/a.mjs": "export const a = 2;",
      "index.mjs": "export const handler = 1;",
    });
  });

  it("makes the same bytes for the same files whatever their modification times", () => {
    const dir = mkdtempSync(join(tmpdir(), "rebound-zip-"));
    writeFileSync(join(dir, "index.mjs"), "export const handler = 1;");
    const first = zipDirectory(dir);
    utimesSync(join(dir, "index.mjs"), new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(zipDirectory(dir).equals(first)).toBe(true);
  });

  it("round-trips any set of files, independent of their order", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.stringMatching(/^[a-z0-9_-]{1,12}\.mjs$/), fc.string({ maxLength: 200 }), {
          minKeys: 1,
          maxKeys: 8,
        }),
        (files) => {
          const entries = Object.entries(files).map(([name, text]) => ({
            name,
            data: Buffer.from(text, "utf8"),
          }));
          const zip = zipEntries(entries);
          expect(unzip(zip)).toEqual(files);
          expect(zipEntries([...entries].reverse()).equals(zip)).toBe(true);
        },
      ),
    );
  });
});
