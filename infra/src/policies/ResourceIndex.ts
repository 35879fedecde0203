import {
  DefaultTokenResolver,
  StringConcat,
  TerraformDataSource,
  TerraformResource,
  type TerraformStack,
  Tokenization,
} from "cdktf";

/** One resource (or data source) of a stack with its configuration resolved to Terraform JSON. */
export interface IndexedResource {
  /** Terraform type, e.g. `aws_sqs_queue` (`data.aws_iam_policy_document` for a data source). */
  readonly type: string;
  /** Terraform address, e.g. `aws_sqs_queue.payments_queue_5C1D2B3A`. */
  readonly address: string;
  /** Attributes in snake_case as they land in cdk.tf.json, overrides applied, references as `${...}`. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly construct: TerraformResource | TerraformDataSource;
}

// The resolver cdktf itself uses when writing cdk.tf.json.
const RESOLVER = new DefaultTokenResolver(new StringConcat());

const REFERENCE = /^\$\{((?:data\.)?[a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z0-9_.[\]]+\}$/;

/**
 * Every resource of one stack, resolved once, so policy rules can follow references between
 * resources (a mapping to its queue and function, a queue to its DLQ) exactly as Terraform will.
 * Rules read the resolved JSON rather than construct props, so escape hatches (`addOverride`) and
 * raw provider resources are checked too.
 *
 * @example
 * ```ts
 * import { ResourceIndex } from "@rebound/infra/policies/ResourceIndex";
 * const index = ResourceIndex.build(stack);
 * const queue = index.resolve("${aws_sqs_queue.payments_queue_5C1D2B3A.arn}");
 * ```
 */
export class ResourceIndex {
  private readonly byAddress = new Map<string, IndexedResource>();
  private readonly byConstruct = new Map<TerraformResource | TerraformDataSource, IndexedResource>();

  private constructor(stack: TerraformStack) {
    for (const node of stack.node.findAll()) {
      const isResource = TerraformResource.isTerraformResource(node);
      if (!isResource && !(node instanceof TerraformDataSource)) continue;
      const element = node as TerraformResource | TerraformDataSource;
      const block = isResource ? "resource" : "data";
      const synthesized = Tokenization.resolve(element.toTerraform(), {
        scope: stack,
        resolver: RESOLVER,
      }) as Record<string, Record<string, Record<string, Record<string, unknown>>>>;
      const typeName = element.terraformResourceType;
      const config = synthesized[block]?.[typeName]?.[element.friendlyUniqueId] ?? {};
      const type = isResource ? typeName : `data.${typeName}`;
      const indexed: IndexedResource = {
        type,
        address: `${type}.${element.friendlyUniqueId}`,
        config,
        construct: element,
      };
      this.byAddress.set(indexed.address, indexed);
      this.byConstruct.set(element, indexed);
    }
  }

  /** Resolves every resource of a stack now; build it after the stack is complete (at synthesis). */
  public static build(stack: TerraformStack): ResourceIndex {
    return new ResourceIndex(stack);
  }

  public get(construct: TerraformResource | TerraformDataSource): IndexedResource | undefined {
    return this.byConstruct.get(construct);
  }

  /** The resource a whole-value reference such as `${aws_sqs_queue.x.arn}` points to, if it is in this stack. */
  public resolve(reference: unknown): IndexedResource | undefined {
    if (typeof reference !== "string") return undefined;
    const match = REFERENCE.exec(reference);
    return match?.[1] === undefined ? undefined : this.byAddress.get(match[1]);
  }

  /** Every resource of one Terraform type. */
  public ofType(type: string): IndexedResource[] {
    return [...this.byAddress.values()].filter((resource) => resource.type === type);
  }
}
