import { createWriteStream, mkdirSync } from "node:fs";
import { dirname, isAbsolute, join, normalize, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import yauzl from "yauzl";
import { CodeLoadError } from "./CodeLoadError.js";

/** Lambda's own limit for unzipped code and layers together is 250 MB; this cap stops zip bombs well above it. */
export const DEFAULT_MAX_UNZIPPED_BYTES = 512 * 1024 * 1024;

/** Options of `extractZip`. */
export interface ExtractZipOptions {
  /** Total uncompressed bytes allowed (declared and actually inflated). Default 512 MB. */
  readonly maxUnzippedBytes?: number;
}

/** What one extraction wrote. */
export interface ExtractedZip {
  readonly files: number;
  readonly bytes: number;
}

/**
 * Extracts a zip into `destination` (created if missing), never writing outside it: an entry whose
 * name is absolute or climbs out with `..` (zip-slip) is refused, symbolic-link entries are written
 * as plain files (so no link can point outside), and the total uncompressed size is capped, counted
 * both from the sizes the zip declares and from the bytes actually inflated (yauzl checks that they
 * agree), so a zip bomb fails with a clear error instead of filling the disk.
 *
 * @example
 * ```ts
 * import { extractZip } from "@rebound/simulator";
 * const { files, bytes } = await extractZip("build/worker.zip", ".rebound/code/abc/task");
 * ```
 */
export async function extractZip(
  zipPath: string,
  destination: string,
  options: ExtractZipOptions = {},
): Promise<ExtractedZip> {
  const limit = options.maxUnzippedBytes ?? DEFAULT_MAX_UNZIPPED_BYTES;
  if (!Number.isSafeInteger(limit) || limit <= 0) {
    throw new CodeLoadError(
      `maxUnzippedBytes must be a positive whole number of bytes; got ${String(limit)}`,
    );
  }
  mkdirSync(destination, { recursive: true });
  const zip = await openZip(zipPath);
  let files = 0;
  let declared = 0;
  let inflated = 0;
  try {
    for (;;) {
      const entry = await nextEntry(zip);
      if (entry === undefined) break;
      const name = entry.fileName;
      const target = safeTarget(destination, name, zipPath);
      if (name.endsWith("/")) {
        mkdirSync(target, { recursive: true });
        continue;
      }
      declared += entry.uncompressedSize;
      if (declared > limit) throw tooLarge(zipPath, limit);
      mkdirSync(dirname(target), { recursive: true });
      const stream = await openEntry(zip, entry);
      stream.on("data", (chunk: Buffer) => {
        inflated += chunk.length;
        if (inflated > limit) stream.destroy(tooLarge(zipPath, limit));
      });
      // Unix permission bits ride in the high 16 bits of the external attributes; keep the executable
      // bit (a bootstrap script needs it), drop everything else, including the symlink type.
      const mode = (entry.externalFileAttributes >>> 16) & 0o111 ? 0o755 : 0o644;
      await pipeline(stream, createWriteStream(target, { mode }));
      files += 1;
    }
  } catch (error) {
    if (error instanceof CodeLoadError) throw error;
    const message = (error as Error).message;
    // yauzl refuses such names itself before this code sees the entry.
    if (/invalid relative path|absolute path/.test(message)) {
      throw new CodeLoadError(
        `${zipPath} has an entry that would be written outside the code folder (zip-slip: ${message}); ` +
          "rebuild the zip with paths relative to its root",
        { cause: error },
      );
    }
    throw new CodeLoadError(`${zipPath} cannot be unzipped: ${message}; rebuild the zip`, {
      cause: error,
    });
  } finally {
    zip.close();
  }
  return { files, bytes: inflated };
}

/** Where an entry goes, or a refusal when its name would leave the destination. */
function safeTarget(destination: string, name: string, zipPath: string): string {
  const normalized = normalize(name.replaceAll("\\", "/"));
  if (
    name.includes("\0") ||
    isAbsolute(name) ||
    /^[A-Za-z]:/.test(name) ||
    normalized === ".." ||
    normalized.startsWith(`..${sep}`)
  ) {
    throw new CodeLoadError(
      `${zipPath} has an entry named "${name}" that would be written outside the code folder (zip-slip); ` +
        "rebuild the zip with paths relative to its root",
    );
  }
  return join(destination, normalized);
}

function tooLarge(zipPath: string, limit: number): CodeLoadError {
  return new CodeLoadError(
    `${zipPath} unzips to more than ${Math.round(limit / 1024 / 1024)} MB (Lambda's own limit is 250 MB); ` +
      "it is not a deployable function or layer, or it is a zip bomb: check what the build puts in it",
  );
}

function openZip(zipPath: string): Promise<yauzl.ZipFile> {
  return new Promise((resolveZip, reject) => {
    yauzl.open(
      zipPath,
      { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false },
      (error, zip) => {
        if (error) {
          reject(
            new CodeLoadError(
              `${zipPath} is not a readable zip: ${error.message}; point filename at the zip your build writes`,
              { cause: error },
            ),
          );
        } else resolveZip(zip);
      },
    );
  });
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | undefined> {
  return new Promise((resolveEntry, reject) => {
    const onEntry = (entry: yauzl.Entry) => {
      cleanup();
      resolveEntry(entry);
    };
    const onEnd = () => {
      cleanup();
      resolveEntry(undefined);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      zip.off("entry", onEntry);
      zip.off("end", onEnd);
      zip.off("error", onError);
    };
    zip.on("entry", onEntry);
    zip.on("end", onEnd);
    zip.on("error", onError);
    zip.readEntry();
  });
}

function openEntry(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
): Promise<NodeJS.ReadableStream & { destroy(error?: Error): void }> {
  return new Promise((resolveStream, reject) => {
    zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolveStream(stream)));
  });
}
