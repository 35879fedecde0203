import { createHash } from "node:crypto";
import {
  optionalArray,
  optionalInteger,
  optionalObject,
  optionalString,
  type QueryParams,
  queryList,
  queryValues,
  requiredString,
  xml,
  xmlRaw,
} from "./awsWire.js";
import { AwsServiceError } from "./errors.js";
import type {
  MessageAttributes,
  MessageAttributeValue,
  SqsBackend,
  SqsReceivedMessage,
} from "./ServiceBackends.js";

/** SQS's query protocol XML namespace. */
export const SQS_NAMESPACE = "http://queue.amazonaws.com/doc/2012-11-05/";

/** The operations the local SQS endpoint serves (JSON `AmazonSQS.<name>` or query `Action=<name>`). */
export const SQS_OPERATIONS = [
  "SendMessage",
  "SendMessageBatch",
  "GetQueueUrl",
  "GetQueueAttributes",
  "ReceiveMessage",
  "DeleteMessage",
  "ChangeMessageVisibility",
] as const;

/**
 * JSON error codes → the query protocol's legacy codes. The JSON protocol sends the legacy code in
 * `x-amzn-query-error` (awsQueryCompatible) and the query protocol sends it as `<Code>`.
 */
const QUERY_ERROR_CODES: Readonly<Record<string, string>> = {
  QueueDoesNotExist: "AWS.SimpleQueueService.NonExistentQueue",
  MessageNotInflight: "AWS.SimpleQueueService.MessageNotInflight",
  BatchEntryIdsNotDistinct: "AWS.SimpleQueueService.BatchEntryIdsNotDistinct",
  EmptyBatchRequest: "AWS.SimpleQueueService.EmptyBatchRequest",
  TooManyEntriesInBatchRequest: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest",
  InvalidBatchEntryId: "AWS.SimpleQueueService.InvalidBatchEntryId",
  BatchRequestTooLong: "AWS.SimpleQueueService.BatchRequestTooLong",
  UnsupportedOperation: "AWS.SimpleQueueService.UnsupportedOperation",
  QueueDeletedRecently: "AWS.SimpleQueueService.QueueDeletedRecently",
  PurgeQueueInProgress: "AWS.SimpleQueueService.PurgeQueueInProgress",
  InvalidAttributeName: "InvalidAttributeName",
  InvalidMessageContents: "InvalidMessageContents",
  ReceiptHandleIsInvalid: "ReceiptHandleIsInvalid",
  RequestThrottled: "RequestThrottled",
  OverLimit: "OverLimit",
  InvalidParameterValue: "InvalidParameterValue",
  MissingParameter: "MissingParameter",
};

/** The legacy (query) code of an SQS error code. */
export function sqsQueryErrorCode(code: string): string {
  return QUERY_ERROR_CODES[code] ?? code;
}

/** MD5 hex of a string's UTF-8 bytes (what `MD5OfMessageBody` holds). */
export function md5Hex(text: string | Uint8Array): string {
  return createHash("md5").update(text).digest("hex");
}

/**
 * `MD5OfMessageAttributes`, computed as SQS documents it: attributes sorted by name, each encoded as
 * length-prefixed (4-byte big-endian) name, data type, a transport byte (1 string/number, 2 binary)
 * and length-prefixed value.
 */
export function md5OfMessageAttributes(attributes: MessageAttributes): string | undefined {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return undefined;
  const hash = createHash("md5");
  const lengthPrefixed = (bytes: Uint8Array): void => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length);
    hash.update(bytes);
  };
  for (const name of names) {
    const attribute = attributes[name]!;
    lengthPrefixed(Buffer.from(name, "utf8"));
    lengthPrefixed(Buffer.from(attribute.dataType, "utf8"));
    if (attribute.binaryValue !== undefined) {
      hash.update(Buffer.from([2]));
      lengthPrefixed(attribute.binaryValue);
    } else {
      hash.update(Buffer.from([1]));
      lengthPrefixed(Buffer.from(attribute.stringValue ?? "", "utf8"));
    }
  }
  return hash.digest("hex");
}

