import { StatesFailure } from "../engine/errors.js";
import type { InvocationSuccess, LambdaFunction } from "../lambda/LambdaFunction.js";
import { show } from "./asl/aslPath.js";
import type { AslTaskState } from "./asl/aslStateTypes.js";

/** The function a Task invokes, the event it sends, and whether it is the optimized integration. */
export interface LambdaTaskTarget {
  readonly fn: LambdaFunction;
  readonly event: unknown;
  readonly optimized: boolean;
}

/**
 * Resolves a Task's Lambda call from its evaluated Parameters: `arn:aws:states:::lambda:invoke` takes
 * FunctionName (and Payload, `{}` without it); a function-ARN Resource sends the Parameters as the
 * event. Only `$LATEST` runs; an unknown function (by `functions.resolveFunction`) is
 * `Lambda.ResourceNotFoundException`.
 *
 * @example
 * ```ts
 * const { fn, event } = lambdaTaskTarget(state, { FunctionName: "charge", Payload: {} }, env);
 * ```
 */
export function lambdaTaskTarget(
  state: AslTaskState,
  parameters: unknown,
  functions: { readonly resolveFunction: (name: string) => LambdaFunction | undefined },
): LambdaTaskTarget {
  let reference: string;
  let event: unknown;
  const optimized = state.target.kind === "lambda:invoke";
  if (state.target.kind === "lambda:invoke") {
    const params = parameters as { FunctionName?: unknown; Payload?: unknown; Qualifier?: unknown };
    if (typeof params.FunctionName !== "string") {
      throw new StatesFailure(
        "States.Runtime",
        `The FunctionName of state '${state.name}' evaluated to ${show(params.FunctionName)}, not a string`,
      );
    }
    if (params.Qualifier !== undefined && params.Qualifier !== "$LATEST") {
      throw new StatesFailure(
        "Lambda.ResourceNotFoundException",
        `Function not found: ${params.FunctionName}:${show(params.Qualifier)} (Rebound runs $LATEST only)`,
      );
    }
    reference = params.FunctionName;
    // Without Payload the function receives an empty object.
    event = "Payload" in params ? params.Payload : {};
  } else {
    reference = state.target.functionArn;
    event = parameters;
  }
  const name = functionNameOf(reference);
  const fn = functions.resolveFunction(name);
  if (fn === undefined) {
    throw new StatesFailure(
      "Lambda.ResourceNotFoundException",
      `Function not found: ${reference} (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException)`,
    );
  }
  return { fn, event, optimized };
}

/**
 * A successful invocation as the Task's result: the optimized integration wraps the payload in
 * Lambda's Invoke response (Payload, StatusCode, SDK metadata); a function-ARN Resource returns the
 * payload itself. An undefined payload is null.
 */
export function lambdaTaskResult(result: InvocationSuccess, optimized: boolean): unknown {
  const payload = result.payload === undefined ? null : result.payload;
  return optimized
    ? {
        ExecutedVersion: "$LATEST",
        Payload: payload,
        SdkHttpMetadata: {
          HttpHeaders: {
            "Content-Type": "application/json",
            "X-Amz-Executed-Version": "$LATEST",
            "x-amzn-RequestId": result.requestId,
          },
          HttpStatusCode: 200,
        },
        SdkResponseMetadata: { RequestId: result.requestId },
        StatusCode: 200,
      }
    : payload;
}

/** `name`, `name:qualifier`, `123456789012:function:name`, or a full ARN → the function name. */
function functionNameOf(reference: string): string {
  const parts = reference.split(":");
  const at = parts.indexOf("function");
  if (at >= 0 && parts[at + 1] !== undefined) return parts[at + 1]!;
  return parts[0]!;
}
