import type { ApiRouteAuthorization, ApiRouteConfig } from "../apigateway/ApiGateway.js";
import type { JwtAuthorizerConfig } from "../apigateway/jwtAuthorizer.js";
import type { ThrottleLimits } from "../apigateway/TokenBucket.js";
import { ConfigurationError } from "../engine/errors.js";
import type { Topology } from "../topology/Topology.js";
import { nameOf, type StackReferences } from "./StackReferences.js";
import type { TerraformJson, TerraformResource } from "./TerraformJson.js";
import { asArray, firstBlock, numberOr } from "./terraformValues.js";

/** A route of a stack's HTTP API and the function behind it. */
export interface StackRoute {
  readonly apiName: string;
  readonly routeKey: string;
  readonly functionName: string;
  /** How API Gateway authorizes it (`NONE` or a JWT authorizer). */
  readonly authorization: ApiRouteAuthorization;
  /** Its throttle: the stage's `route_settings` for it, else the stage's `default_route_settings`. */
  readonly throttle?: ThrottleLimits;
}

/**
 * Reads every HTTP API (`aws_apigatewayv2_api`) with its Lambda proxy integration, its routes, the
 * throttling of its stage (`default_route_settings`, `route_settings` by `route_key`) and its JWT
 * authorizers, and adds each API to the topology with its routes. A route with an authorization type
 * the simulator does not model (`AWS_IAM`, `CUSTOM`) is an error that names it, rather than a route
 * that lets every request through.
 *
 * @example
 * ```ts
 * const routes = loadHttpApis(tf, topology, references, (type) => tf.resourcesOfType(type));
 * ```
 */
export function loadHttpApis(
  tf: TerraformJson,
  topology: Topology,
  references: StackReferences,
  of: (type: string) => readonly TerraformResource[],
): StackRoute[] {
  const routes: StackRoute[] = [];
  const integrations = of("aws_apigatewayv2_integration");
  const allRoutes = of("aws_apigatewayv2_route");
  const stages = of("aws_apigatewayv2_stage");
  const authorizers = of("aws_apigatewayv2_authorizer");
  for (const api of of("aws_apigatewayv2_api")) {
    const apiName = nameOf(api);
    const belongs = (resource: TerraformResource): boolean =>
      tf.referencedResource(resource.values.api_id)?.address === api.address;
    const stage = stages.find(belongs);
    const integration = integrations.find(belongs);
    // One Lambda integration per API is what the model runs; a second one is another API model.
    if (integration === undefined) continue;
    const fnName = references.resolve(
      String(integration.values.integration_uri),
      `${integration.address} integration_uri`,
    );
    const functionName = fnName.slice(fnName.lastIndexOf(":") + 1);
    const apiRoutes: StackRoute[] = [];
    for (const route of allRoutes.filter(belongs)) {
      if (!tf.referencesIn(route.values.target).some((target) => target.address === integration.address))
        continue;
      const routeKey = String(route.values.route_key);
      const throttle = stage === undefined ? undefined : stageThrottle(stage, routeKey);
      apiRoutes.push({
        apiName,
        routeKey,
        functionName,
        authorization: routeAuthorization(tf, route, authorizers),
        ...(throttle ? { throttle } : {}),
      });
    }
    topology.addApi({
      apiName,
      functionName,
      integrationTimeoutSeconds: numberOr(integration.values.timeout_milliseconds, 30_000) / 1000,
      payloadFormatVersion: integration.values.payload_format_version === "1.0" ? "1.0" : "2.0",
      routes: apiRoutes.map(
        (route): ApiRouteConfig => ({
          routeKey: route.routeKey,
          authorization: route.authorization,
          ...(route.throttle ? { throttle: route.throttle } : {}),
        }),
      ),
    });
    routes.push(...apiRoutes);
  }
  return routes;
}

/** The route's own `route_settings` throttle, else the stage's `default_route_settings`, else none. */
function stageThrottle(stage: TerraformResource, routeKey: string): ThrottleLimits | undefined {
  const perRoute = asArray(stage.values.route_settings)
    .map(firstBlock)
    .find((settings) => settings?.route_key === routeKey);
  return limitsOf(perRoute) ?? limitsOf(firstBlock(stage.values.default_route_settings));
}

function limitsOf(settings: Record<string, unknown> | undefined): ThrottleLimits | undefined {
  if (settings === undefined) return undefined;
  const { throttling_rate_limit: rate, throttling_burst_limit: burst } = settings;
  if (typeof rate !== "number" && typeof burst !== "number") return undefined;
  // A stage that sets one of the two leaves the other at the account's limit.
  return {
    rateLimit: typeof rate === "number" ? rate : 10_000,
    burstLimit: typeof burst === "number" ? burst : 5_000,
  };
}

function routeAuthorization(
  tf: TerraformJson,
  route: TerraformResource,
  authorizers: readonly TerraformResource[],
): ApiRouteAuthorization {
  const type = String(route.values.authorization_type ?? "NONE");
  if (type === "NONE") return { type: "NONE" };
  if (type !== "JWT") {
    throw new ConfigurationError(
      "authorization_type",
      `${route.address}: authorization_type ${type} is not modelled by the simulator (JWT and NONE are); ` +
        "a request would otherwise reach the function without the check AWS makes",
    );
  }
  const address = tf.referencedResource(route.values.authorizer_id)?.address;
  const authorizer = authorizers.find((candidate) => candidate.address === address);
  if (authorizer === undefined) {
    throw new ConfigurationError(
      "authorizer_id",
      `${route.address}: authorization_type JWT needs authorizer_id to name an aws_apigatewayv2_authorizer of the stack`,
    );
  }
  const scopes = asArray(route.values.authorization_scopes).map(String);
  return { type: "JWT", authorizer: jwtAuthorizer(authorizer), ...(scopes.length > 0 ? { scopes } : {}) };
}

function jwtAuthorizer(authorizer: TerraformResource): JwtAuthorizerConfig {
  const where = authorizer.address;
  if (authorizer.values.authorizer_type !== "JWT") {
    throw new ConfigurationError(
      "authorizer_type",
      `${where}: authorizer_type ${String(authorizer.values.authorizer_type)} is not modelled (JWT is)`,
    );
  }
  const sources = asArray(authorizer.values.identity_sources).map(String);
  const header = /^\$request\.header\.([A-Za-z0-9-]+)$/.exec(sources[0] ?? "")?.[1];
  if (sources.length !== 1 || header === undefined) {
    throw new ConfigurationError(
      "identity_sources",
      `${where}: a JWT authorizer takes one identity source of the form $request.header.<Name>, got ${JSON.stringify(sources)}`,
    );
  }
  const configuration = firstBlock(authorizer.values.jwt_configuration) ?? {};
  return {
    name: String(authorizer.values.name ?? authorizer.name),
    issuer: String(configuration.issuer ?? ""),
    audience: asArray(configuration.audience).map(String),
    identityHeader: header.toLowerCase(),
  };
}
