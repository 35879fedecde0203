import { ConfigurationError } from "../engine/errors.js";
import type { TerraformJson, TerraformResource } from "./TerraformJson.js";

/** Where the simulated stack lives: the account, region and local endpoint URL that ARNs and URLs use. */
export interface StackIdentity {
  readonly region: string;
  readonly accountId: string;
  /** Base URL of the local AWS endpoints (queue URLs are `<url>/<account>/<name>`). */
  readonly endpointUrl: string;
  /** The label DynamoDB stream ARNs end with. */
  readonly streamLabel: string;
}

/**
 * Resolves Terraform references (`${aws_sqs_queue.payments.url}`) to the values the simulated
 * resources have, the way `terraform apply` would fill them in on AWS. Only attributes the simulator
 * can know are resolvable; anything else is an error naming the reference and where it was used.
 *
 * @example
 * ```ts
 * const refs = new StackReferences(tf, identity);
 * refs.resolve("${aws_sqs_queue.payments.url}", "aws_lambda_function.worker environment");
 * ```
 */
export class StackReferences {
  public constructor(
    private readonly tf: TerraformJson,
    public readonly identity: StackIdentity,
  ) {}

  /** The value of one attribute of one resource, or undefined when the simulator cannot know it. */
  public attribute(resource: TerraformResource, attribute: string): string | undefined {
    const { region, accountId, endpointUrl } = this.identity;
    const name = nameOf(resource);
    switch (resource.type) {
      case "aws_sqs_queue": {
        const url = `${endpointUrl}/${accountId}/${name}`;
        return { name, arn: `arn:aws:sqs:${region}:${accountId}:${name}`, url, id: url }[attribute];
      }
      case "aws_sns_topic": {
        const arn = `arn:aws:sns:${region}:${accountId}:${name}`;
        return { name, arn, id: arn }[attribute];
      }
      case "aws_lambda_function": {
        const arn = `arn:aws:lambda:${region}:${accountId}:function:${name}`;
        return {
          function_name: name,
          arn,
          id: name,
          qualified_arn: `${arn}:$LATEST`,
          invoke_arn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
        }[attribute];
      }
      case "aws_dynamodb_table": {
        const arn = `arn:aws:dynamodb:${region}:${accountId}:table/${name}`;
        return {
          name,
          id: name,
          arn,
          stream_arn: `${arn}/stream/${this.identity.streamLabel}`,
          stream_label: this.identity.streamLabel,
        }[attribute];
      }
      case "aws_kinesis_stream": {
        const arn = `arn:aws:kinesis:${region}:${accountId}:stream/${name}`;
        return { name, arn, id: arn }[attribute];
      }
      case "aws_sfn_state_machine": {
        const arn = `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
        return { name, arn, id: arn }[attribute];
      }
      case "aws_s3_bucket": {
        const bucket = String(resource.values.bucket ?? name);
        return { bucket, id: bucket, arn: `arn:aws:s3:::${bucket}` }[attribute];
      }
      case "aws_cloudwatch_event_bus": {
        const arn = `arn:aws:events:${region}:${accountId}:event-bus/${name}`;
        return { name, id: name, arn }[attribute];
      }
      case "aws_cloudwatch_event_rule": {
        const arn = `arn:aws:events:${region}:${accountId}:rule/${name}`;
        return { name, id: name, arn }[attribute];
      }
      case "aws_iam_role": {
        const arn = `arn:aws:iam::${accountId}:role/${name}`;
        return { name, arn, id: name }[attribute];
      }
      case "aws_ssm_parameter":
        return { name, id: name, arn: `arn:aws:ssm:${region}:${accountId}:parameter${name}` }[attribute];
      case "aws_apigatewayv2_api":
      case "aws_apigatewayv2_integration":
      case "aws_apigatewayv2_stage":
        return attribute === "id" ? resource.name : undefined;
      default:
        return undefined;
    }
  }

  /**
   * Replaces every `${type.name.attribute}` in a string. `where` names the setting for the error
   * when a reference points at something the simulator cannot know (a data source, a function call).
   */
  public resolve(value: string, where: string): string {
    return value.replace(/\$\{([^}]*)\}/g, (whole, expression: string) => {
      const match = /^([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)$/.exec(expression);
      const resource = match ? this.tf.resource(`${match[1]}.${match[2]}`) : undefined;
      const resolved = resource && match ? this.attribute(resource, match[3]!) : undefined;
      if (resolved === undefined) {
        throw new ConfigurationError(
          where,
          `${where}: cannot resolve ${whole}: the simulator knows the name, arn, url and id of queues, topics, ` +
            "functions, tables, streams and state machines, not data sources, variables or function calls. " +
            "Use a direct reference to one of those resources there, or replace the function with a scripted one in the scenario.",
        );
      }
      return resolved;
    });
  }

  /** `resolve` applied to every string inside a JSON-like value. */
  public resolveDeep<T>(value: T, where: string): T {
    if (typeof value === "string") return this.resolve(value, where) as T;
    if (Array.isArray(value)) return value.map((item) => this.resolveDeep(item, where)) as T;
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, this.resolveDeep(item, `${where}.${key}`)]),
      ) as T;
    }
    return value;
  }
}

/** A resource's AWS name: `function_name` for functions, `name` otherwise, else its Terraform name. */
export function nameOf(resource: TerraformResource): string {
  const values = resource.values;
  const name = values.function_name ?? values.name;
  return typeof name === "string" ? name : resource.name;
}
