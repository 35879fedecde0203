import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The `node_modules/@aws-sdk` folder installed with the simulator: what stands in for the AWS SDK
 * for JavaScript v3 that Lambda's Node.js runtimes provide (`/var/runtime/node_modules`), so a
 * function that does not bundle the SDK (most do not) finds it as on Lambda. Empty when none is
 * installed next to the simulator.
 *
 * @example
 * ```ts
 * new CodeWorkspace({ runtimeModules: runtimeModules() });
 * ```
 */
export function runtimeModules(): string[] {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const sdk = join(dir, "node_modules", "@aws-sdk");
    if (existsSync(sdk)) return [sdk];
    if (dirname(dir) === dir) return [];
  }
}
