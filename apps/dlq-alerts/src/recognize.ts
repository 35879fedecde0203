import { PARKED_EVENT_KIND } from "@rebound/errors";
import type { SQSRecord } from "aws-lambda";
import { functionNameOf, queueNameOf } from "./arns.js";
import { type FailedEvent, FailureKind, type StreamBatch } from "./failedEvent.js";

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function str(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}
function iso(epochMsText: string | undefined): string | undefined {
  const ms = Number(epochMsText);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms).toISOString() : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** SNS-delivered destination records arrive wrapped in an SNS notification envelope. */
function unwrapSns(value: unknown): unknown {
  if (isObject(value) && value["Type"] === "Notification" && typeof value["Message"] === "string") {
    return parseJson(value["Message"]) ?? value;
  }
  return value;
}

function fromParked(body: Json, base: Base): FailedEvent {
  const record = isObject(body["record"]) ? body["record"] : undefined;
  const trigger = str(body["trigger"]) ?? "unknown";
  const functionName = str(body["functionName"]);
  const eventSourceArn = str(body["eventSourceARN"]) ?? str(record?.["eventSourceARN"]);
  const attributes = isObject(record?.["attributes"]) ? record["attributes"] : {};
  const code = str(body["errorCode"]);
  const receiveCount = body["receiveCount"] ?? body["attempt"];
  return {
    ...base,
    kind: FailureKind.Parked,
    source:
      [functionName, eventSourceArn && `${trigger} ${eventSourceArn}`].filter(Boolean).join(" ← ") || trigger,
    error: `${str(body["errorName"]) ?? "Error"}: ${str(body["errorMessage"]) ?? "(no message)"}${code ? ` (${code})` : ""}`,
    attempts:
      trigger === "sqs"
        ? `${String(receiveCount ?? "?")} (SQS receive count), then parked as permanent`
        : `${String(body["attempt"] ?? "?")} (seen by this container), then parked as permanent`,
    firstSeen: iso(str(attributes["SentTimestamp"])) ?? base.firstSeen,
    lastSeen: str(body["parkedAt"]) ?? base.lastSeen,
    original: body["event"] ?? record,
    ...(functionName ? { functionName } : {}),
    ...(trigger === "sqs" && eventSourceArn ? { redriveTo: eventSourceArn } : {}),
  };
}

function fromAsyncDestination(body: Json, base: Base): FailedEvent {
  const context = isObject(body["requestContext"]) ? body["requestContext"] : {};
  const response = isObject(body["responsePayload"]) ? body["responsePayload"] : {};
  const functionArn = str(context["functionArn"]) ?? "unknown function";
  const condition = str(context["condition"]) ?? "unknown condition";
  const errorType = str(response["errorType"]);
  return {
    ...base,
    kind: FailureKind.AsyncDestination,
    source: `${functionNameOf(functionArn)} (async, request ${str(context["requestId"]) ?? "?"})`,
    error: errorType ? `${errorType}: ${str(response["errorMessage"]) ?? ""} [${condition}]` : condition,
    attempts: `${String(context["approximateInvokeCount"] ?? "?")} (Lambda's approximateInvokeCount)`,
    lastSeen: str(body["timestamp"]) ?? base.lastSeen,
    original: body["requestPayload"],
    functionName: functionNameOf(functionArn),
  };
}