function parseJsonAttributes(value: unknown, key: string): MessageAttributes {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new AwsServiceError("InvalidParameterValue", `${key} must be a map`, 400);
  }
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, raw] of Object.entries(value as Record<string, unknown>)) {
    const entry = (raw ?? {}) as Record<string, unknown>;
    const dataType = entry["DataType"];
    if (typeof dataType !== "string" || dataType === "") {
      throw new AwsServiceError(
        "InvalidParameterValue",
        `The message attribute '${name}' must contain non-empty message attribute type.`,
        400,
      );
    }
    const stringValue = typeof entry["StringValue"] === "string" ? entry["StringValue"] : undefined;
    const binaryValue =
      typeof entry["BinaryValue"] === "string" ? Buffer.from(entry["BinaryValue"], "base64") : undefined;
    if (stringValue === undefined && binaryValue === undefined) {
      throw new AwsServiceError(
        "InvalidParameterValue",
        `The message attribute '${name}' must contain non-empty message attribute value.`,
        400,
      );
    }
    attributes[name] = {
      dataType,
      ...(stringValue === undefined ? {} : { stringValue }),
      ...(binaryValue ? { binaryValue } : {}),
    };
  }
  return attributes;
}

function attributesToJson(attributes: MessageAttributes): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(attributes)) {
    out[name] = {
      DataType: value.dataType,
      ...(value.stringValue === undefined ? {} : { StringValue: value.stringValue }),
      ...(value.binaryValue === undefined
        ? {}
        : { BinaryValue: Buffer.from(value.binaryValue).toString("base64") }),
    };
  }
  return out;
}

function selectSystemAttributes(
  attributes: Readonly<Record<string, string>>,
  names: readonly string[],
): Record<string, string> | undefined {
  if (names.length === 0) return undefined;
  const all = names.includes("All");
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes)) if (all || names.includes(name)) out[name] = value;
  return Object.keys(out).length === 0 ? undefined : out;
}

/** `All`, `.*`, `prefix.*` and exact names, as SQS documents `MessageAttributeNames`. */
function selectMessageAttributes(attributes: MessageAttributes, names: readonly string[]): MessageAttributes {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const wanted = names.some(
      (pattern) =>
        pattern === "All" ||
        pattern === ".*" ||
        pattern === name ||
        (pattern.endsWith(".*") && name.startsWith(pattern.slice(0, -2))),
    );
    if (wanted) out[name] = value;
  }
  return out;
}

function stringList(input: Record<string, unknown>, key: string): string[] {
  return (optionalArray(input, key) ?? []).filter((value): value is string => typeof value === "string");
}

/** The JSON-shaped input of each SQS operation (query requests are converted to it first). */
type SqsInput = Record<string, unknown>;

/** Checks the batch rules SQS applies before any entry: 1–10 entries, distinct valid ids. */
function checkBatch(entries: readonly Record<string, unknown>[]): void {
  if (entries.length === 0) {
    throw new AwsServiceError(
      "EmptyBatchRequest",
      "There should be at least one SendMessageBatchRequestEntry in the request.",
      400,
    );
  }
  if (entries.length > 10) {
    throw new AwsServiceError(
      "TooManyEntriesInBatchRequest",
      `Maximum number of entries per request are 10. You have sent ${entries.length}.`,
      400,
    );
  }
  const seen = new Set<string>();
  for (const entry of entries) {
    const id = entry["Id"];
    if (typeof id !== "string" || !/^[A-Za-z0-9_-]{1,80}$/.test(id)) {
      throw new AwsServiceError(
        "InvalidBatchEntryId",
        "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
        400,
      );
    }
    if (seen.has(id)) throw new AwsServiceError("BatchEntryIdsNotDistinct", `Id ${id} repeated.`, 400);
    seen.add(id);
  }
}

