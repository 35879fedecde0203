import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { constants, crc32, deflateRawSync } from "node:zlib";

/** One file to put in an archive: its path inside the zip (forward slashes) and its bytes. */
export interface ZipEntry {
  readonly name: string;
  readonly data: Buffer;
}

// MS-DOS date 1980-01-01 00:00:00, the earliest a zip can hold: fixed so the same files always
// make the same bytes, hence the same source_code_hash, hence no redeploy of unchanged code.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/**
 * Builds a deterministic zip (entries sorted by name, fixed timestamps, deflate level 9) in memory.
 * cdktf's own ARCHIVE assets spawn one `node` process per asset (about 300 ms each) and stamp file
 * mtimes into the zip, so every rebuild changed the hash; this is synchronous, in-process and stable.
 *
 * @example
 * ```ts
 * import { zipEntries } from "@rebound/infra/zipDirectory";
 * const zip = zipEntries([{ name: "index.mjs", data: Buffer.from("export const handler = async () => ({});") }]);
 * ```
 */
export function zipEntries(entries: readonly ZipEntry[]): Buffer {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of sorted) {
    const name = Buffer.from(entry.name, "utf8");
    const compressed = deflateRawSync(entry.data, { level: constants.Z_BEST_COMPRESSION });
    const checksum = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); // local file header signature
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // flags: UTF-8 names
    local.writeUInt16LE(8, 8); // method: deflate
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(checksum, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    locals.push(local, name, compressed);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); // central directory header signature
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(checksum, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30); // extra length
    central.writeUInt16LE(0, 32); // comment length
    central.writeUInt16LE(0, 34); // disk number
    central.writeUInt16LE(0, 36); // internal attributes
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38); // regular file, rw-r--r-- (Lambda needs read)
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const centralSize = centrals.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); // end of central directory signature
  end.writeUInt16LE(sorted.length, 8);
  end.writeUInt16LE(sorted.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

/**
 * Zips every file under `dir` (recursively, paths relative to it) except the names in `exclude`.
 *
 * @example
 * ```ts
 * import { zipDirectory } from "@rebound/infra/zipDirectory";
 * const zip = zipDirectory("apps/receipts/dist", ["meta.json"]);
 * ```
 */
export function zipDirectory(dir: string, exclude: readonly string[] = []): Buffer {
  const entries: ZipEntry[] = [];
  const walk = (folder: string) => {
    for (const item of readdirSync(folder)) {
      const path = join(folder, item);
      const name = relative(dir, path).split(sep).join("/");
      if (exclude.includes(name)) continue;
      if (statSync(path).isDirectory()) walk(path);
      else entries.push({ name, data: readFileSync(path) });
    }
  };
  walk(dir);
  return zipEntries(entries);
}
