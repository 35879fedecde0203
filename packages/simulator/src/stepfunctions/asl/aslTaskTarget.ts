import { AslDefinitionError } from "../../engine/errors.js";
import { isPlainObject, show } from "./aslPath.js";
import { type AslTaskTarget, LAMBDA_INVOKE_RESOURCE } from "./aslStateTypes.js";

const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$/;
const LAMBDA_INVOKE_PARAMETERS = new Set(["FunctionName", "Payload", "Qualifier"]);

/**
 * A Task's Resource: the optimized `lambda:invoke` integration (Parameters with FunctionName, and only
 * the parameters Rebound models) or a Lambda function ARN. Any other resource is rejected.
 *
 * @example
 * ```ts
 * parseTaskTarget({ Resource: "arn:aws:lambda:eu-west-1:123456789012:function:charge" }, "state \"Charge\"");
 * ```
 */
export function parseTaskTarget(raw: Record<string, unknown>, where: string): AslTaskTarget {
  const resource = raw.Resource;
  if (resource === LAMBDA_INVOKE_RESOURCE) {
    const parameters = raw.Parameters;
    if (!isPlainObject(parameters)) {
      throw new AslDefinitionError(
        `${where}, field Parameters: ${LAMBDA_INVOKE_RESOURCE} needs Parameters with FunctionName (and usually "Payload.$": "$")`,
      );
    }
    const names = Object.keys(parameters).map((key) => (key.endsWith(".$") ? key.slice(0, -2) : key));
    if (!names.includes("FunctionName")) {
      throw new AslDefinitionError(
        `${where}, field Parameters: ${LAMBDA_INVOKE_RESOURCE} needs FunctionName`,
      );
    }
    for (const name of names) {
      if (!LAMBDA_INVOKE_PARAMETERS.has(name)) {
        throw new AslDefinitionError(
          `${where}, field Parameters.${name}: not supported for ${LAMBDA_INVOKE_RESOURCE} ` +
            `(supported: ${[...LAMBDA_INVOKE_PARAMETERS].join(", ")}; InvocationType and ClientContext are not modelled)`,
        );
      }
    }
    return { kind: "lambda:invoke" };
  }
  if (typeof resource === "string" && LAMBDA_ARN.test(resource))
    return { kind: "function", functionArn: resource };
  throw new AslDefinitionError(
    `${where}, field Resource: ${show(resource)} is not supported; use "${LAMBDA_INVOKE_RESOURCE}" ` +
      "or a Lambda function ARN (arn:aws:lambda:<region>:<account>:function:<name>)",
  );
}
