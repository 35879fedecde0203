import { type QueryParams, queryList, xml, xmlRaw } from "./awsWire.js";
import { AwsServiceError } from "./errors.js";
import type {
  MessageAttributes,
  MessageAttributeValue,
  SnsBackend,
  SnsPublishInput,
} from "./ServiceBackends.js";

/** SNS's query protocol XML namespace. */
export const SNS_NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";

/** The operations the local SNS endpoint serves (query protocol `Action=<name>`). */
export const SNS_OPERATIONS = ["Publish", "PublishBatch"] as const;

/** The error for an operation the local SNS endpoint does not serve (AWS's code for it). */
export function unknownSnsOperation(operation: string): AwsServiceError {
  return new AwsServiceError(
    "InvalidAction",
    `Rebound's local SNS endpoint does not implement ${operation}; it serves ${SNS_OPERATIONS.join(", ")}`,
    400,
  );
}

/** `MessageAttributes.entry.N.Name` / `.Value.DataType` / `.Value.StringValue` / `.Value.BinaryValue`. */
function parseAttributes(params: ReadonlyMap<string, string>, prefix: string): MessageAttributes {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const member of queryList(params, `${prefix}.entry`)) {
    const name = member.get("Name");
    const dataType = member.get("Value.DataType");
    if (name === undefined) continue;
    if (dataType === undefined || dataType === "") {
      throw new AwsServiceError(
        "ParameterValueInvalid",
        `The message attribute '${name}' must contain non-empty message attribute type.`,
        400,
      );
    }
    const stringValue = member.get("Value.StringValue");
    const binary = member.get("Value.BinaryValue");
    if (stringValue === undefined && binary === undefined) {
      throw new AwsServiceError(
        "ParameterValueInvalid",
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`,
        400,
      );
    }
    attributes[name] = {
      dataType,
      ...(stringValue === undefined ? {} : { stringValue }),
      ...(binary === undefined ? {} : { binaryValue: Buffer.from(binary, "base64") }),
    };
  }
  return attributes;
}

function publishInput(topicArn: string, params: ReadonlyMap<string, string>): SnsPublishInput {
  const message = params.get("Message");
  if (message === undefined || message === "") {
    throw new AwsServiceError("InvalidParameter", "Invalid parameter: Empty message", 400);
  }
  const optional = (key: string): string | undefined => params.get(key);
  const subject = optional("Subject");
  const messageStructure = optional("MessageStructure");
  const messageGroupId = optional("MessageGroupId");
  const messageDeduplicationId = optional("MessageDeduplicationId");
  return {
    topicArn,
    message,
    messageAttributes: parseAttributes(params, "MessageAttributes"),
    ...(subject === undefined ? {} : { subject }),
    ...(messageStructure === undefined ? {} : { messageStructure }),
    ...(messageGroupId === undefined ? {} : { messageGroupId }),
    ...(messageDeduplicationId === undefined ? {} : { messageDeduplicationId }),
  };
}

function topicOf(params: QueryParams): string {
  const topicArn = params.get("TopicArn") ?? params.get("TargetArn");
  if (topicArn !== undefined && topicArn !== "") return topicArn;
  if (params.has("PhoneNumber")) {
    throw new AwsServiceError(
      "InvalidParameter",
      "Invalid parameter: PhoneNumber. Rebound's local SNS endpoint publishes to topics only (TopicArn or TargetArn)",
      400,
    );
  }
  throw new AwsServiceError(
    "InvalidParameter",
    "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter",
    400,
  );
}

/** Runs one SNS query-protocol action and returns the XML body of its `<ActionResult>`. */
export async function runSnsOperation(
  action: string,
  params: QueryParams,
  backend: SnsBackend,
): Promise<string> {
  switch (action) {
    case "Publish": {
      const out = await backend.publish(publishInput(topicOf(params), params));
      return xml("MessageId", out.messageId) + xml("SequenceNumber", out.sequenceNumber);
    }
    case "PublishBatch": {
      const topicArn = topicOf(params);
      const entries = queryList(params, "PublishBatchRequestEntries.member");
      if (entries.length === 0) {
        throw new AwsServiceError("EmptyBatchRequest", "The batch request doesn't contain any entries.", 400);
      }
      if (entries.length > 10) {
        throw new AwsServiceError(
          "TooManyEntriesInBatchRequest",
          "The batch request contains more entries than permissible.",
          400,
        );
      }
      const ids = entries.map((entry) => entry.get("Id") ?? "");
      if (ids.some((id) => !/^[A-Za-z0-9_-]{1,80}$/.test(id))) {
        throw new AwsServiceError(
          "InvalidBatchEntryId",
          "The Id of a batch entry in a batch request doesn't abide by the specification.",
          400,
        );
      }
      if (new Set(ids).size !== ids.length) {
        throw new AwsServiceError(
          "BatchEntryIdsNotDistinct",
          "Two or more batch entries in the request have the same Id.",
          400,
        );
      }
      let successful = "";
      let failed = "";
      // Entries are independent in AWS: one failing entry does not fail the others.
      for (const entry of entries) {
        const id = entry.get("Id")!;
        try {
          const out = await backend.publish(publishInput(topicArn, entry));
          successful += xmlRaw(
            "member",
            xml("Id", id) + xml("MessageId", out.messageId) + xml("SequenceNumber", out.sequenceNumber),
          );
        } catch (error) {
          if (!(error instanceof AwsServiceError)) throw error;
          failed += xmlRaw(
            "member",
            xml("Id", id) +
              xml("Code", error.code) +
              xml("Message", error.message) +
              xml("SenderFault", error.senderFault),
          );
        }
      }
      return xmlRaw("Successful", successful) + xmlRaw("Failed", failed);
    }
    default:
      throw unknownSnsOperation(action);
  }
}
