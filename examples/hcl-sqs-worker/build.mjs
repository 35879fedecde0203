// Writes the example's zips into build/, as any project's build step would: the worker (with its
// package.json), the job-rules layer (src/job-rules as nodejs/node_modules/job-rules) and the notifier. Only Node's standard library: a stored-and-
// deflated zip writer with fixed timestamps, so the zips (and Terraform's source_code_hash) only
// change when the code does.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { crc32, deflateRawSync } from "node:zlib";

const here = dirname(fileURLToPath(import.meta.url));

function filesUnder(dir) {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    });
}

/** Zips every file under `sourceDir`, each under `prefix` in the zip. */
function zip(sourceDir, zipPath, prefix = "") {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const file of filesUnder(sourceDir)) {
    const name = Buffer.from(prefix + relative(sourceDir, file).split("\\").join("/"));
    const data = readFileSync(file);
    const packed = deflateRawSync(data);
    const crc = crc32(data);
    // DOS date 1980-01-01 00:00: fixed, so a rebuild of unchanged code is byte-identical.
    const header = (signature, size) => {
      const buffer = Buffer.alloc(size);
      buffer.writeUInt32LE(signature, 0);
      return buffer;
    };
    const local = header(0x04034b50, 30);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = header(0x02014b50, 46);
    central.writeUInt16LE(0x0314, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  mkdirSync(dirname(zipPath), { recursive: true });
  writeFileSync(zipPath, Buffer.concat([...locals, directory, end]));
  console.log(`wrote ${relative(process.cwd(), zipPath)}`);
}

zip(join(here, "src", "worker"), join(here, "build", "worker.zip"));
// A Node.js layer puts its packages under nodejs/node_modules (Lambda mounts it at /opt).
zip(join(here, "src", "job-rules"), join(here, "build", "job-rules-layer.zip"), "nodejs/node_modules/job-rules/");
zip(join(here, "src", "notifier"), join(here, "build", "notifier.zip"));
