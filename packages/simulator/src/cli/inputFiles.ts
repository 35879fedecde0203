import { closeSync, openSync, readSync, statSync } from "node:fs";
import { InputError } from "./exitCodes.js";

/** The largest scenario file read: far above any hand-written scenario, far below what hurts memory. */
export const MAX_SCENARIO_BYTES = 5 * 1024 * 1024;
/** The largest stack file read: synthesized Terraform JSON of a big project stays well under this. */
export const MAX_STACK_BYTES = 100 * 1024 * 1024;

/**
 * Checks that `path` is a regular file of at most `maxBytes`, by `stat` alone, so a huge or special
 * file is refused before a byte is read. Throws an `InputError` naming the file and the fix.
 *
 * @param what how the message names the file ("scenario file", "--stack")
 * @example
 * ```ts
 * checkInputFile("scenarios/x.yaml", "scenario file", MAX_SCENARIO_BYTES);
 * ```
 */
export function checkInputFile(path: string, what: string, maxBytes: number): number {
  let size: number;
  try {
    const stats = statSync(path);
    if (stats.isDirectory())
      throw new InputError([
        `${what} ${path} is a folder; pass a file (for scenarios: the .yaml files in it)`,
      ]);
    if (!stats.isFile()) throw new InputError([`${what} ${path} is not a regular file; pass a file`]);
    size = stats.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as { code?: string }).code;
    throw new InputError(
      [
        code === "ENOENT"
          ? `${what} ${path}: no such file; check the path (relative paths start at ${process.cwd()})`
          : `${what} ${path}: cannot read it (${code ?? (error as Error).message}); check its permissions`,
      ],
      { cause: error },
    );
  }
  if (size > maxBytes) {
    throw new InputError([
      `${what} ${path} is ${megabytes(size)}, over the ${megabytes(maxBytes)} limit; ` +
        "pass the right file, or split it into smaller files",
    ]);
  }
  return size;
}

/**
 * Reads a text file after `checkInputFile`: at most `maxBytes` are read even if the file grew since
 * the check, and bytes that are not UTF-8 are an `InputError` naming the byte offset.
 *
 * @example
 * ```ts
 * const text = readInputText("scenarios/x.yaml", "scenario file", MAX_SCENARIO_BYTES);
 * ```
 */
export function readInputText(path: string, what: string, maxBytes: number): string {
  const size = checkInputFile(path, what, maxBytes);
  const buffer = Buffer.alloc(Math.min(size, maxBytes) + 1);
  const fd = openSync(path, "r");
  let length = 0;
  try {
    for (let read = -1; read !== 0 && length < buffer.length; length += read)
      read = readSync(fd, buffer, length, buffer.length - length, null);
  } finally {
    closeSync(fd);
  }
  if (length > maxBytes)
    throw new InputError([`${what} ${path} grew past the ${megabytes(maxBytes)} limit while being read`]);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(buffer.subarray(0, length));
  } catch {
    throw new InputError([
      `${what} ${path} is not UTF-8 text (first bad byte near offset ${firstInvalidUtf8(buffer.subarray(0, length))}); ` +
        "save it as UTF-8",
    ]);
  }
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  // Binary search on the longest valid prefix: decoding is linear, and files are at most a few MB.
  let low = 0;
  let high = bytes.length;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  while (high - low > 4) {
    const mid = (low + high) >> 1;
    try {
      decoder.decode(bytes.subarray(0, mid), { stream: true });
      low = mid;
    } catch {
      high = mid;
    }
  }
  return low;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
