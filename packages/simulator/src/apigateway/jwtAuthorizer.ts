import { ConfigurationError } from "../engine/errors.js";
import { assertOptions, assertString } from "../engine/validate.js";

/** An HTTP API JWT authorizer (`aws_apigatewayv2_authorizer` with `authorizer_type = "JWT"`). */
export interface JwtAuthorizerConfig {
  readonly name: string;
  /** `jwt_configuration.issuer`: the token's `iss` must equal it. */
  readonly issuer: string;
  /** `jwt_configuration.audience`: the token's `aud` (or `client_id`) must be one of them. */
  readonly audience: readonly string[];
  /** The header that carries the token, lower case (from `$request.header.Authorization`). */
  readonly identityHeader: string;
}

/** What the authorizer decided for one request. */
export type JwtDecision =
  | {
      readonly allowed: true;
      /** `requestContext.authorizer.jwt` of the payload format 2.0 event. */
      readonly jwt: { readonly claims: Readonly<Record<string, string>>; readonly scopes: string[] | null };
    }
  | {
      readonly allowed: false;
      readonly statusCode: 401 | 403;
      readonly body: string;
      readonly headers: Readonly<Record<string, string>>;
      /** Why, for the trace and the report. */
      readonly reason: string;
    };

const UNAUTHORIZED = '{"message":"Unauthorized"}';
const FORBIDDEN = '{"message":"Forbidden"}';

/**
 * Checks a request the way an HTTP API JWT authorizer does, on the virtual clock: no token in the
 * identity header is a 401 `{"message":"Unauthorized"}`; a token that is not a JWT, has another
 * issuer, none of the audiences (`aud`, or `client_id` when there is no `aud`), or is expired (`exp`),
 * not yet valid (`nbf`) or issued in the future (`iat`) is a 401 with a
 * `www-authenticate` header; a route with `authorization_scopes` needs one of them in the token's
 * `scope`/`scp` claim, else 403 `{"message":"Forbidden"}`. The signature is **not** verified: the
 * issuer's keys cannot be fetched offline (docs/aws-semantics.md#choice-jwt-signature). A `Bearer `
 * prefix is accepted, as AWS does.
 *
 * @example
 * ```ts
 * const decision = authorizeJwt(authorizer, { authorization: token }, [], Date.now());
 * if (decision.allowed) console.log(decision.jwt.claims.sub);
 * ```
 */
export function authorizeJwt(
  authorizer: JwtAuthorizerConfig,
  headers: Readonly<Record<string, unknown>>,
  requiredScopes: readonly string[],
  nowMs: number,
): JwtDecision {
  const header = Object.entries(headers).find(
    ([name]) => name.toLowerCase() === authorizer.identityHeader,
  )?.[1];
  if (typeof header !== "string" || header.trim() === "")
    return denied(401, UNAUTHORIZED, "no token", undefined);
  const token = header.trim().replace(/^Bearer\s+/i, "");
  const claims = decodeClaims(token);
  if (claims === undefined) return denied(401, UNAUTHORIZED, "not a JWT", "invalid_token");
  const seconds = Math.floor(nowMs / 1000);
  if (claims.iss !== authorizer.issuer)
    return denied(
      401,
      UNAUTHORIZED,
      `issuer ${String(claims.iss)} is not ${authorizer.issuer}`,
      "invalid_token",
    );
  // AWS reads client_id only when the token has no aud.
  const audiences = [claims.aud ?? claims.client_id].flat().filter((value) => typeof value === "string");
  if (!audiences.some((audience) => authorizer.audience.includes(audience as string)))
    return denied(401, UNAUTHORIZED, "the token does not have a valid audience", "invalid_token");
  if (typeof claims.exp === "number" && claims.exp <= seconds)
    return denied(401, UNAUTHORIZED, "the token has expired", "invalid_token");
  if (typeof claims.nbf === "number" && claims.nbf > seconds)
    return denied(401, UNAUTHORIZED, "the token is not valid yet", "invalid_token");
  if (typeof claims.iat === "number" && claims.iat > seconds)
    return denied(401, UNAUTHORIZED, "the token was issued in the future", "invalid_token");
  const scopeText =
    typeof claims.scope === "string" ? claims.scope : typeof claims.scp === "string" ? claims.scp : "";
  const scopes = scopeText === "" ? [] : scopeText.split(" ");
  if (requiredScopes.length > 0 && !requiredScopes.some((scope) => scopes.includes(scope)))
    return denied(403, FORBIDDEN, `none of the scopes ${requiredScopes.join(", ")}`, "insufficient_scope");
  // AWS passes every claim as a string (arrays and objects as their JSON-like text).
  const stringClaims = Object.fromEntries(
    Object.entries(claims).map(([key, value]) => [
      key,
      typeof value === "string" ? value : JSON.stringify(value),
    ]),
  );
  return { allowed: true, jwt: { claims: stringClaims, scopes: scopes.length > 0 ? scopes : null } };
}

/**
 * Validates an authorizer's configuration.
 *
 * @example
 * ```ts
 * checkJwtAuthorizer({ name: "jwt", issuer: "https://issuer/", audience: ["api"], identityHeader: "authorization" });
 * ```
 */
export function checkJwtAuthorizer(config: JwtAuthorizerConfig): void {
  assertOptions("JWT authorizer", config, ["name", "issuer", "audience", "identityHeader"]);
  assertString("JWT authorizer", "name", config.name);
  assertString(`JWT authorizer ${config.name}`, "issuer", config.issuer);
  assertString(`JWT authorizer ${config.name}`, "identityHeader", config.identityHeader);
  if (!Array.isArray(config.audience) || config.audience.length === 0)
    throw new ConfigurationError(
      "audience",
      `JWT authorizer ${config.name}: jwt_configuration.audience must list at least one audience`,
    );
}

function decodeClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, "base64url").toString("utf8")) as unknown;
    return claims !== null && typeof claims === "object" && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function denied(statusCode: 401 | 403, body: string, reason: string, error: string | undefined): JwtDecision {
  return {
    allowed: false,
    statusCode,
    body,
    headers: {
      "content-type": "application/json",
      ...(error === undefined
        ? {}
        : { "www-authenticate": `Bearer scope="" error="${error}" error_description="${reason}"` }),
    },
    reason,
  };
}
