import { AwsServiceError } from "./errors.js";

/**
 * Wire helpers shared by the protocol files: AWS JSON 1.0/1.1 bodies and errors, the query protocol's
 * form parameters, and its XML responses and `<ErrorResponse>`.
 */

/**
 * What the servers write to: `http.ServerResponse` and `http2.Http2ServerResponse` both fit (the
 * Kinesis client speaks HTTP/2, every other client HTTP/1.1).
 */
export interface WireResponse {
  writeHead(statusCode: number, headers?: Record<string, string | number>): unknown;
  end(): unknown;
  end(chunk: string | Uint8Array): unknown;
  readonly headersSent: boolean;
}

/** A request body to read: `http.IncomingMessage` and `http2.Http2ServerRequest` both fit. */
export type WireRequest = AsyncIterable<unknown>;

/** 16 MiB: DynamoDB's request limit and above every other service's, so nothing legal is refused. */
export const MAX_REQUEST_BYTES = 16 * 1024 * 1024;

/** Reads a whole request body, refusing bodies above `MAX_REQUEST_BYTES`. */
export async function readBody(request: WireRequest): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_REQUEST_BYTES) {
      throw new AwsServiceError(
        "RequestEntityTooLarge",
        `request body above ${MAX_REQUEST_BYTES} bytes`,
        413,
      );
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** The JSON protocol's content types: 1.0 for SQS, SFN, DynamoDB(Streams); 1.1 for Kinesis, SSM. */
export const JsonContentType = {
  v10: "application/x-amz-json-1.0",
  v11: "application/x-amz-json-1.1",
} as const;

/** Writes a JSON protocol success. */
export function sendJson(
  response: WireResponse,
  contentType: string,
  requestId: string,
  body: unknown,
): void {
  const text = JSON.stringify(body ?? {});
  response.writeHead(200, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": requestId,
  });
  response.end(text);
}

/**
 * Writes a JSON protocol error. `__type` is what the SDK reads to pick the exception class; it
 * strips any `namespace#` prefix. `queryErrorCode` fills SQS's `x-amzn-query-error` header (the
 * awsQueryCompatible trait), from which the SDK sets the error's legacy `Code`.
 */
export function sendJsonError(
  response: WireResponse,
  contentType: string,
  requestId: string,
  error: AwsServiceError,
  type: string,
  queryErrorCode?: string,
): void {
  const text = JSON.stringify({ __type: type, message: error.message });
  const headers: Record<string, string | number> = {
    "content-type": contentType,
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": requestId,
  };
  if (queryErrorCode !== undefined) {
    headers["x-amzn-query-error"] = `${queryErrorCode};${error.senderFault ? "Sender" : "Receiver"}`;
  }
  response.writeHead(error.statusCode, headers);
  response.end(text);
}

/** Parses a JSON protocol body into an object; an invalid body is AWS's `SerializationException`. */
export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch (cause) {
    throw new AwsServiceError("SerializationException", "the request body is not valid JSON", 400, { cause });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new AwsServiceError("SerializationException", "the request body must be a JSON object", 400);
  }
  return parsed as Record<string, unknown>;
}

/** Form parameters of a query protocol request, in their order of appearance. */
export type QueryParams = ReadonlyMap<string, string>;

/** Parses an `application/x-www-form-urlencoded` body (and the URL's query string, for GETs). */
export function parseQueryParams(body: Buffer, url: string | undefined): QueryParams {
  const params = new Map<string, string>();
  const search = url?.includes("?") ? url.slice(url.indexOf("?") + 1) : "";
  for (const [key, value] of new URLSearchParams(search)) params.set(key, value);
  for (const [key, value] of new URLSearchParams(body.toString("utf8"))) params.set(key, value);
  return params;
}

/**
 * The members of a query-protocol list: `Prefix.1.X`, `Prefix.2.X`, ... become one map per index
 * holding `X` (and deeper keys), ordered by index. AWS numbers lists from 1.
 */
