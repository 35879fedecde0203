import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import yazl from "yazl";

/** A fresh temp folder for one test. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `rebound-${prefix}-`));
}

/** Writes a real zip (deflated) of `files` (path → content) at `zipPath`. */
export async function writeZip(zipPath: string, files: Record<string, string | Buffer>): Promise<string> {
  mkdirSync(dirname(zipPath), { recursive: true });
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) {
    zip.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content), name, { compress: true });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  writeFileSync(zipPath, Buffer.concat(chunks));
  return zipPath;
}
