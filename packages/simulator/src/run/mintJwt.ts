import type { JwtAuthorizerConfig } from "../apigateway/jwtAuthorizer.js";

/**
 * An unsigned JWT (`alg: none`) for a JWT authorizer, as a scenario's `jwt:` asks: the authorizer's
 * issuer and first audience, issued now and valid for an hour of virtual time, then the given claims
 * (which override those, so `{ exp: 0 }` makes an expired token). The simulator's authorizer does not
 * verify signatures, so the token needs none; a real API would refuse it.
 *
 * @example
 * ```ts
 * const token = mintJwt(authorizer, { sub: "customer-1" }, Date.UTC(2026, 0, 1));
 * ```
 */
export function mintJwt(
  authorizer: JwtAuthorizerConfig,
  claims: Readonly<Record<string, unknown>>,
  nowMs: number,
): string {
  const issuedAt = Math.floor(nowMs / 1000);
  const payload = {
    iss: authorizer.issuer,
    aud: authorizer.audience[0],
    iat: issuedAt,
    exp: issuedAt + 3600,
    ...claims,
  };
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "none", typ: "JWT" })}.${encode(payload)}.`;
}
