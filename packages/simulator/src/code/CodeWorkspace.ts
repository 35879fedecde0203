import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { CodeLoadError } from "./CodeLoadError.js";
import { DEFAULT_MAX_UNZIPPED_BYTES, extractZip } from "./extractZip.js";

/**
 * Where a function's or a layer's code comes from: a zip (`filename`), a folder (`archive_file`'s
 * `source_dir`, a cdktf directory asset) or one file (`archive_file`'s `source_file`, which lands
 * at the zip's root).
 */
export interface CodeSource {
  readonly kind: "zip" | "directory" | "file";
  /** Absolute path. */
  readonly path: string;
}

/** What a function needs on disk: its code and its layers, in the order Lambda applies them. */
export interface CodeRequest {
  readonly functionName: string;
  readonly code: CodeSource;
  readonly layers?: readonly CodeSource[];
  /** The runtime's Node.js major version (20 for `nodejs20.x`): layers may hold `nodejs/node20/node_modules`. */
  readonly nodeMajor?: number;
}

/** A function's code as Lambda would see it. */
export interface PreparedCode {
  /** The function's `/var/task`: the handler is resolved from here. */
  readonly codeRoot: string;
  /** Milliseconds spent unzipping and copying this function's code and layers. */
  readonly preparedMs: number;
  readonly bytes: number;
}

/** Options of a `CodeWorkspace`. */
export interface CodeWorkspaceOptions {
  /** Folder under which the run's folder is created. Default: the OS temp folder. */
  readonly parent?: string;
  /** Cap on the unzipped size of each zip. Default 512 MB. */
  readonly maxUnzippedBytes?: number;
  /**
   * Package or scope folders (`.../node_modules/@aws-sdk`) that play the runtime's own modules
   * (Lambda's Node.js runtimes ship the AWS SDK for JavaScript v3 in `/var/runtime/node_modules`):
   * linked under their own name into the run's `node_modules`, below every function's own and its
   * layers', so they come last, as on Lambda.
   */
  readonly runtimeModules?: readonly string[];
}

/**
 * The folder where one run unpacks its functions' code, laid out so Node resolves modules as on
 * Lambda: each function gets `<run>/<function>/task` (its `/var/task`, the zip or folder contents)
 * and `<run>/<function>/node_modules`, which links the packages of its layers' `nodejs/node_modules`
 * and `nodejs/node<major>/node_modules` (later layers win, as later layers overwrite earlier ones in
 * `/opt`). Node looks in `task/node_modules` first and then, walking up, in that folder and in the
 * run's `node_modules` (the runtime's modules, `runtimeModules`), so the function's own packages
 * shadow its layers', and those the runtime's, for `import` and `require` alike, which is Lambda's
 * order, and no loader or NODE_PATH is needed.
 *
 * Each function has its own copy, even when two share a zip: every module of a function, its
 * dependencies included, is then a separate instance, like separate sandboxes. `close()` removes
 * everything; nothing is written outside the run's folder.
 *
 * @example
 * ```ts
 * import { CodeWorkspace } from "@rebound/simulator";
 * const workspace = new CodeWorkspace();
 * const { codeRoot } = await workspace.prepare({ functionName: "worker", code: { kind: "zip", path: "/abs/build/worker.zip" } });
 * workspace.close();
 * ```
 */
export class CodeWorkspace {
  readonly #root: string;
  readonly #maxUnzippedBytes: number;
  readonly #prepared = new Map<string, PreparedCode>();

  public constructor(options: CodeWorkspaceOptions = {}) {
    const parent = options.parent ?? tmpdir();
    mkdirSync(parent, { recursive: true });
    this.#root = mkdtempSync(join(parent, "rebound-code-"));
    this.#maxUnzippedBytes = options.maxUnzippedBytes ?? DEFAULT_MAX_UNZIPPED_BYTES;
    for (const folder of options.runtimeModules ?? []) {
      mkdirSync(join(this.#root, "node_modules"), { recursive: true });
      symlinkSync(folder, join(this.#root, "node_modules", basename(folder)), "dir");
    }
  }

  /** The run's folder. */
  public get root(): string {
    return this.#root;
  }

  /** Unpacks one function's code and layers (once per function per workspace). */
  public async prepare(request: CodeRequest): Promise<PreparedCode> {
    const known = this.#prepared.get(request.functionName);
    if (known) return known;
    const started = performance.now();
    const functionDir = join(this.#root, request.functionName);
    const codeRoot = join(functionDir, "task");
    let bytes = await this.#unpack(request.code, codeRoot, request.functionName, "code");
    const modules = join(functionDir, "node_modules");
    for (const [index, layer] of (request.layers ?? []).entries()) {
      const layerDir = join(functionDir, "layers", String(index));
      bytes += await this.#unpack(layer, layerDir, request.functionName, `layer ${index + 1}`);
      const folders = [join(layerDir, "nodejs", "node_modules")];
      if (request.nodeMajor !== undefined)
        folders.push(join(layerDir, "nodejs", `node${request.nodeMajor}`, "node_modules"));
      for (const folder of folders) linkPackages(folder, modules);
    }
    const prepared = { codeRoot, preparedMs: performance.now() - started, bytes };
    this.#prepared.set(request.functionName, prepared);
    return prepared;
  }

  /** Removes the run's folder. */
  public close(): void {
    rmSync(this.#root, { recursive: true, force: true });
  }

  async #unpack(source: CodeSource, target: string, functionName: string, what: string): Promise<number> {
    if (!existsSync(source.path)) {
      throw new CodeLoadError(
        `function ${functionName}: its ${what} ${source.kind === "directory" ? "folder" : source.kind} ${source.path} does not exist; ` +
          "run the project's build (the step that writes it) before rebound, or script the function in the scenario",
      );
    }
    if (source.kind === "file") {
      mkdirSync(target, { recursive: true });
      cpSync(source.path, join(target, basename(source.path)));
      return statSync(source.path).size;
    }
    if (source.kind === "directory") {
      if (!statSync(source.path).isDirectory()) {
        throw new CodeLoadError(`function ${functionName}: its ${what} ${source.path} is not a folder`);
      }
      cpSync(source.path, target, { recursive: true });
      return 0;
    }
    try {
      return (await extractZip(source.path, target, { maxUnzippedBytes: this.#maxUnzippedBytes })).bytes;
    } catch (error) {
      if (error instanceof CodeLoadError) {
        throw new CodeLoadError(`function ${functionName}: ${error.message}`, { cause: error });
      }
      throw error;
    }
  }
}

/** Links every package of a layer's `node_modules` (scoped ones one level deeper) into `target`. */
function linkPackages(folder: string, target: string): void {
  if (!existsSync(folder)) return;
  for (const name of readdirSync(folder)) {
    if (name.startsWith(".")) continue;
    if (name.startsWith("@")) {
      linkPackages(join(folder, name), join(target, name));
      continue;
    }
    mkdirSync(target, { recursive: true });
    const link = join(target, name);
    rmSync(link, { recursive: true, force: true });
    symlinkSync(join(folder, name), link, "dir");
  }
}