export function queryList(params: QueryParams, prefix: string): Map<string, string>[] {
  const byIndex = new Map<number, Map<string, string>>();
  const head = `${prefix}.`;
  for (const [key, value] of params) {
    if (!key.startsWith(head)) continue;
    const rest = key.slice(head.length);
    const dot = rest.indexOf(".");
    const index = Number(dot === -1 ? rest : rest.slice(0, dot));
    if (!Number.isInteger(index) || index < 1) continue;
    let member = byIndex.get(index);
    if (member === undefined) {
      member = new Map();
      byIndex.set(index, member);
    }
    member.set(dot === -1 ? "" : rest.slice(dot + 1), value);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, member]) => member);
}

/** The values of a flat query list (`AttributeName.1=All&AttributeName.2=...`). */
export function queryValues(params: QueryParams, prefix: string): string[] {
  return queryList(params, prefix)
    .map((member) => member.get(""))
    .filter((value): value is string => value !== undefined);
}

/** Escapes text for an XML element body. */
export function xmlEscape(text: string): string {
  return text.replace(/[&<>"'\r]/g, (c) => {
    switch (c) {
      case "&":
        return "&amp;";
      case "<":
        return "&lt;";
      case ">":
        return "&gt;";
      case '"':
        return "&quot;";
      case "'":
        return "&apos;";
      default:
        return "&#13;";
    }
  });
}

/** One XML element; `undefined` content omits it (AWS leaves absent members out). */
export function xml(name: string, content: string | number | boolean | undefined): string {
  if (content === undefined) return "";
  return `<${name}>${typeof content === "string" ? xmlEscape(content) : String(content)}</${name}>`;
}

/** An element whose content is already XML. */
export function xmlRaw(name: string, inner: string): string {
  return `<${name}>${inner}</${name}>`;
}

/** Writes a query protocol success: `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>`. */
export function sendQueryResult(
  response: WireResponse,
  action: string,
  namespace: string,
  requestId: string,
  resultXml: string | undefined,
): void {
  const result = resultXml === undefined ? "" : xmlRaw(`${action}Result`, resultXml);
  const text =
    `<?xml version="1.0"?><${action}Response xmlns="${namespace}">${result}` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  response.writeHead(200, {
    "content-type": "text/xml",
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": requestId,
  });
  response.end(text);
}

/** Writes a query protocol error: `<ErrorResponse><Error><Type/><Code/><Message/></Error>`. */
export function sendQueryError(
  response: WireResponse,
  namespace: string,
  requestId: string,
  error: AwsServiceError,
  code: string,
): void {
  const text =
    `<?xml version="1.0"?><ErrorResponse xmlns="${namespace}"><Error>` +
    xml("Type", error.senderFault ? "Sender" : "Receiver") +
    xml("Code", code) +
    xml("Message", error.message) +
    `</Error>${xml("RequestId", requestId)}</ErrorResponse>`;
  response.writeHead(error.statusCode, {
    "content-type": "text/xml",
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": requestId,
  });
  response.end(text);
}

/** Reads an optional string member of a JSON request, or throws AWS's validation error naming it. */
export function optionalString(input: Record<string, unknown>, key: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") {
    throw new AwsServiceError("ValidationException", `${key} must be a string`, 400);
  }
  return value;
}

/** Reads a required string member, or throws AWS's missing-parameter error naming it. */
export function requiredString(
  input: Record<string, unknown>,
  key: string,
  code = "ValidationException",
): string {
  const value = optionalString(input, key);
  if (value === undefined || value === "") {
    throw new AwsServiceError(code, `The request must contain the parameter ${key}.`, 400);
  }
  return value;
}

/** Reads an optional integer member (JSON number, or a query-protocol string of digits). */
export function optionalInteger(input: Record<string, unknown>, key: string): number | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  const number = typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isInteger(number)) {
    throw new AwsServiceError("ValidationException", `${key} must be an integer`, 400);
  }
  return number;
}

/** Reads an optional array member. */
export function optionalArray(input: Record<string, unknown>, key: string): unknown[] | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw new AwsServiceError("ValidationException", `${key} must be a list`, 400);
  return value;
}

/** Reads an optional object member. */
export function optionalObject(
  input: Record<string, unknown>,
  key: string,
): Record<string, unknown> | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new AwsServiceError("ValidationException", `${key} must be a structure`, 400);
  }
  return value as Record<string, unknown>;
}

/** Epoch milliseconds as the JSON protocols write timestamps: epoch seconds, fractional. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}
