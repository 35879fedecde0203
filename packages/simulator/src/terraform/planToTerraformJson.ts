import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { SimulatorError } from "../engine/errors.js";
import type { HclScope } from "./hcl/hclEvaluate.js";
import { ModuleSource } from "./hcl/ModuleSource.js";

type Json = Record<string, unknown>;

/** How to make the file Rebound wants, quoted in every error about a plan file. */
export const PLAN_COMMANDS =
  "terraform plan -out plan.tfplan && terraform show -json plan.tfplan > plan.json (in the Terraform project's folder)";

/** One module of the plan: its path of module call names, its configuration and its source folder. */
interface PlanModule {
  readonly path: readonly string[];
  readonly config: Json;
  readonly source: ModuleSource;
  /** Values of the module's input variables, when the plan knows them. */
  readonly variables: (name: string) => unknown;
}

/**
 * Turns the JSON that `terraform show -json <planfile>` writes into the Terraform JSON shape Rebound
 * reads (`{ provider, resource, data }`, references as `${type.name.attribute}`), so an HCL project
 * runs without conversion. Values come from `planned_values`; a value Terraform cannot know before
 * apply (an ARN, a queue URL, anything built from one) comes from the configuration: a bare
 * reference becomes `${type.name.attribute}`, and a composite expression
 * (`jsonencode({ deadLetterTargetArn = aws_sqs_queue.dlq.arn, maxReceiveCount = 3 })`, a map of
 * environment variables) is read from the module's `.tf` files, which must sit in the plan file's
 * folder (child modules: where `.terraform/modules/modules.json` or their local `source` says).
 * Resources of child modules are named `<module>_<name>`; `count`/`for_each` instances
 * `<name>_<index>`.
 *
 * @example
 * ```ts
 * import { planToTerraformJson, TerraformJson } from "@rebound/simulator";
 * const tf = new TerraformJson(planToTerraformJson(JSON.parse(text), "plan.json"), "plan.json");
 * ```
 */