/** Runs one SQS operation on JSON-shaped input and returns the JSON-shaped output. */
export async function runSqsOperation(
  operation: string,
  input: SqsInput,
  backend: SqsBackend,
): Promise<unknown> {
  switch (operation) {
    case "GetQueueUrl": {
      const queueName = requiredString(input, "QueueName", "MissingParameter");
      const owner = optionalString(input, "QueueOwnerAWSAccountId");
      const out = await backend.getQueueUrl({
        queueName,
        ...(owner === undefined ? {} : { queueOwnerAwsAccountId: owner }),
      });
      return { QueueUrl: out.queueUrl };
    }
    case "GetQueueAttributes": {
      const queueUrl = requiredString(input, "QueueUrl", "MissingParameter");
      const out = await backend.getQueueAttributes({
        queueUrl,
        attributeNames: stringList(input, "AttributeNames"),
      });
      return Object.keys(out.attributes).length === 0 ? {} : { Attributes: { ...out.attributes } };
    }
    case "SendMessage": {
      const queueUrl = requiredString(input, "QueueUrl", "MissingParameter");
      return sendOne(backend, queueUrl, input);
    }
    case "SendMessageBatch": {
      const queueUrl = requiredString(input, "QueueUrl", "MissingParameter");
      const entries = (optionalArray(input, "Entries") ?? []) as Record<string, unknown>[];
      checkBatch(entries);
      const successful: unknown[] = [];
      const failed: unknown[] = [];
      // Entries are independent in AWS: one failing entry does not fail the others.
      for (const entry of entries) {
        try {
          successful.push({ Id: entry["Id"], ...(await sendOne(backend, queueUrl, entry)) });
        } catch (error) {
          if (!(error instanceof AwsServiceError)) throw error;
          failed.push({
            Id: entry["Id"],
            SenderFault: error.senderFault,
            Code: error.code,
            Message: error.message,
          });
        }
      }
      return { Successful: successful, Failed: failed };
    }
    case "ReceiveMessage": {
      const queueUrl = requiredString(input, "QueueUrl", "MissingParameter");
      const max = optionalInteger(input, "MaxNumberOfMessages") ?? 1;
      if (max < 1 || max > 10) {
        throw new AwsServiceError(
          "InvalidParameterValue",
          `Value ${max} for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.`,
          400,
        );
      }
      const attributeNames = [
        ...stringList(input, "AttributeNames"),
        ...stringList(input, "MessageSystemAttributeNames"),
      ];
      const messageAttributeNames = stringList(input, "MessageAttributeNames");
      const visibilityTimeout = optionalInteger(input, "VisibilityTimeout");
      const waitTimeSeconds = optionalInteger(input, "WaitTimeSeconds");
      const attemptId = optionalString(input, "ReceiveRequestAttemptId");
      const out = await backend.receiveMessage({
        queueUrl,
        maxNumberOfMessages: max,
        attributeNames,
        messageAttributeNames,
        ...(visibilityTimeout === undefined ? {} : { visibilityTimeout }),
        ...(waitTimeSeconds === undefined ? {} : { waitTimeSeconds }),
        ...(attemptId === undefined ? {} : { receiveRequestAttemptId: attemptId }),
      });
      if (out.messages.length === 0) return {};
      return {
        Messages: out.messages.map((message) =>
          receivedToJson(message, attributeNames, messageAttributeNames),
        ),
      };
    }
    case "DeleteMessage": {
      const queueUrl = requiredString(input, "QueueUrl", "MissingParameter");
      const receiptHandle = requiredString(input, "ReceiptHandle", "MissingParameter");
      await backend.deleteMessage({ queueUrl, receiptHandle });
      return {};
    }
    case "ChangeMessageVisibility": {
      const queueUrl = requiredString(input, "QueueUrl", "MissingParameter");
      const receiptHandle = requiredString(input, "ReceiptHandle", "MissingParameter");
      const visibilityTimeout = optionalInteger(input, "VisibilityTimeout");
      if (visibilityTimeout === undefined) {
        throw new AwsServiceError(
          "MissingParameter",
          "The request must contain the parameter VisibilityTimeout.",
          400,
        );
      }
      await backend.changeMessageVisibility({ queueUrl, receiptHandle, visibilityTimeout });
      return {};
    }
    default:
      throw unknownSqsOperation(operation);
  }
}

