import { Apigatewayv2Api } from "@cdktf/provider-aws/lib/apigatewayv2-api/index.js";
import { Apigatewayv2Authorizer } from "@cdktf/provider-aws/lib/apigatewayv2-authorizer/index.js";
import { Apigatewayv2Integration } from "@cdktf/provider-aws/lib/apigatewayv2-integration/index.js";
import { Apigatewayv2Route } from "@cdktf/provider-aws/lib/apigatewayv2-route/index.js";
import { Apigatewayv2Stage } from "@cdktf/provider-aws/lib/apigatewayv2-stage/index.js";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group/index.js";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission/index.js";
import { Construct } from "constructs";
import { LOG_RETENTION_DAYS } from "../constants.js";
import { PropChecks } from "../PropChecks.js";
import type { NodeFunction } from "./NodeFunction.js";

/** Props of {@link HttpApi}. */
export interface HttpApiProps {
  /** API name. */
  readonly apiName: string;
  /** The synchronous function behind every route (Lambda proxy, payload format 2.0). */
  readonly fn: NodeFunction;
  /** Route keys such as `POST /orders`, `GET /orders/{id}`. */
  readonly routes: readonly string[];
  /** Steady-state requests per second across the stage. Default 50. */
  readonly throttlingRateLimit?: number;
  /** Burst bucket size. Default 100. */
  readonly throttlingBurstLimit?: number;
  /** Access log retention in days. Default 30. */
  readonly accessLogRetentionInDays?: number;
  /**
   * JWT authorizer on every route: API Gateway answers 401 unless the request's `Authorization` header
   * holds a bearer token signed by `issuer` (keys from its /.well-known/openid-configuration) for one
   * of `audience`, unexpired. Default none: the routes answer anyone, which the policy rule
   * `rebound/api-route-authorization` rejects unless acknowledged with a reason.
   */
  readonly jwtAuthorizer?: { readonly issuer: string; readonly audience: readonly string[] };
}

/** HTTP API's integration timeout ceiling (30 s); a function allowed to run longer answers nobody. */
const MAX_INTEGRATION_TIMEOUT_MS = 30_000;

/**
 * API Gateway HTTP API in front of one synchronous function, with a JWT authorizer on every route, stage-wide throttling (the client
 * gets 429 before the function or its table is overwhelmed), JSON access logs with retention, and
 * an integration timeout sized from the function timeout. Lambda never retries a synchronous call:
 * the client decides, so the function must make retries safe (Idempotency-Key).
 *
 * @example
 * ```ts
 * import { HttpApi } from "@rebound/infra/constructs/HttpApi";
 * new HttpApi(stack, "orders-api", { apiName: "rebound-dev-orders", fn: api, routes: ["POST /orders", "GET /orders/{id}"],
 *   jwtAuthorizer: { issuer: "https://auth.example.com/", audience: ["rebound-orders-api"] } });
 * ```
 */
export class HttpApi extends Construct {
  public readonly api: Apigatewayv2Api;
  public readonly stage: Apigatewayv2Stage;
  /** The JWT authorizer every route uses; undefined without `jwtAuthorizer`. */
  public readonly authorizer: Apigatewayv2Authorizer | undefined;
  /** One route per route key, in the order given. */
  public readonly routes: readonly Apigatewayv2Route[];

