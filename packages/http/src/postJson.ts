import { RetryableError } from "@rebound/errors";

/** The `fetch` this module needs; global `fetch` by default, a stand-in in unit tests. */
export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/** Options of {@link postJson}. */
export interface PostJsonOptions {
  readonly fetch?: Fetch;
  /** Abort the request after this many ms; the caller treats it as retryable. */
  readonly timeoutMs: number;
  readonly headers?: Record<string, string>;
}

/** A provider's answer: status, headers and the body parsed as JSON when it is JSON. */
export interface JsonResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

/**
 * POSTs JSON and reads the answer. Network failures and timeouts become {@link RetryableError}
 * (the request may or may not have reached the provider: callers send an Idempotency-Key so a
 * retry cannot double the effect). Status handling is the caller's: each provider means
 * something different by a 409 or a 422.
 *
 * @example
 * ```ts
 * const { status, body } = await postJson("https://pay.example/charges", { orderId }, { timeoutMs: 5000 });
 * ```
 */
export async function postJson(
  url: string,
  payload: unknown,
  options: PostJsonOptions,
): Promise<JsonResponse> {
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json", ...options.headers },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
    throw new RetryableError(
      timedOut
        ? `POST ${url} timed out after ${options.timeoutMs} ms`
        : `POST ${url} failed: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error, code: timedOut ? "UPSTREAM_TIMEOUT" : "UPSTREAM_UNREACHABLE" },
    );
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    // The body timed out or the connection dropped mid-answer: outcome unknown, so retry.
    throw new RetryableError(`POST ${url}: reading the answer failed`, {
      cause: error,
      code: "UPSTREAM_TIMEOUT",
    });
  }
  let body: unknown = text;
  if (text.length > 0 && (response.headers.get("content-type") ?? "").includes("json")) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: response.status, headers: response.headers, body };
}

/**
 * Seconds to wait from a `Retry-After` header (delta-seconds or an HTTP date), or undefined.
 *
 * @example
 * ```ts
 * retryAfterSeconds(response.headers, Date.now()); // 30 for "Retry-After: 30"
 * ```
 */
export function retryAfterSeconds(headers: Headers, nowMs: number): number | undefined {
  const value = headers.get("retry-after");
  if (value === null) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/**
 * A short, log-safe description of an error body (`code: message` when the provider sent one).
 *
 * @example
 * ```ts
 * describeBody({ error: { code: "card_declined", message: "Insufficient funds" } }); // "card_declined: Insufficient funds"
 * ```
 */
export function describeBody(body: unknown): string {
  if (typeof body === "object" && body !== null) {
    const error = (body as { error?: unknown }).error ?? body;
    if (typeof error === "object" && error !== null) {
      const { code, message } = error as { code?: unknown; message?: unknown };
      const parts = [code, message].filter((part) => typeof part === "string");
      if (parts.length > 0) return parts.join(": ");
    }
  }
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return (text ?? "").slice(0, 200);
}
