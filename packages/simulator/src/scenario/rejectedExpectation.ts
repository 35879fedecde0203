import type { RejectedExpectation } from "./Scenario.js";
import type { MapFields, YamlReader } from "./YamlReader.js";
import { joinPath } from "./YamlReader.js";

/**
 * One reason AWS would refuse to deploy the stack, as the run found it (the fields of the
 * simulator's `AwsRejection`).
 */
export interface ObservedRejection {
  /** Terraform address (`aws_lambda_event_source_mapping.jobs`). */
  readonly address: string;
  /** The API call AWS refuses (`CreateEventSourceMapping`). */
  readonly operation: string;
  /** AWS's error code (`InvalidParameterValueException`). */
  readonly code: string;
  readonly httpStatus: number;
  readonly awsMessage: string;
}

const TERRAFORM_ADDRESS = /^[a-z0-9_]+\.[A-Za-z0-9_-]+$/;

/**
 * Parses a `rejected` expectation: AWS would refuse the stack, with a rejection matching every field
 * given: `resource` (Terraform address), `operation`, `code`, `status` (HTTP) and `message` (text
 * AWS's message contains). At least one of them is required, so the check says which refusal.
 *
 * @example
 * ```ts
 * // - { check: rejected, resource: aws_lambda_event_source_mapping.jobs, code: InvalidParameterValueException, message: "less than Function timeout" }
 * const rejected = parseRejectedFields(r, fields, "expect[0]");
 * ```
 */
export function parseRejectedFields(
  r: YamlReader,
  fields: MapFields,
  path: string,
): RejectedExpectation | undefined {
  const get = (key: string) => fields.entries.get(key)?.value;
  if (!["resource", "operation", "code", "status", "message"].some((key) => get(key) !== undefined)) {
    r.report(
      fields.node,
      path,
      "expectation rejected checks nothing; add code (e.g. InvalidParameterValueException), message, resource, operation or status",
    );
    return undefined;
  }
  const text = (key: string, rule?: Parameters<YamlReader["string"]>[2]) =>
    get(key) === undefined ? undefined : r.string(get(key), joinPath(path, key), rule);
  const resource = text("resource", {
    pattern: TERRAFORM_ADDRESS,
    hint: "a Terraform address <type>.<name>, e.g. aws_lambda_event_source_mapping.jobs",
  });
  const operation = text("operation");
  const code = text("code");
  const message = text("message");
  const status =
    get("status") === undefined
      ? undefined
      : r.number(get("status"), joinPath(path, "status"), { integer: true, min: 400, max: 599 });
  const given = { resource, operation, code, message, status };
  if (Object.entries(given).some(([key, value]) => get(key) !== undefined && value === undefined))
    return undefined;
  return given;
}

/**
 * Checks a `rejected` expectation against the rejections the run found: one must match every field
 * the expectation gives. An empty list means AWS would accept the stack, and the check fails.
 *
 * @example
 * ```ts
 * evaluateRejected({ code: "InvalidParameterValueException", resource: undefined, operation: undefined, message: undefined, status: undefined }, rejections);
 * // { ok: true, detail: "aws_lambda_event_source_mapping.jobs: CreateEventSourceMapping fails with InvalidParameterValueException (400): …" }
 * ```
 */
export function evaluateRejected(
  expectation: RejectedExpectation,
  rejections: readonly ObservedRejection[],
): { ok: boolean; detail: string } {
  if (rejections.length === 0)
    return { ok: false, detail: "AWS would accept this stack: no deploy-time check refuses it" };
  const describe = (rejection: ObservedRejection) =>
    `${rejection.address}: ${rejection.operation} fails with ${rejection.code} (${rejection.httpStatus}): ${rejection.awsMessage}`;
  const match = rejections.find(
    (rejection) =>
      (expectation.resource === undefined || rejection.address === expectation.resource) &&
      (expectation.operation === undefined || rejection.operation === expectation.operation) &&
      (expectation.code === undefined || rejection.code === expectation.code) &&
      (expectation.status === undefined || rejection.httpStatus === expectation.status) &&
      (expectation.message === undefined || rejection.awsMessage.includes(expectation.message)),
  );
  if (match !== undefined) return { ok: true, detail: describe(match) };
  const { resource, operation, code, status, message } = expectation;
  const wanted = Object.entries({ resource, operation, code, status, message })
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key} ${JSON.stringify(value)}`)
    .join(", ");
  return {
    ok: false,
    detail: `no rejection has ${wanted}; AWS would refuse the stack with:\n${rejections
      .slice(0, 5)
      .map((rejection) => `    ${describe(rejection)}`)
      .join("\n")}`,
  };
}