/** The error for an operation the local SQS endpoint does not serve. */
export function unknownSqsOperation(operation: string): AwsServiceError {
  return new AwsServiceError(
    "UnsupportedOperation",
    `Rebound's local SQS endpoint does not implement ${operation}; it serves ${SQS_OPERATIONS.join(", ")}`,
    400,
  );
}

async function sendOne(
  backend: SqsBackend,
  queueUrl: string,
  entry: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const body = requiredString(entry, "MessageBody", "MissingParameter");
  const messageAttributes = parseJsonAttributes(
    optionalObject(entry, "MessageAttributes"),
    "MessageAttributes",
  );
  const delaySeconds = optionalInteger(entry, "DelaySeconds");
  const messageGroupId = optionalString(entry, "MessageGroupId");
  const messageDeduplicationId = optionalString(entry, "MessageDeduplicationId");
  const out = await backend.sendMessage({
    queueUrl,
    body,
    messageAttributes,
    ...(delaySeconds === undefined ? {} : { delaySeconds }),
    ...(messageGroupId === undefined ? {} : { messageGroupId }),
    ...(messageDeduplicationId === undefined ? {} : { messageDeduplicationId }),
  });
  const md5Attributes = md5OfMessageAttributes(messageAttributes);
  return {
    MessageId: out.messageId,
    MD5OfMessageBody: md5Hex(body),
    ...(md5Attributes === undefined ? {} : { MD5OfMessageAttributes: md5Attributes }),
    ...(out.sequenceNumber === undefined ? {} : { SequenceNumber: out.sequenceNumber }),
  };
}

function receivedToJson(
  message: SqsReceivedMessage,
  attributeNames: readonly string[],
  messageAttributeNames: readonly string[],
): Record<string, unknown> {
  const attributes = selectSystemAttributes(message.attributes, attributeNames);
  const messageAttributes = selectMessageAttributes(message.messageAttributes, messageAttributeNames);
  const md5Attributes = md5OfMessageAttributes(messageAttributes);
  return {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: md5Hex(message.body),
    Body: message.body,
    ...(attributes === undefined ? {} : { Attributes: attributes }),
    ...(md5Attributes === undefined
      ? {}
      : { MD5OfMessageAttributes: md5Attributes, MessageAttributes: attributesToJson(messageAttributes) }),
  };
}

// ---------------------------------------------------------------- query protocol

function queryAttributes(members: readonly Map<string, string>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const member of members) {
    const name = member.get("Name");
    if (name === undefined) continue;
    out[name] = {
      DataType: member.get("Value.DataType"),
      ...(member.has("Value.StringValue") ? { StringValue: member.get("Value.StringValue") } : {}),
      ...(member.has("Value.BinaryValue") ? { BinaryValue: member.get("Value.BinaryValue") } : {}),
    };
  }
  return out;
}

function queryEntry(member: ReadonlyMap<string, string>): Record<string, unknown> {
  const entry: Record<string, unknown> = {};
  for (const key of ["Id", "MessageBody", "DelaySeconds", "MessageGroupId", "MessageDeduplicationId"]) {
    if (member.has(key)) entry[key] = member.get(key);
  }
  const prefixed = new Map<string, string>();
  for (const [key, value] of member) if (key.startsWith("MessageAttribute.")) prefixed.set(key, value);
  const attributes = queryAttributes(queryList(prefixed, "MessageAttribute"));
  if (Object.keys(attributes).length > 0) entry["MessageAttributes"] = attributes;
  return entry;
}

/**
 * Converts a query protocol SQS request to the JSON-shaped input. Older clients post to the queue
 * URL itself instead of sending `QueueUrl`, so `requestQueueUrl` (the URL posted to) fills it in.
 */