  public constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    const checks = new PropChecks(`HttpApi ${id}`, props, [
      "apiName",
      "fn",
      "routes",
      "throttlingRateLimit",
      "throttlingBurstLimit",
      "accessLogRetentionInDays",
      "jwtAuthorizer",
    ]);
    checks.require(props.routes.length > 0, 'routes must list at least one route key such as "POST /orders"');
    for (const route of props.routes) {
      checks.require(
        /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) \/[^\s]*$/.test(route),
        `route ${JSON.stringify(route)} must be "<METHOD> /<path>", e.g. "GET /orders/{id}"`,
      );
    }
    checks.integer("throttlingRateLimit", props.throttlingRateLimit, 1, 10_000);
    checks.integer("throttlingBurstLimit", props.throttlingBurstLimit, 1, 5_000);
    checks.require(
      props.fn.timeout * 1000 <= MAX_INTEGRATION_TIMEOUT_MS,
      `fn timeout ${props.fn.timeout} s exceeds HTTP API's 30 s integration timeout; lower it to 29 or less`,
    );
    checks.require(
      props.accessLogRetentionInDays === undefined ||
        (LOG_RETENTION_DAYS as readonly number[]).includes(props.accessLogRetentionInDays),
      `accessLogRetentionInDays must be one of ${LOG_RETENTION_DAYS.join(", ")}`,
    );
    if (props.jwtAuthorizer !== undefined) {
      checks.string(
        "jwtAuthorizer.issuer",
        props.jwtAuthorizer.issuer,
        /^https:\/\/[^\s/]+(\/[^\s]*)?$/,
        "the https URL of the token issuer",
      );
      checks.require(
        props.jwtAuthorizer.audience.length > 0,
        'jwtAuthorizer.audience must list at least one audience, e.g. ["rebound-orders-api"]',
      );
    }
    checks.throwIfAny();

    this.api = new Apigatewayv2Api(this, "api", { name: props.apiName, protocolType: "HTTP" });
    const integration = new Apigatewayv2Integration(this, "integration", {
      apiId: this.api.id,
      integrationType: "AWS_PROXY",
      integrationUri: props.fn.arn,
      payloadFormatVersion: "2.0",
      // One second above the function timeout so the function's own timeout error wins the race.
      timeoutMilliseconds: Math.min(MAX_INTEGRATION_TIMEOUT_MS, (props.fn.timeout + 1) * 1000),
    });
    this.authorizer =
      props.jwtAuthorizer === undefined
        ? undefined
        : new Apigatewayv2Authorizer(this, "jwt-authorizer", {
            apiId: this.api.id,
            name: `${props.apiName}-jwt`,
            authorizerType: "JWT",
            identitySources: ["$request.header.Authorization"],
            jwtConfiguration: {
              issuer: props.jwtAuthorizer.issuer,
              audience: [...props.jwtAuthorizer.audience],
            },
          });
    this.routes = props.routes.map(
      (routeKey, index) =>
        new Apigatewayv2Route(this, `route-${index}`, {
          apiId: this.api.id,
          routeKey,
          target: `integrations/${integration.id}`,
          ...(this.authorizer !== undefined
            ? { authorizationType: "JWT", authorizerId: this.authorizer.id }
            : {}),
        }),
    );
    const accessLogs = new CloudwatchLogGroup(this, "access-logs", {
      name: `/aws/apigateway/${props.apiName}`,
      retentionInDays: props.accessLogRetentionInDays ?? 30,
    });
    this.stage = new Apigatewayv2Stage(this, "stage", {
      apiId: this.api.id,
      name: "$default",
      autoDeploy: true,
      defaultRouteSettings: {
        throttlingRateLimit: props.throttlingRateLimit ?? 50,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 100,
      },
      accessLogSettings: {
        destinationArn: accessLogs.arn,
        format: JSON.stringify({
          requestId: "$context.requestId",
          routeKey: "$context.routeKey",
          status: "$context.status",
          integrationStatus: "$context.integrationStatus",
          integrationError: "$context.integrationErrorMessage",
          responseLatency: "$context.responseLatency",
        }),
      },
    });
    new LambdaPermission(this, "invoke-permission", {
      statementId: "http-api",
      action: "lambda:InvokeFunction",
      functionName: props.fn.function.functionName,
      principal: "apigateway.amazonaws.com",
      sourceArn: `${this.api.executionArn}/*/*`,
    });
  }

  /** The stage URL clients call. */
  public get url(): string {
    return this.api.apiEndpoint;
  }
}
