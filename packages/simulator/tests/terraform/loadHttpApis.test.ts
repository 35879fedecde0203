import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadStack, scripted, TerraformJson, Topology } from "../../src/index.js";

const ORDERS_STACK = fileURLToPath(
  new URL("../../../../infra/cdktf.out/stacks/orders/cdk.tf.json", import.meta.url),
);
const identity = {
  region: "eu-west-1",
  accountId: "123456789012",
  endpointUrl: "http://127.0.0.1:1",
  streamLabel: "2026-01-01T00:00:00.000",
};
const load = (document: unknown) =>
  loadStack(new TerraformJson(document as never), new Topology({ region: "eu-west-1" }), {
    identity,
    handlerFor: () => scripted.succeed(),
  });

const api = (route: Record<string, unknown>, stage: Record<string, unknown> = {}) => ({
  resource: {
    aws_lambda_function: { api: { function_name: "api", timeout: 10 } },
    aws_apigatewayv2_api: { http: { name: "orders", protocol_type: "HTTP" } },
    aws_apigatewayv2_integration: {
      api: {
        api_id: "${aws_apigatewayv2_api.http.id}",
        integration_type: "AWS_PROXY",
        integration_uri: "${aws_lambda_function.api.arn}",
        payload_format_version: "2.0",
      },
    },
    aws_apigatewayv2_stage: {
      main: { api_id: "${aws_apigatewayv2_api.http.id}", name: "$default", ...stage },
    },
    aws_apigatewayv2_authorizer: {
      jwt: {
        api_id: "${aws_apigatewayv2_api.http.id}",
        name: "orders-jwt",
        authorizer_type: "JWT",
        identity_sources: ["$request.header.Authorization"],
        jwt_configuration: { issuer: "https://auth.example.com/", audience: ["orders"] },
      },
    },
    aws_apigatewayv2_route: {
      post: {
        api_id: "${aws_apigatewayv2_api.http.id}",
        route_key: "POST /orders",
        target: "integrations/${aws_apigatewayv2_integration.api.id}",
        ...route,
      },
    },
  },
});

describe("loading HTTP APIs: throttling and authorization", () => {
  it("reads the orders stack's JWT authorizer and stage throttle onto both routes", () => {
    const loaded = load(JSON.parse(readFileSync(ORDERS_STACK, "utf8")));
    expect(loaded.routes.map((route) => route.routeKey).sort()).toEqual(["GET /orders/{id}", "POST /orders"]);
    for (const route of loaded.routes) {
      expect(route.throttle).toEqual({ rateLimit: 20, burstLimit: 40 });
      expect(route.authorization).toMatchObject({
        type: "JWT",
        authorizer: {
          issuer: "https://auth.dev.example.com/",
          audience: ["rebound-orders-api"],
          identityHeader: "authorization",
        },
      });
    }
    expect(loaded.unmodelled.join(" ")).not.toMatch(/apigatewayv2/);
  });

  it("gives every function of the orders stack its execution role from the stack", () => {
    const topology = new Topology({ region: "eu-west-1" });
    loadStack(new TerraformJson(JSON.parse(readFileSync(ORDERS_STACK, "utf8"))), topology, {
      identity,
      handlerFor: () => scripted.succeed(),
    });
    const roles = topology.resources().functions.map((fn) => fn.roleArn);
    expect(roles.length).toBeGreaterThan(5);
    for (const role of roles) expect(role).toMatch(/^arn:aws:iam::123456789012:role\/rebound-dev-[a-z-]+$/);
  });

  it("takes a route's own route_settings over the stage default, and scopes from the route", () => {
    const loaded = load(
      api(
        {
          authorization_type: "JWT",
          authorizer_id: "${aws_apigatewayv2_authorizer.jwt.id}",
          authorization_scopes: ["orders/write"],
        },
        {
          default_route_settings: { throttling_rate_limit: 20, throttling_burst_limit: 40 },
          route_settings: [
            { route_key: "POST /orders", throttling_rate_limit: 5, throttling_burst_limit: 2 },
          ],
        },
      ),
    );
    expect(loaded.routes[0]?.throttle).toEqual({ rateLimit: 5, burstLimit: 2 });
    expect(loaded.routes[0]?.authorization).toMatchObject({ type: "JWT", scopes: ["orders/write"] });
  });

  it("leaves a route without authorization_type open and without stage throttling unthrottled", () => {
    const loaded = load(api({}));
    expect(loaded.routes[0]).toMatchObject({ authorization: { type: "NONE" } });
    expect(loaded.routes[0]?.throttle).toBeUndefined();
  });

  it.each([
    [
      { authorization_type: "AWS_IAM" },
      /authorization_type AWS_IAM is not modelled by the simulator \(JWT and NONE are\)/,
    ],
    [
      { authorization_type: "JWT" },
      /authorization_type JWT needs authorizer_id to name an aws_apigatewayv2_authorizer/,
    ],
  ])("refuses %j rather than letting every request through", (route, message) => {
    expect(() => load(api(route))).toThrow(message);
  });
});