function fromStreamDestination(
  body: Json,
  base: Base,
  info: Json,
  service: StreamBatch["service"],
): FailedEvent {
  const context = isObject(body["requestContext"]) ? body["requestContext"] : {};
  const response = isObject(body["responseContext"]) ? body["responseContext"] : {};
  const functionArn = str(context["functionArn"]) ?? "unknown function";
  const condition = str(context["condition"]) ?? "unknown condition";
  const functionError = response["functionError"];
  const stream: StreamBatch = {
    service,
    streamArn: str(info["streamArn"]) ?? "",
    shardId: str(info["shardId"]) ?? "",
    startSequenceNumber: str(info["startSequenceNumber"]) ?? "",
    endSequenceNumber: str(info["endSequenceNumber"]) ?? "",
    batchSize: Number(info["batchSize"] ?? 0),
  };
  return {
    ...base,
    kind: FailureKind.StreamDestination,
    source: `${functionNameOf(functionArn)} ← ${service === "dynamodb" ? "DynamoDB stream" : "Kinesis"} ${stream.streamArn} (${stream.shardId})`,
    error:
      condition +
      (typeof functionError === "string"
        ? ` (function error: ${functionError})`
        : functionError === null
          ? " (records reported in batchItemFailures)"
          : ""),
    attempts: `${String(context["approximateInvokeCount"] ?? "?")} (Lambda's approximateInvokeCount) for ${stream.batchSize} record(s)`,
    firstSeen: str(info["approximateArrivalOfFirstRecord"]) ?? base.firstSeen,
    lastSeen: str(body["timestamp"]) ?? base.lastSeen,
    original: undefined,
    stream,
    functionName: functionNameOf(functionArn),
  };
}

type Base = Pick<FailedEvent, "foundIn" | "foundInArn" | "firstSeen" | "lastSeen">;

/**
 * Recognises every shape that lands in the orders system's failure queues and turns it into one
 * {@link FailedEvent}: a Rebound parked event, an async on-failure destination record, a stream
 * on-failure record (DynamoDB or Kinesis; SQS body or SNS envelope), a function DLQ message
 * (RequestID/ErrorCode/ErrorMessage attributes) and, for anything else, a message moved by an SQS
 * redrive policy. Never throws: an unknown shape is still an alert.
 *
 * @example
 * ```ts
 * const failed = recognize(record, Date.now());
 * console.log(failed.kind, failed.error);
 * ```
 */
export function recognize(record: SQSRecord, nowMs: number): FailedEvent {
  const foundInArn = record.eventSourceARN;
  const base: Base = {
    foundIn: queueNameOf(foundInArn),
    foundInArn,
    firstSeen: iso(record.attributes?.SentTimestamp),
    lastSeen: new Date(nowMs).toISOString(),
  };
  const body = unwrapSns(parseJson(record.body));
  if (isObject(body)) {
    if (body["kind"] === PARKED_EVENT_KIND) return fromParked(body, base);
    if (isObject(body["DDBStreamBatchInfo"]))
      return fromStreamDestination(body, base, body["DDBStreamBatchInfo"], "dynamodb");
    if (isObject(body["KinesisBatchInfo"]))
      return fromStreamDestination(body, base, body["KinesisBatchInfo"], "kinesis");
    if (isObject(body["requestContext"]) && "condition" in body["requestContext"])
      return fromAsyncDestination(body, base);
  }
  const attributes = record.messageAttributes ?? {};
  const requestId = attributes["RequestID"]?.stringValue;
  if (requestId !== undefined && attributes["ErrorMessage"] !== undefined) {
    return {
      ...base,
      kind: FailureKind.FunctionDlq,
      source: `async invocation ${requestId} (function dead-letter queue ${base.foundIn})`,
      error: attributes["ErrorMessage"]?.stringValue ?? "(no message)",
      attempts: "all async attempts (Lambda's function DLQ does not say how many)",
      original: body ?? record.body,
    };
  }
  const receives = record.attributes?.ApproximateReceiveCount;
  const source = base.foundIn.replace(/-dlq$/, "");
  // SQS stamps messages it moved to a DLQ with the queue they came from.
  const systemAttributes: Readonly<Record<string, string | undefined>> = { ...record.attributes };
  const sourceArn = systemAttributes.DeadLetterQueueSourceArn;
  return {
    ...base,
    ...(sourceArn !== undefined ? { redriveTo: sourceArn } : {}),
    kind: FailureKind.QueueDlq,
    source:
      source === base.foundIn
        ? `a queue whose DLQ is ${base.foundIn}`
        : `SQS queue ${source} (redrive policy)`,
    error: "the consumer failed on every receive up to maxReceiveCount (see its logs for the error)",
    attempts: `${receives ?? "?"} receive(s) counted by SQS`,
    original: body ?? record.body,
  };
}