export function sqsQueryInput(params: QueryParams, requestQueueUrl: string | undefined): SqsInput {
  const input: Record<string, unknown> = {};
  for (const [key, value] of params) {
    if (!key.includes(".") && key !== "Action" && key !== "Version") input[key] = value;
  }
  if (input["QueueUrl"] === undefined && requestQueueUrl !== undefined) input["QueueUrl"] = requestQueueUrl;
  const attributes = queryAttributes(queryList(params, "MessageAttribute"));
  if (Object.keys(attributes).length > 0) input["MessageAttributes"] = attributes;
  const entries = queryList(params, "SendMessageBatchRequestEntry");
  if (entries.length > 0) input["Entries"] = entries.map(queryEntry);
  input["AttributeNames"] = queryValues(params, "AttributeName");
  input["MessageSystemAttributeNames"] = queryValues(params, "MessageSystemAttributeName");
  input["MessageAttributeNames"] = queryValues(params, "MessageAttributeName");
  return input;
}

function messageAttributesXml(attributes: Record<string, Record<string, string>> | undefined): string {
  if (attributes === undefined) return "";
  return Object.entries(attributes)
    .map(([name, value]) =>
      xmlRaw(
        "MessageAttribute",
        xml("Name", name) +
          xmlRaw(
            "Value",
            xml("StringValue", value["StringValue"]) +
              xml("BinaryValue", value["BinaryValue"]) +
              xml("DataType", value["DataType"]),
          ),
      ),
    )
    .join("");
}

function nameValueXml(element: string, map: Record<string, string> | undefined): string {
  if (map === undefined) return "";
  return Object.entries(map)
    .map(([name, value]) => xmlRaw(element, xml("Name", name) + xml("Value", value)))
    .join("");
}

function sendResultXml(result: Record<string, unknown>): string {
  return (
    xml("Id", result["Id"] as string | undefined) +
    xml("MessageId", result["MessageId"] as string) +
    xml("MD5OfMessageBody", result["MD5OfMessageBody"] as string) +
    xml("MD5OfMessageAttributes", result["MD5OfMessageAttributes"] as string | undefined) +
    xml("SequenceNumber", result["SequenceNumber"] as string | undefined)
  );
}

/** Renders an SQS operation's JSON-shaped output as the query protocol's `<ActionResult>` body. */
export function sqsQueryResultXml(operation: string, output: Record<string, unknown>): string | undefined {
  switch (operation) {
    case "GetQueueUrl":
      return xml("QueueUrl", output["QueueUrl"] as string);
    case "GetQueueAttributes":
      return nameValueXml("Attribute", output["Attributes"] as Record<string, string> | undefined);
    case "SendMessage":
      return sendResultXml(output);
    case "SendMessageBatch":
      return (
        (output["Successful"] as Record<string, unknown>[])
          .map((entry) => xmlRaw("SendMessageBatchResultEntry", sendResultXml(entry)))
          .join("") +
        (output["Failed"] as Record<string, unknown>[])
          .map((entry) =>
            xmlRaw(
              "BatchResultErrorEntry",
              xml("Id", entry["Id"] as string) +
                xml("SenderFault", entry["SenderFault"] as boolean) +
                xml("Code", sqsQueryErrorCode(entry["Code"] as string)) +
                xml("Message", entry["Message"] as string),
            ),
          )
          .join("")
      );
    case "ReceiveMessage":
      return ((output["Messages"] as Record<string, unknown>[] | undefined) ?? [])
        .map((message) =>
          xmlRaw(
            "Message",
            xml("MessageId", message["MessageId"] as string) +
              xml("ReceiptHandle", message["ReceiptHandle"] as string) +
              xml("MD5OfBody", message["MD5OfBody"] as string) +
              xml("Body", message["Body"] as string) +
              nameValueXml("Attribute", message["Attributes"] as Record<string, string> | undefined) +
              xml("MD5OfMessageAttributes", message["MD5OfMessageAttributes"] as string | undefined) +
              messageAttributesXml(
                message["MessageAttributes"] as Record<string, Record<string, string>> | undefined,
              ),
          ),
        )
        .join("");
    default:
      return undefined;
  }
}
