import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { HandlerLoadError } from "../../src/aws/errors.js";
import { HandlerHost } from "../../src/host/HandlerHost.js";
import { InvocationClock } from "../../src/host/InvocationClock.js";
import { CodeLoadError, CodeWorkspace, resolveHandler } from "../../src/index.js";
import { tempDir, writeZip } from "./zipHelpers.js";

const workspaces: CodeWorkspace[] = [];
const workspace = () => {
  const created = new CodeWorkspace({ parent: tempDir("ws") });
  workspaces.push(created);
  return created;
};
afterEach(() => {
  for (const created of workspaces.splice(0)) created.close();
});

const invoke = (host: HandlerHost, name: string, event: unknown = {}) =>
  host.invoke(name, event, {
    clock: new InvocationClock({ startMs: 0, timeoutMs: 3_000 }),
    awsRequestId: "req-1",
  });

/** Unzips `files` as function `name` and registers it with `host` from its `handler` setting. */
async function deploy(
  host: HandlerHost,
  name: string,
  handler: string,
  files: Record<string, string>,
  layers: Record<string, string>[] = [],
) {
  const dir = tempDir("fn");
  const code = await writeZip(join(dir, "code.zip"), files);
  const layerSources = await Promise.all(
    layers.map(async (layer, index) => ({
      kind: "zip" as const,
      path: await writeZip(join(dir, `layer${index}.zip`), layer),
    })),
  );
  const prepared = await workspace().prepare({
    functionName: name,
    code: { kind: "zip", path: code },
    layers: layerSources,
    nodeMajor: 20,
  });
  const resolved = resolveHandler(prepared.codeRoot, handler, name);
  host.register({
    functionName: name,
    bundlePath: resolved.file,
    exportName: resolved.exportPath,
    moduleFormat: resolved.format,
    moduleScope: join(prepared.codeRoot, ".."),
  });
  return resolved;
}

describe("resolveHandler: the file and export Lambda's Node.js runtime loads", () => {
  const root = tempDir("resolve");
  const write = (path: string, text = "") => {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write("src/cjs/index.js");
  write("src/esm/package.json", JSON.stringify({ type: "module" }));
  write("src/esm/index.js");
  write("m/app.mjs");
  write("c/app.cjs");

  it.each([
    ["src/cjs/index.handler", "src/cjs/index.js", "commonjs", "handler"],
    ["src/esm/index.handler", "src/esm/index.js", "esm", "handler"],
    ["m/app.run", "m/app.mjs", "esm", "run"],
    ["c/app.handlers.create", "c/app.cjs", "commonjs", "handlers.create"],
  ])("%s → %s (%s), export %s", (handler, file, format, exportPath) => {
    expect(resolveHandler(root, handler, "fn")).toEqual({ file: join(root, file), format, exportPath });
  });

  it("names the files it looked for when the handler's file is not in the code", () => {
    expect(() => resolveHandler(root, "src/missing.handler", "worker")).toThrow(
      /function worker: handler "src\/missing.handler" names a file that is not in its code \(looked for src\/missing, src\/missing.js, src\/missing.mjs, src\/missing.cjs/,
    );
  });

  it("rejects a handler without an export as Lambda's Runtime.MalformedHandlerName", () => {
    expect(() => resolveHandler(root, "index", "worker")).toThrow(CodeLoadError);
    expect(() => resolveHandler(root, "index", "worker")).toThrow(/MalformedHandlerName/);
  });
});

describe("functions loaded from their zips, as Lambda loads them", () => {
  it("runs a CommonJS handler that requires a package from its own node_modules and one from a layer", async () => {
    const host = new HandlerHost();
    await deploy(
      host,
      "cjs",
      "src/index.handler",
      {
        "src/index.js":
          "const own = require('own-lib'); const shared = require('shared-lib');\n" +
          "let calls = 0;\nexports.handler = async (event) => ({ calls: ++calls, own: own(), shared: shared(), type: typeof module });",
        "node_modules/own-lib/index.js": "module.exports = () => 'own';",
        // The function's own copy shadows the layer's, as /var/task/node_modules comes before /opt.
        "node_modules/shared-lib/index.js": "module.exports = () => 'function copy';",
      },
      [
        {
          "nodejs/node_modules/shared-lib/index.js": "module.exports = () => 'layer copy';",
          "nodejs/node_modules/layer-only/index.js": "module.exports = () => 'layer only';",
        },
      ],
    );
    const first = await invoke(host, "cjs");
    const second = await invoke(host, "cjs");
    expect(first.kind === "success" && first.payload).toEqual({
      calls: 1,
      own: "own",
      shared: "function copy",
      type: "object",
    });
    expect(second.kind === "success" && (second.payload as { calls: number }).calls).toBe(2);
  });

  it("imports layer packages from an ES module handler (bare specifiers resolve through the layers)", async () => {
    const host = new HandlerHost();
    await deploy(
      host,
      "esm",
      "index.handler",
      {
        "package.json": JSON.stringify({ type: "module" }),
        "index.js": "import rules from 'job-rules';\nexport const handler = async (event) => rules(event.n);",
      },
      [{ "nodejs/node20/node_modules/job-rules/index.js": "module.exports = (n) => n * 2;" }],
    );
    const reply = await invoke(host, "esm", { n: 21 });
    expect(reply.kind === "success" && reply.payload).toBe(42);
  });

  it("gives two functions from one CommonJS zip separate module state, and a fresh one after recycling", async () => {
    const host = new HandlerHost();
    const files = { "index.js": "let n = 0; exports.handler = async () => ++n;" };
    await deploy(host, "a", "index.handler", files);
    await deploy(host, "b", "index.handler", files);
    const value = async (name: string) => {
      const reply = await invoke(host, name);
      return reply.kind === "success" ? reply.payload : reply;
    };
    expect([await value("a"), await value("a"), await value("b")]).toEqual([1, 2, 1]);
    host.recycle("a");
    expect(await value("a")).toBe(1);
  });

  it("reports an export that is not a function as bad input naming the function, the file and the fix", async () => {
    const host = new HandlerHost();
    const { file } = await deploy(host, "notfn", "index.handler", {
      "index.mjs": "export const handler = 42; export function other() {}",
    });
    const error = await invoke(host, "notfn").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HandlerLoadError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(
      /exports a number as "handler", not a function \(exported functions: other\).*Fix the handler setting \(<file>\.other\)/,
    );
  });

  it.each([
    ["index.mjs", "export const handler = async () => { return 1 +; };"],
    ["index.js", "exports.handler = async () => { return 1 +; };"],
  ])(
    "reports a syntax error in %s as bad input with its line, not as a simulated init failure",
    async (name, text) => {
      const host = new HandlerHost();
      const { file } = await deploy(host, "broken", "index.handler", { [name]: text });
      const error = await invoke(host, "broken").catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(HandlerLoadError);
      expect((error as Error).message).toContain(`${file}:1 does not parse`);
      expect((error as Error).message).toMatch(/Runtime.UserCodeSyntaxError/);
    },
  );

  it("keeps a SyntaxError the module's own code throws while loading a simulated init failure", async () => {
    const host = new HandlerHost();
    await deploy(host, "badjson", "index.handler", {
      "index.mjs": "JSON.parse('{'); export const handler = async () => 1;",
    });
    const reply = await invoke(host, "badjson");
    expect(reply.kind).toBe("error");
    expect(reply.kind === "error" && reply.error?.errorType).toBe("SyntaxError");
  });
});
