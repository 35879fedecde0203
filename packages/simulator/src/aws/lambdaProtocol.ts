import { AwsServiceError } from "./errors.js";
import type { LambdaBackend } from "./ServiceBackends.js";

/** The Lambda API operations the local endpoint serves (REST JSON, by method and path). */
export const LAMBDA_OPERATIONS = [
  "GetFunctionConfiguration",
  "GetFunctionConcurrency",
  "PutFunctionConcurrency",
  "DeleteFunctionConcurrency",
  "GetFunctionEventInvokeConfig",
  "GetEventSourceMapping",
  "ListEventSourceMappings",
  "UpdateEventSourceMapping",
] as const;

/** One Lambda API call recognised from its method and path. */
export interface LambdaRoute {
  readonly operation: (typeof LAMBDA_OPERATIONS)[number];
  /** The function name or the mapping UUID in the path, URL-decoded. */
  readonly resource: string;
  readonly query: URLSearchParams;
}

const ROUTES: readonly { method: string; pattern: RegExp; operation: LambdaRoute["operation"] }[] = [
  {
    method: "GET",
    pattern: /^\/2015-03-31\/functions\/([^/]+)\/configuration$/,
    operation: "GetFunctionConfiguration",
  },
  {
    method: "GET",
    pattern: /^\/2019-09-30\/functions\/([^/]+)\/concurrency$/,
    operation: "GetFunctionConcurrency",
  },
  {
    method: "PUT",
    pattern: /^\/2017-10-31\/functions\/([^/]+)\/concurrency$/,
    operation: "PutFunctionConcurrency",
  },
  {
    method: "DELETE",
    pattern: /^\/2017-10-31\/functions\/([^/]+)\/concurrency$/,
    operation: "DeleteFunctionConcurrency",
  },
  {
    method: "GET",
    pattern: /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config$/,
    operation: "GetFunctionEventInvokeConfig",
  },
  {
    method: "GET",
    pattern: /^\/2015-03-31\/event-source-mappings\/([^/]+)$/,
    operation: "GetEventSourceMapping",
  },
  {
    method: "PUT",
    pattern: /^\/2015-03-31\/event-source-mappings\/([^/]+)$/,
    operation: "UpdateEventSourceMapping",
  },
  {
    method: "GET",
    pattern: /^\/2015-03-31\/event-source-mappings\/?()$/,
    operation: "ListEventSourceMappings",
  },
];

/**
 * Whether a request is a Lambda API call (REST JSON: the path starts with the API's date version and
 * names functions or event source mappings), and which operation. Undefined for anything else.
 *
 * @example
 * ```ts
 * lambdaRoute("GET", "/2015-03-31/functions/receipts/configuration")?.operation; // "GetFunctionConfiguration"
 * ```
 */
export function lambdaRoute(method: string, url: string): LambdaRoute | undefined {
  const [path = "", search = ""] = url.split("?");
  if (!/^\/20\d\d-\d\d-\d\d\/(functions|event-source-mappings)/.test(path)) return undefined;
  for (const route of ROUTES) {
    const match = route.method === method ? route.pattern.exec(path) : null;
    if (match)
      return {
        operation: route.operation,
        resource: decodeURIComponent(match[1] ?? ""),
        query: new URLSearchParams(search),
      };
  }
  throw new AwsServiceError(
    "UnknownOperationException",
    `Rebound's local Lambda endpoint does not serve ${method} ${path}; it serves ${LAMBDA_OPERATIONS.join(", ")}`,
    400,
  );
}

/**
 * Runs a Lambda API call on the backend and returns the HTTP status and JSON body AWS would send
 * (PutFunctionConcurrency 200, DeleteFunctionConcurrency 204 with no body, UpdateEventSourceMapping
 * 202).
 *
 * @example
 * ```ts
 * const { status, body } = await runLambdaOperation(route, {}, backend);
 * ```
 */
export async function runLambdaOperation(
  route: LambdaRoute,
  input: Record<string, unknown>,
  backend: LambdaBackend,
): Promise<{ readonly status: number; readonly body: unknown }> {
  const name = route.resource;
  switch (route.operation) {
    case "GetFunctionConfiguration":
      return { status: 200, body: await backend.getFunctionConfiguration(name) };
    case "GetFunctionConcurrency":
      return { status: 200, body: await backend.getFunctionConcurrency(name) };
    case "PutFunctionConcurrency": {
      const reserved = input.ReservedConcurrentExecutions;
      if (typeof reserved !== "number" || !Number.isInteger(reserved) || reserved < 0)
        throw new AwsServiceError(
          "InvalidParameterValueException",
          `1 validation error detected: Value '${String(reserved)}' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0`,
          400,
        );
      await backend.putFunctionConcurrency(name, reserved);
      return { status: 200, body: { ReservedConcurrentExecutions: reserved } };
    }
    case "DeleteFunctionConcurrency":
      await backend.deleteFunctionConcurrency(name);
      return { status: 204, body: undefined };
    case "GetFunctionEventInvokeConfig":
      return { status: 200, body: await backend.getFunctionEventInvokeConfig(name) };
    case "GetEventSourceMapping":
      return { status: 200, body: await backend.getEventSourceMapping(name) };
    case "UpdateEventSourceMapping": {
      const keys = Object.keys(input).filter((key) => key !== "Enabled");
      if (keys.length > 0)
        throw new AwsServiceError(
          "InvalidParameterValueException",
          `Rebound's local Lambda endpoint updates only Enabled of a mapping, not ${keys.join(", ")}`,
          400,
        );
      if (typeof input.Enabled !== "boolean")
        return { status: 202, body: await backend.getEventSourceMapping(name) };
      return { status: 202, body: await backend.updateEventSourceMapping(name, input.Enabled) };
    }
    case "ListEventSourceMappings": {
      const functionName = route.query.get("FunctionName") ?? undefined;
      const eventSourceArn = route.query.get("EventSourceArn") ?? undefined;
      const mappings = await backend.listEventSourceMappings({
        ...(functionName === undefined ? {} : { functionName }),
        ...(eventSourceArn === undefined ? {} : { eventSourceArn }),
      });
      return { status: 200, body: { EventSourceMappings: mappings } };
    }
  }
}
