import { checkKeys, checkString } from "../engine/validate.js";
import { AwsServiceError } from "./errors.js";
import type { SsmBackend, SsmParameter } from "./ServiceBackends.js";

/** A parameter to store: `type` defaults to `String`, `version` to 1. */
export interface ParameterDefinition {
  readonly name: string;
  readonly value: string;
  readonly type?: SsmParameter["type"];
  readonly version?: number;
}

const TYPES: readonly string[] = ["String", "StringList", "SecureString"];

/**
 * The simplest `SsmBackend`: a fixed set of parameters in memory (the Slack webhook URL of dlq-alerts
 * is a SecureString here). Unknown names answer `ParameterNotFound` like AWS.
 *
 * @example
 * ```ts
 * import { InMemoryParameterStore, LocalAwsEndpoints } from "@rebound/simulator";
 * const ssm = new InMemoryParameterStore([{ name: "/orders/slack-webhook", type: "SecureString", value: slack.url }]);
 * const endpoints = await LocalAwsEndpoints.start({ backends: { ssm } });
 * ```
 */
export class InMemoryParameterStore implements SsmBackend {
  readonly #parameters = new Map<string, SsmParameter>();

  public constructor(parameters: readonly ParameterDefinition[] = []) {
    if (!Array.isArray(parameters)) {
      throw new AwsServiceError(
        "ValidationException",
        "parameters must be an array of { name, value, type? }",
        400,
      );
    }
    for (const [index, parameter] of parameters.entries()) this.put(parameter, `parameters[${index}]`);
  }

  /** Stores or replaces a parameter (a replacement increments its version). */
  public put(parameter: ParameterDefinition, where = "parameter"): void {
    const checked = checkKeys(parameter, ["name", "value", "type", "version"], where);
    const name = checkString(checked["name"], `${where}.name`);
    const value = checkString(checked["value"], `${where}.value`);
    const type = (checked["type"] ?? "String") as SsmParameter["type"];
    if (!TYPES.includes(type)) {
      checkString(undefined, `${where}.type`, `one of ${TYPES.join(", ")}`);
    }
    const previous = this.#parameters.get(name);
    this.#parameters.set(name, {
      name,
      value,
      type,
      version: parameter.version ?? (previous ? previous.version + 1 : 1),
    });
  }

  public getParameter(input: { readonly name: string }): SsmParameter {
    const parameter = this.#parameters.get(input.name);
    if (parameter === undefined)
      throw new AwsServiceError("ParameterNotFound", `Parameter ${input.name} not found.`, 400);
    return parameter;
  }
}
