import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type HclBlock, type HclBody, parseHclBody } from "./hclBody.js";
import { evaluateHcl, type HclScope } from "./hclEvaluate.js";

/**
 * The `.tf` files of one module folder, read on demand: the block of a resource or data source and
 * the module's `locals`. A plan JSON keeps only the references of an expression Terraform could not
 * evaluate before apply (`jsonencode({ deadLetterTargetArn = aws_sqs_queue.dlq.arn, ... })`), so
 * Rebound reads that one expression from the source.
 *
 * @example
 * ```ts
 * const source = new ModuleSource("/work/my-stack");
 * source.attribute("resource", "aws_sqs_queue.jobs", ["redrive_policy"], scope);
 * ```
 */
export class ModuleSource {
  #bodies: { readonly file: string; readonly body: HclBody }[] | undefined;

  public constructor(public readonly dir: string) {}

  /** Whether the folder has any `.tf` file. */
  public get exists(): boolean {
    return this.#files().length > 0;
  }

  /**
   * Evaluates one attribute of a resource (`mode` `resource`) or data source (`data`): `path` is the
   * attribute, after the nested blocks that hold it with their index (`["environment", 0, "variables"]`).
   * Undefined when the block or attribute is not in the source (a `dynamic` block, another folder).
   */
  public attribute(
    mode: "resource" | "data",
    address: string,
    path: readonly (string | number)[],
    scope: HclScope,
  ): { readonly value: unknown } | undefined {
    const [type, name] = address.split(".");
    for (const { file, body } of this.#read()) {
      const block = body.blocks.find(
        (candidate) =>
          candidate.type === mode && candidate.labels[0] === type && candidate.labels[1] === name,
      );
      if (!block) continue;
      let current: HclBody | undefined = block.body;
      for (let i = 0; i < path.length - 1 && current; i += 2) {
        const nested: HclBlock[] = current.blocks.filter((candidate) => candidate.type === path[i]);
        current = nested[Number(path[i + 1] ?? 0)]?.body;
      }
      const tokens = current?.attributes.get(String(path[path.length - 1]));
      if (!tokens) return undefined;
      return { value: evaluateHcl(tokens, scope, `${file}: ${address} ${path.join(".")}`) };
    }
    return undefined;
  }

  /** The value of `local.<name>` from the folder's `locals` blocks, or undefined. */
  public local(name: string, scope: HclScope): unknown {
    for (const { file, body } of this.#read()) {
      for (const block of body.blocks.filter((candidate) => candidate.type === "locals")) {
        const tokens = block.body.attributes.get(name);
        if (tokens) return evaluateHcl(tokens, scope, `${file}: local.${name}`);
      }
    }
    return undefined;
  }

  #files(): string[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((file) => file.endsWith(".tf"))
      .sort()
      .map((file) => join(this.dir, file));
  }

  #read(): readonly { readonly file: string; readonly body: HclBody }[] {
    this.#bodies ??= this.#files().map((file) => ({
      file,
      body: parseHclBody(readFileSync(file, "utf8"), file),
    }));
    return this.#bodies;
  }
}