export function planToTerraformJson(plan: unknown, planPath: string): Json {
  const problem = planProblem(plan, planPath);
  if (problem !== undefined) throw new SimulatorError(problem);
  const document = plan as Json;
  const rootDir = dirname(planPath);
  const rootConfig = (document.configuration as Json).root_module as Json;
  const planVariables = (document.variables ?? {}) as Record<string, { value?: unknown }>;
  const modules = new Map<string, PlanModule>();
  const moduleDirs = readModuleDirs(rootDir);
  const addModule = (
    path: readonly string[],
    config: Json,
    dir: string,
    variables: (name: string) => unknown,
  ) => {
    modules.set(path.join("."), { path, config, source: new ModuleSource(dir), variables });
    for (const [name, call] of Object.entries((config.module_calls ?? {}) as Record<string, Json>)) {
      const childPath = [...path, name];
      const source = String(call.source ?? "");
      const childDir =
        moduleDirs.get(childPath.join(".")) ??
        (/^\.\.?\//.test(source) ? join(dir, source) : join(dir, ".missing"));
      const expressions = (call.expressions ?? {}) as Record<string, Json>;
      addModule(
        childPath,
        (call.module ?? {}) as Json,
        childDir,
        (variable) => expressions[variable]?.constant_value,
      );
    }
  };
  addModule([], rootConfig, rootDir, (name) => planVariables[name]?.value);

  const out: { resource: Record<string, Json>; data: Record<string, Json> } = { resource: {}, data: {} };
  const localName = (path: readonly string[], name: string, index?: unknown): string =>
    [...path, name, ...(index === undefined ? [] : [String(index)])]
      .join("_")
      .replace(/[^A-Za-z0-9_-]/g, "_");
  const instances = new Map<string, number>(); // "<module>|<mode>.<type>.<name>" → instance count

  const planned = collectPlanned(document);
  for (const resource of planned) {
    const key = `${resource.modulePath.join(".")}|${resource.mode}.${resource.type}.${resource.name}`;
    instances.set(key, (instances.get(key) ?? 0) + 1);
  }
  const afterUnknown = new Map<string, Json>();
  for (const change of (document.resource_changes ?? []) as Json[]) {
    const after = (change.change as Json | undefined)?.after_unknown;
    if (typeof change.address === "string" && after && typeof after === "object")
      afterUnknown.set(change.address, after as Json);
  }

  for (const resource of planned) {
    const module = modules.get(resource.modulePath.join("."));
    const configAddress = `${resource.mode === "data" ? "data." : ""}${resource.type}.${resource.name}`;
    const config = ((module?.config.resources ?? []) as Json[]).find(
      (item) => item.address === configAddress,
    );
    const scope = module ? scopeOf(module, localName, instances) : undefined;
    const values = structuredClone(resource.values);
    if (config && module && scope) {
      fill(
        values,
        (config.expressions ?? {}) as Json,
        afterUnknown.get(resource.address),
        [],
        (path) => {
          const fromSource = module.source.attribute(
            resource.mode === "data" ? "data" : "resource",
            `${resource.type}.${resource.name}`,
            path,
            scope,
          );
          return fromSource;
        },
        scope,
      );
    }
    const target = resource.mode === "data" ? out.data : out.resource;
    target[resource.type] ??= {};
    const byName = target[resource.type] as Json;
    const multiple =
      (instances.get(`${resource.modulePath.join(".")}|${resource.mode}.${resource.type}.${resource.name}`) ??
        1) > 1 || resource.index !== undefined;
    byName[localName(resource.modulePath, resource.name, multiple ? resource.index : undefined)] = values;
  }

  const region = providerRegion(document, planVariables);
  return {
    "//": {
      source: `terraform show -json (format ${String(document.format_version)}, Terraform ${String(document.terraform_version)})`,
    },
    ...(region ? { provider: { aws: [{ region }] } } : {}),
    resource: out.resource,
    data: out.data,
  };
}

/** Why a value is not a usable plan JSON, or undefined when it is. */
export function planProblem(plan: unknown, planPath: string): string | undefined {
  if (typeof plan !== "object" || plan === null || Array.isArray(plan)) {
    return `${planPath} is not a Terraform plan JSON (it is not a JSON object); create it with: ${PLAN_COMMANDS}`;
  }
  const document = plan as Json;
  if (document.resource !== undefined && document.format_version === undefined) {
    return `${planPath} is a Terraform JSON configuration (.tf.json), not a plan; pass it with --stack instead of --plan`;
  }
  if (typeof document.format_version !== "string") {
    return `${planPath} is not the JSON of a Terraform plan (no format_version); create it with: ${PLAN_COMMANDS}`;
  }
  if (!document.format_version.startsWith("1.")) {
    return `${planPath} has plan format ${document.format_version}; Rebound reads format 1.x (Terraform 1.0 and later); create it with Terraform 1.x: ${PLAN_COMMANDS}`;
  }
  if (document.planned_values === undefined) {
    return `${planPath} has no planned_values: it is the JSON of a state (terraform show -json without a plan file), not of a plan; create it with: ${PLAN_COMMANDS}`;
  }
  const configuration = document.configuration as Json | undefined;
  if (configuration?.root_module === undefined) {
    return `${planPath} has no configuration.root_module, so references between resources are lost; it was written by another tool or an old Terraform. Create it with Terraform 1.x: ${PLAN_COMMANDS}`;
  }
  return undefined;
}

interface PlannedResource {
  readonly address: string;
  readonly modulePath: readonly string[];
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly index: unknown;
  readonly values: Json;
}

/** Every managed resource of `planned_values` and every data source read during the plan (`prior_state`), modules included. */
function collectPlanned(document: Json): PlannedResource[] {
  const found = new Map<string, PlannedResource>();
  const walk = (module: Json | undefined, modeFilter: (mode: string) => boolean) => {
    if (!module) return;
    for (const resource of (module.resources ?? []) as Json[]) {
      const mode = String(resource.mode ?? "managed");
      if (!modeFilter(mode)) continue;
      const address = String(resource.address);
      found.set(address, {
        address,
        modulePath: [...address.matchAll(/module\.([^.[]+)(?:\[[^\]]*\])?\./g)].map((match) => match[1]!),
        mode,
        type: String(resource.type),
        name: String(resource.name),
        index: resource.index,
        values: (resource.values ?? {}) as Json,
      });
    }
    for (const child of (module.child_modules ?? []) as Json[]) walk(child, modeFilter);
  };
  walk(
    ((document.prior_state as Json | undefined)?.values as Json | undefined)?.root_module as Json | undefined,
    (mode) => mode === "data",
  );
  walk((document.planned_values as Json).root_module as Json, () => true);
  return [...found.values()];
}

/**
 * Fills the values Terraform left unknown from the configuration's expressions, nested blocks
 * included (`environment[0].variables`).
 */
function fill(
  values: Json,
  expressions: Json,
  unknown: Json | undefined,
  path: readonly (string | number)[],
  fromSource: (path: readonly (string | number)[]) => { readonly value: unknown } | undefined,
  scope: HclScope,
): void {
  for (const [key, expression] of Object.entries(expressions)) {
    const here = [...path, key];
    const current = values[key];
    if (Array.isArray(expression)) {
      // A nested block: one expression object per block, planned as a list of objects.
      const list = Array.isArray(current) ? current : [];
      expression.forEach((blockExpressions, index) => {
        if (typeof list[index] !== "object" || list[index] === null) list[index] = {};
        const unknownBlocks = unknown?.[key];
        const blockUnknown = Array.isArray(unknownBlocks) ? (unknownBlocks[index] as Json) : undefined;
        fill(
          list[index] as Json,
          blockExpressions as Json,
          blockUnknown,
          [...here, index],
          fromSource,
          scope,
        );
      });
      values[key] = list;
      continue;
    }
    const known = current !== undefined && current !== null && unknown?.[key] !== true;
    const references = (expression as Json).references as string[] | undefined;
    if (known || references === undefined || references.length === 0) continue;
    const read = fromSource(here);
    if (read !== undefined) {
      values[key] = read.value;
      continue;
    }
    // No source at hand: a lone reference (`aws_sqs_queue.jobs.arn`) is most likely the whole expression.
    const attributes = references.filter(
      (reference) => !references.some((other) => other !== reference && other.startsWith(`${reference}.`)),
    );
    if (attributes.length === 1) {
      const reference = scope.reference(attributes[0]!.split("."));
      if (reference !== undefined) values[key] = reference;
    }
  }
}

function scopeOf(
  module: PlanModule,
  localName: (path: readonly string[], name: string, index?: unknown) => string,
  instances: ReadonlyMap<string, number>,
): HclScope {
  const scope: HclScope = {
    variable: (name) => module.variables(name),
    local: (name) => module.source.local(name, scope),
    reference: (parts) => {
      const isData = parts[0] === "data";
      const [type, name, ...rest] = isData ? parts.slice(1) : parts;
      if (type === undefined || name === undefined || !/^[a-z0-9]+_[a-z0-9_]+$/.test(type)) return undefined;
      const key = `${module.path.join(".")}|${isData ? "data" : "managed"}.${type}.${name}`;
      const count = instances.get(key);
      if (count === undefined) return undefined;
      let index: string | undefined;
      if (count > 1 || (rest.length > 1 && /^\d+$|^"/.test(rest[0]!))) index = rest.shift();
      const attribute = rest.join(".");
      const local = localName(module.path, name, index);
      return `\${${isData ? "data." : ""}${type}.${local}${attribute === "" ? "" : `.${attribute}`}}`;
    },
  };
  return scope;
}

/** `.terraform/modules/modules.json`: where `terraform init` put each module call's source. */
function readModuleDirs(rootDir: string): Map<string, string> {
  const file = join(rootDir, ".terraform", "modules", "modules.json");
  const dirs = new Map<string, string>();
  if (!existsSync(file)) return dirs;
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as { Modules?: { Key?: string; Dir?: string }[] };
    for (const entry of parsed.Modules ?? []) {
      if (entry.Key && entry.Dir) dirs.set(entry.Key, join(rootDir, entry.Dir));
    }
  } catch {
    // An unreadable modules.json only means local module sources are looked for by their path.
  }
  return dirs;
}

function providerRegion(document: Json, variables: Record<string, { value?: unknown }>): string | undefined {
  const config = (document.configuration as Json).provider_config as Record<string, Json> | undefined;
  const region = (config?.aws?.expressions as Record<string, Json> | undefined)?.region;
  if (typeof region?.constant_value === "string") return region.constant_value;
  const variable = (region?.references as string[] | undefined)?.find((reference) =>
    reference.startsWith("var."),
  );
  const value = variable === undefined ? undefined : variables[variable.slice(4)]?.value;
  return typeof value === "string" ? value : undefined;
}
