import { existsSync, statSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { CodeSource } from "../code/CodeWorkspace.js";
import type { TerraformJson, TerraformResource } from "./TerraformJson.js";

/** A function's code, when Rebound can run it in-process, or why it cannot. */
export type FunctionCode =
  | {
      readonly runnable: true;
      readonly code: CodeSource;
      /** Local layers, in the order of the function's `layers`. */
      readonly layers: readonly CodeSource[];
      /** The `handler` setting (`src/index.handler`). */
      readonly handler: string;
      /** The runtime's Node.js major version (20 for `nodejs20.x`). */
      readonly nodeMajor: number;
    }
  | { readonly runnable: false; readonly reason: string };

/**
 * Where Lambda would find a function's code, read from its Terraform settings: `filename` (a zip,
 * or a folder for a cdktf directory asset), or the `source_dir`/`source_file` of the `archive_file`
 * data source that `filename` points at, with each local layer (`aws_lambda_layer_version` built
 * the same ways). Relative paths count from the stack file's folder, as Terraform counts them from
 * the module's. Only `nodejs*` runtimes run in this process; every other case says why not.
 *
 * @example
 * ```ts
 * const code = functionCode(tf.resource("aws_lambda_function.worker")!, tf);
 * if (!code.runnable) console.error(code.reason);
 * ```
 */
export function functionCode(resource: TerraformResource, tf: TerraformJson): FunctionCode {
  const values = resource.values;
  const runtime = values.runtime;
  if (values.package_type === "Image" || typeof values.image_uri === "string") {
    return {
      runnable: false,
      reason: "its code is a container image (package_type Image), which Rebound cannot run",
    };
  }
  if (typeof runtime !== "string") {
    return { runnable: false, reason: "it sets no runtime, so Rebound cannot tell how Lambda would run it" };
  }
  const major = /^nodejs(\d+)\.x$/.exec(runtime);
  if (!major) {
    return {
      runnable: false,
      reason: `its runtime ${runtime} does not run in Rebound's Node.js process (only nodejs* runtimes do)`,
    };
  }
  const code = codeSource(values, tf, "its code");
  if ("reason" in code) return { runnable: false, reason: code.reason };
  const layers: CodeSource[] = [];
  for (const layer of Array.isArray(values.layers) ? values.layers : []) {
    const layerResource = tf.referencedResource(layer);
    if (layerResource?.type !== "aws_lambda_layer_version") {
      return {
        runnable: false,
        reason: `its layer ${String(layer)} is not an aws_lambda_layer_version of this stack, so its code is not on this machine`,
      };
    }
    const source = codeSource(layerResource.values, tf, `its layer ${layerResource.address}`);
    if ("reason" in source) return { runnable: false, reason: source.reason };
    layers.push(source);
  }
  return {
    runnable: true,
    code,
    layers,
    handler: typeof values.handler === "string" ? values.handler : "index.handler",
    nodeMajor: Number(major[1]),
  };
}

/** The zip, folder or file that `filename` (or the `archive_file` behind it) names. */
function codeSource(
  values: Readonly<Record<string, unknown>>,
  tf: TerraformJson,
  what: string,
): CodeSource | { readonly reason: string } {
  const filename = values.filename;
  if (typeof filename !== "string") {
    return typeof values.s3_bucket === "string"
      ? { reason: `${what} is in S3 (s3_bucket ${values.s3_bucket}), not on this machine` }
      : { reason: `${what} has no filename, so there is no local zip to load` };
  }
  const archive = /^\$\{data\.archive_file\.([A-Za-z0-9_-]+)\.output_path\}$/.exec(filename);
  if (archive) {
    const data = tf.dataSource(`data.archive_file.${archive[1]}`);
    if (!data)
      return {
        reason: `${what} comes from data.archive_file.${archive[1]}, which the stack does not define`,
      };
    if (typeof data.values.source_dir === "string")
      return { kind: "directory", path: local(data.values.source_dir, tf) };
    if (typeof data.values.source_file === "string")
      return { kind: "file", path: local(data.values.source_file, tf) };
    if (typeof data.values.output_path === "string" && existsSync(local(data.values.output_path, tf)))
      return { kind: "zip", path: local(data.values.output_path, tf) };
    return {
      reason: `${what} comes from data.archive_file.${archive[1]}, which has neither source_dir nor source_file`,
    };
  }
  if (filename.includes("${")) {
    return { reason: `${what} is at ${filename}, a path Rebound cannot work out before apply` };
  }
  const path = local(filename, tf);
  return { kind: existsSync(path) && statSync(path).isDirectory() ? "directory" : "zip", path };
}

/** A path as Terraform reads it: relative to the module folder (the stack file's folder here). */
function local(path: string, tf: TerraformJson): string {
  const plain = path.replace(/^\$\{path\.(module|root|cwd)\}/, ".");
  return isAbsolute(plain) ? plain : join(tf.baseDir, plain);
}
