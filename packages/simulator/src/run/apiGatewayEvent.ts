import type { ApiEvent } from "../scenario/Scenario.js";
import type { StackRoute } from "../terraform/loadHttpApis.js";

/** The route a request matches, with its path parameters; undefined when no route does (API Gateway: 404). */
export interface MatchedRoute {
  readonly route: StackRoute;
  readonly pathParameters: Readonly<Record<string, string>>;
}

/**
 * Finds the HTTP API route for a method and path the way API Gateway does: the route with the most
 * literal segments wins over one with `{parameters}`; `$default` catches the rest.
 *
 * @example
 * ```ts
 * matchRoute(routes, "GET", "/orders/o-1"); // { route: GET /orders/{id}, pathParameters: { id: "o-1" } }
 * ```
 */
export function matchRoute(
  routes: readonly StackRoute[],
  method: string,
  path: string,
): MatchedRoute | undefined {
  const segments = path.split("?")[0]!.split("/").filter(Boolean);
  let best: { matched: MatchedRoute; literals: number } | undefined;
  for (const route of routes) {
    if (route.routeKey === "$default") {
      best ??= { matched: { route, pathParameters: {} }, literals: -1 };
      continue;
    }
    const [routeMethod, routePath = ""] = route.routeKey.split(" ");
    if (routeMethod !== "ANY" && routeMethod !== method) continue;
    const wanted = routePath.split("/").filter(Boolean);
    if (wanted.length !== segments.length) continue;
    const pathParameters: Record<string, string> = {};
    let literals = 0;
    const fits = wanted.every((segment, index) => {
      const parameter = /^\{([^}+]+)\}$/.exec(segment);
      if (parameter) {
        pathParameters[parameter[1]!] = decodeURIComponent(segments[index]!);
        return true;
      }
      literals++;
      return segment === segments[index];
    });
    if (fits && (best === undefined || literals > best.literals))
      best = { matched: { route, pathParameters }, literals };
  }
  return best?.matched;
}

/**
 * Builds the API Gateway HTTP API (payload format 2.0) event Lambda receives for a scenario request.
 *
 * @example
 * ```ts
 * const event = httpApiEvent(request, matched, { requestId, timeMs, accountId: "123456789012" });
 * ```
 */
export function httpApiEvent(
  request: ApiEvent,
  matched: MatchedRoute,
  context: { readonly requestId: string; readonly timeMs: number; readonly accountId: string },
): Record<string, unknown> {
  const [rawPath = "/", rawQueryString = ""] = request.path.split("?");
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([key, value]) => [key.toLowerCase(), value]),
  );
  const body =
    request.body === undefined
      ? undefined
      : typeof request.body === "string"
        ? request.body
        : JSON.stringify(request.body);
  if (body !== undefined && headers["content-type"] === undefined && typeof request.body !== "string") {
    headers["content-type"] = "application/json";
  }
  const query = new URLSearchParams(rawQueryString);
  const apiId = matched.route.apiName;
  return {
    version: "2.0",
    routeKey: matched.route.routeKey,
    rawPath,
    rawQueryString,
    headers,
    ...(rawQueryString ? { queryStringParameters: Object.fromEntries(query.entries()) } : {}),
    requestContext: {
      accountId: context.accountId,
      apiId,
      domainName: `${apiId}.execute-api.local`,
      domainPrefix: apiId,
      http: {
        method: request.method,
        path: rawPath,
        protocol: "HTTP/1.1",
        sourceIp: "198.51.100.10",
        userAgent: headers["user-agent"] ?? "rebound-simulator",
      },
      requestId: context.requestId,
      routeKey: matched.route.routeKey,
      stage: "$default",
      time: new Date(context.timeMs).toISOString(),
      timeEpoch: context.timeMs,
    },
    ...(Object.keys(matched.pathParameters).length > 0 ? { pathParameters: matched.pathParameters } : {}),
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
  };
}
