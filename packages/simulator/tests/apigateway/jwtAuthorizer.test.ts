import { describe, expect, it } from "vitest";
import { authorizeJwt, type JwtAuthorizerConfig } from "../../src/index.js";
import { mintJwt } from "../../src/run/mintJwt.js";

const NOW = Date.UTC(2026, 0, 1);
const AUTHORIZER: JwtAuthorizerConfig = {
  name: "orders-jwt",
  issuer: "https://auth.example.com/",
  audience: ["orders-api"],
  identityHeader: "authorization",
};
const token = (claims: Record<string, unknown> = {}) => mintJwt(AUTHORIZER, claims, NOW);

describe("authorizeJwt (HTTP API JWT authorizer)", () => {
  it("answers 401 Unauthorized without a token", () => {
    const decision = authorizeJwt(AUTHORIZER, {}, [], NOW);
    expect(decision).toMatchObject({ allowed: false, statusCode: 401, body: '{"message":"Unauthorized"}' });
  });

  it("accepts a token with or without the Bearer prefix, in any header case, and passes claims as strings", () => {
    for (const headers of [
      { Authorization: `Bearer ${token({ sub: "c-1", groups: ["a", "b"] })}` },
      { authorization: token({ sub: "c-1", groups: ["a", "b"] }) },
    ]) {
      const decision = authorizeJwt(AUTHORIZER, headers, [], NOW);
      expect(decision.allowed).toBe(true);
      if (decision.allowed) {
        expect(decision.jwt.claims).toMatchObject({
          sub: "c-1",
          iss: AUTHORIZER.issuer,
          groups: '["a","b"]',
        });
        expect(decision.jwt.claims.exp).toBe(String(NOW / 1000 + 3600));
        expect(decision.jwt.scopes).toBeNull();
      }
    }
  });

  it.each([
    ["not a JWT", "abc", "not a JWT"],
    ["another issuer", token({ iss: "https://evil.example.com/" }), "issuer"],
    ["another audience", token({ aud: "billing" }), "the token does not have a valid audience"],
    [
      "a right client_id beside a wrong aud",
      token({ aud: "billing", client_id: "orders-api" }),
      "valid audience",
    ],
    ["a token issued in the future", token({ iat: NOW / 1000 + 60 }), "issued in the future"],
    ["an expired token", token({ exp: NOW / 1000 }), "the token has expired"],
    ["a token not valid yet", token({ nbf: NOW / 1000 + 60 }), "not valid yet"],
  ])("answers 401 with www-authenticate for %s", (_, value, reason) => {
    const decision = authorizeJwt(AUTHORIZER, { authorization: value }, [], NOW);
    expect(decision).toMatchObject({ allowed: false, statusCode: 401 });
    if (!decision.allowed) {
      expect(decision.reason).toContain(reason);
      expect(decision.headers["www-authenticate"]).toContain('error="invalid_token"');
    }
  });

  it("takes client_id as the audience when aud is absent", () => {
    const decision = authorizeJwt(
      AUTHORIZER,
      { authorization: token({ aud: undefined, client_id: "orders-api" }) },
      [],
      NOW,
    );
    expect(decision.allowed).toBe(true);
  });

  it("needs one of the route's scopes, else 403 Forbidden", () => {
    const denied = authorizeJwt(
      AUTHORIZER,
      { authorization: token({ scope: "orders/read" }) },
      ["orders/write"],
      NOW,
    );
    expect(denied).toMatchObject({ allowed: false, statusCode: 403, body: '{"message":"Forbidden"}' });
    const allowed = authorizeJwt(
      AUTHORIZER,
      { authorization: token({ scope: "orders/read orders/write" }) },
      ["orders/write"],
      NOW,
    );
    expect(allowed.allowed && allowed.jwt.scopes).toEqual(["orders/read", "orders/write"]);
  });
});
