import { dirname } from "node:path";
import { CodeLoadError } from "../code/CodeLoadError.js";
import type { CodeWorkspace } from "../code/CodeWorkspace.js";
import { type ModuleFormat, resolveHandler } from "../code/resolveHandler.js";
import type { Scenario } from "../scenario/Scenario.js";
import { functionCode } from "../terraform/functionCode.js";
import { nameOf } from "../terraform/StackReferences.js";
import type { TerraformJson } from "../terraform/TerraformJson.js";
import type { ShortNames } from "./ShortNames.js";

/** One function's code, unpacked and resolved, ready for the handler host. */
export interface PreparedFunction {
  readonly functionName: string;
  /** The function's `/var/task`. */
  readonly codeRoot: string;
  readonly file: string;
  readonly format: ModuleFormat;
  readonly exportPath: string;
  /** The folder holding the function's code and layers: its CommonJS modules are its own. */
  readonly moduleScope: string;
  readonly preparedMs: number;
}

/**
 * Unpacks the code of every function the scenario does not script, as Lambda would find it (see
 * `functionCode`, `CodeWorkspace`, `resolveHandler`), before anything runs. A function whose code
 * cannot be loaded or whose runtime cannot run here is never scripted silently: every such function
 * is reported at once, one line each with the reason and the fix, as a `CodeLoadError` (bad input).
 *
 * @example
 * ```ts
 * const prepared = await prepareFunctionCode({ tf, scenario, names, workspace });
 * prepared.get("demo-worker")?.file; // ".../demo-worker/task/src/worker.js"
 * ```
 */
export async function prepareFunctionCode(options: {
  readonly tf: TerraformJson;
  readonly scenario: Scenario;
  readonly names: ShortNames;
  readonly workspace: CodeWorkspace;
}): Promise<Map<string, PreparedFunction>> {
  const { tf, scenario, names, workspace } = options;
  const prepared = new Map<string, PreparedFunction>();
  const problems: string[] = [];
  for (const resource of tf.resourcesOfType("aws_lambda_function")) {
    const functionName = nameOf(resource);
    const short = names.short(functionName);
    if (scenario.functions[short]) continue;
    const fix = `script it in the scenario (functions: { ${short}: { behaviour: succeed } }) to simulate it without its code`;
    const code = functionCode(resource, tf);
    if (!code.runnable) {
      problems.push(`function ${functionName} (${resource.address}): ${code.reason}; ${fix}`);
      continue;
    }
    try {
      const unpacked = await workspace.prepare({
        functionName,
        code: code.code,
        layers: code.layers,
        nodeMajor: code.nodeMajor,
      });
      const handler = resolveHandler(unpacked.codeRoot, code.handler, functionName);
      prepared.set(functionName, {
        functionName,
        codeRoot: unpacked.codeRoot,
        file: handler.file,
        format: handler.format,
        exportPath: handler.exportPath,
        moduleScope: dirname(unpacked.codeRoot),
        preparedMs: unpacked.preparedMs,
      });
    } catch (error) {
      if (!(error instanceof CodeLoadError)) throw error;
      problems.push(
        `${error.message.replace(/^function \S+: /, `function ${functionName} (${resource.address}): `)}; or ${fix}`,
      );
    }
  }
  if (problems.length > 0) throw new CodeLoadError(problems.join("\n"));
  return prepared;
}
