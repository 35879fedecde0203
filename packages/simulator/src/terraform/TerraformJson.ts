import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { SimulatorError } from "../engine/errors.js";
import { planToTerraformJson } from "./planToTerraformJson.js";

/** Which file a caller means to load: a Terraform JSON configuration, a plan JSON, or either (told apart by content). */
export type TerraformFileKind = "stack" | "plan" | "either";

/** One resource block of a Terraform JSON configuration: its type, its name and its arguments. */
export interface TerraformResource {
  readonly type: string;
  readonly name: string;
  /** `type.name`, the address Terraform references use. */
  readonly address: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/**
 * A parsed Terraform JSON configuration (`cdk.tf.json` or any hand-written `.tf.json`) with its
 * resources and data sources indexed by address, and the references between them resolvable. A
 * plan JSON (`terraform show -json <planfile>`) loads into the same shape (`planToTerraformJson`).
 *
 * @example
 * ```ts
 * import { TerraformJson } from "@rebound/simulator";
 * const tf = TerraformJson.load("infra/cdktf.out/stacks/orders/cdk.tf.json");
 * tf.resourcesOfType("aws_sqs_queue").map((queue) => queue.values.name);
 * ```
 */
export class TerraformJson {
  readonly #byAddress = new Map<string, TerraformResource>();
  readonly #data = new Map<string, TerraformResource>();

  public constructor(
    public readonly document: Readonly<Record<string, unknown>>,
    public readonly source = "<inline>",
  ) {
    this.#index("resource", "", this.#byAddress);
    this.#index("data", "data.", this.#data);
  }

  #index(key: "resource" | "data", prefix: string, into: Map<string, TerraformResource>): void {
    const resources = this.document[key];
    if (resources === undefined) return;
    if (!isRecord(resources))
      throw new SimulatorError(`${this.source}: "${key}" must be an object of resource types`);
    for (const [type, blocks] of Object.entries(resources)) {
      if (!isRecord(blocks))
        throw new SimulatorError(`${this.source}: ${key}.${type} must be an object of named blocks`);
      for (const [name, values] of Object.entries(blocks)) {
        if (!isRecord(values))
          throw new SimulatorError(`${this.source}: ${key}.${type}.${name} must be an object`);
        const address = `${prefix}${type}.${name}`;
        into.set(address, { type, name, address, values });
      }
    }
  }

  /** The folder relative paths in the stack (`filename`) count from: the file's own folder. */
  public get baseDir(): string {
    return this.source === "<inline>" ? process.cwd() : dirname(resolve(this.source));
  }

  /** A data source by address (`data.archive_file.worker`). */
  public dataSource(address: string): TerraformResource | undefined {
    return this.#data.get(address);
  }

  /**
   * Reads and parses a Terraform JSON file or a plan JSON, with errors that name the file. `kind`
   * `stack` refuses a plan, `plan` refuses anything but a plan, `either` (default) tells them apart by
   * content (a plan has `format_version`).
   */
  public static load(path: string, kind: TerraformFileKind = "either"): TerraformJson {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (error) {
      throw new SimulatorError(
        `cannot read the Terraform JSON at ${path}: ${(error as Error).message}. ` +
          "Synthesize the stack first (pnpm synth) or pass the path of a .tf.json file.",
        { cause: error },
      );
    }
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      throw new SimulatorError(`${path} is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
    if (!isRecord(document)) throw new SimulatorError(`${path} must hold a JSON object`);
    const isPlan = document.format_version !== undefined || document.planned_values !== undefined;
    if (kind === "plan" || (kind === "either" && isPlan)) {
      return new TerraformJson(planToTerraformJson(document, path), path);
    }
    if (isPlan) {
      throw new SimulatorError(
        `${path} is a Terraform plan JSON, not a Terraform JSON configuration; pass it with --plan instead of --stack`,
      );
    }
    return new TerraformJson(document, path);
  }

  public get resources(): readonly TerraformResource[] {
    return [...this.#byAddress.values()];
  }

  public resourcesOfType(type: string): readonly TerraformResource[] {
    return this.resources.filter((resource) => resource.type === type);
  }

  public resource(address: string): TerraformResource | undefined {
    return this.#byAddress.get(address);
  }

  /**
   * The resource a value points at, when the value is a whole reference such as
   * `${aws_sqs_queue.payments.arn}`; undefined for literals.
   */
  public referencedResource(value: unknown): TerraformResource | undefined {
    const match =
      typeof value === "string" ? /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z_]+\}$/.exec(value) : null;
    return match ? this.#byAddress.get(`${match[1]}.${match[2]}`) : undefined;
  }

  /** Every resource address referenced anywhere inside a value (strings, arrays, objects). */
  public referencesIn(value: unknown): TerraformResource[] {
    const found = new Map<string, TerraformResource>();
    const visit = (item: unknown): void => {
      if (typeof item === "string") {
        for (const match of item.matchAll(/\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\.[A-Za-z0-9_.[\]"]+)?\}/g)) {
          const resource = this.#byAddress.get(`${match[1]}.${match[2]}`);
          if (resource) found.set(resource.address, resource);
        }
      } else if (Array.isArray(item)) item.forEach(visit);
      else if (isRecord(item)) Object.values(item).forEach(visit);
    };
    visit(value);
    return [...found.values()];
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
