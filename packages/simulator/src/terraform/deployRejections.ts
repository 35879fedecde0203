import { nameOf, type StackReferences } from "./StackReferences.js";
import type { AwsRejection } from "./StackRejectedError.js";
import type { TerraformJson, TerraformResource } from "./TerraformJson.js";
import { firstBlock, numberOr } from "./terraformValues.js";

/** What a mapping reads from, by the ARN it names. */
type SourceKind = "sqs" | "dynamodb" | "kinesis" | "other";

const STARTING_POSITIONS = ["LATEST", "AT_TIMESTAMP", "TRIM_HORIZON"];

/**
 * Every setting of the stack that AWS refuses at deploy time, with AWS's error (docs/aws-semantics.md#deploy-time-validation):
 * event invoke configs (PutFunctionEventInvokeConfig) and event source mappings
 * (CreateEventSourceMapping). An empty list means AWS would accept them.
 *
 * @example
 * ```ts
 * const rejections = findDeployRejections(tf, new StackReferences(tf, identity));
 * if (rejections.length > 0) throw new StackRejectedError(rejections);
 * ```
 */
export function findDeployRejections(tf: TerraformJson, references: StackReferences): AwsRejection[] {
  const rejections: AwsRejection[] = [];
  for (const config of tf.resourcesOfType("aws_lambda_function_event_invoke_config"))
    rejections.push(...eventInvokeConfigRejections(config, references));
  const seen = new Map<string, string>();
  for (const mapping of tf.resourcesOfType("aws_lambda_event_source_mapping")) {
    rejections.push(...mappingRejections(mapping, tf, references, seen));
  }
  return rejections;
}

function eventInvokeConfigRejections(config: TerraformResource, references: StackReferences): AwsRejection[] {
  const reject = rejecter(config.address, "PutFunctionEventInvokeConfig");
  const values = config.values;
  const out: AwsRejection[] = [];
  const destinations = firstBlock(values.destination_config);
  const targets = ["on_success", "on_failure"]
    .map((key) => firstBlock(destinations?.[key])?.destination)
    .filter((target): target is string => typeof target === "string");
  if (
    values.maximum_retry_attempts === undefined &&
    values.maximum_event_age_in_seconds === undefined &&
    targets.length === 0
  ) {
    out.push(
      reject(
        "InvalidParameterValueException",
        400,
        "You must specify at least one of error handling or destination setting.",
        "set maximum_retry_attempts, maximum_event_age_in_seconds or a destination_config, or remove the resource",
      ),
    );
  }
  const functionName = functionNameOf(
    references.resolve(String(values.function_name), `${config.address} function_name`),
  );
  for (const target of targets) {
    const arn = references.resolve(target, `${config.address} destination_config`);
    if (arn.startsWith("arn:aws:lambda:") && functionNameOf(arn) === functionName) {
      out.push(
        reject(
          "InvalidParameterValueException",
          400,
          "You can't specify the function as a destination for itself.",
          "send the records to a queue, topic, bus or another function",
        ),
      );
    }
  }
  out.push(...range(reject, "maximumRetryAttempts", values.maximum_retry_attempts, 0, 2));
  out.push(...range(reject, "maximumEventAgeInSeconds", values.maximum_event_age_in_seconds, 60, 21_600));
  return out;
}

function mappingRejections(
  mapping: TerraformResource,
  tf: TerraformJson,
  references: StackReferences,
  seen: Map<string, string>,
): AwsRejection[] {
  const reject = rejecter(mapping.address, "CreateEventSourceMapping");
  const values = mapping.values;
  const out: AwsRejection[] = [];
  const sourceArn = references.resolve(
    String(values.event_source_arn),
    `${mapping.address} event_source_arn`,
  );
  const functionName = functionNameOf(
    references.resolve(String(values.function_name), `${mapping.address} function_name`),
  );
  const kind = sourceKind(sourceArn);
  const source = stackSource(tf, references, sourceArn, kind);

  if (kind !== "other" && source === undefined) {
    out.push(
      kind === "sqs"
        ? reject(
            "InvalidParameterValueException",
            400,
            "Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist for this wsdl version.",
            `event_source_arn ${sourceArn} is no queue of the stack; reference one (\${aws_sqs_queue.<name>.arn})`,
          )
        : reject(
            "InvalidParameterValueException",
            400,
            `Stream not found: ${sourceArn}`,
            `event_source_arn ${sourceArn} is no ${kind === "dynamodb" ? "table stream" : "Kinesis stream"} of the stack; reference one`,
          ),
    );
  }

  const key = `${sourceArn}|${functionName}`;
  const earlier = seen.get(key);
  if (earlier !== undefined) {
    out.push(
      reject(
        "ResourceConflictException",
        409,
        kind === "sqs"
          ? `An event source mapping with SQS arn (" ${sourceArn} ") and function (" ${functionName} ") already exists. Please update or delete the existing mapping with UUID <uuid of ${earlier}>`
          : `The event source arn (" ${sourceArn} ") and function (" ${functionName} ") provided mapping already exists. Please update or delete the existing mapping with UUID <uuid of ${earlier}>`,
        `${earlier} already maps this source to this function; keep one of the two`,
      ),
    );
  } else seen.set(key, mapping.address);

  const batchSize = values.batch_size;
  const windowSeconds = values.maximum_batching_window_in_seconds;
  out.push(...range(reject, "batchSize", batchSize, 1, 10_000));
  out.push(...range(reject, "maximumBatchingWindowInSeconds", windowSeconds, 0, 300));

  if (kind === "sqs") {
    const fifo = source?.values.fifo_queue === true || sourceArn.endsWith(".fifo");
    if (fifo && typeof batchSize === "number" && batchSize > 10) {
      out.push(
        reject(
          "InvalidParameterValueException",
          400,
          "Batch size for FIFO queues must be less than or equal to 10.",
          "set batch_size to 10 or less: a FIFO queue hands Lambda at most 10 messages at a time",
        ),
      );
    } else if (
      typeof batchSize === "number" &&
      batchSize > 10 &&
      !(typeof windowSeconds === "number" && windowSeconds > 0)
    ) {
      out.push(
        reject(
          "InvalidParameterValueException",
          400,
          "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10",
          "set maximum_batching_window_in_seconds to 1 or more, or batch_size to 10 or less",
        ),
      );
    }
    const fn = stackFunction(tf, functionName);
    if (source !== undefined && fn !== undefined) {
      const visibility = numberOr(source.values.visibility_timeout_seconds, 30);
      const timeout = numberOr(fn.values.timeout, 3);
      if (timeout > visibility) {
        out.push(
          reject(
            "InvalidParameterValueException",
            400,
            `Queue visibility timeout: ${visibility} seconds is less than Function timeout: ${timeout} seconds`,
            `raise ${source.address} visibility_timeout_seconds to at least ${timeout} (AWS recommends six times the function timeout, ${timeout * 6}) or lower ${fn.address} timeout`,
          ),
        );
      }
    }
  }

  if (kind === "dynamodb" || kind === "kinesis") {
    const position = values.starting_position;
    if (position === undefined || position === null) {
      out.push(
        reject(
          "InvalidParameterValueException",
          400,
          "1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.",
          'set starting_position = "LATEST" or "TRIM_HORIZON" (a stream mapping has no default)',
        ),
      );
    } else if (!STARTING_POSITIONS.includes(String(position))) {
      out.push(
        reject(
          "ValidationException",
          400,
          `1 validation error detected: Value '${String(position)}' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [LATEST, AT_TIMESTAMP, TRIM_HORIZON]`,
          "use LATEST, TRIM_HORIZON or (Kinesis only) AT_TIMESTAMP",
        ),
      );
    } else if (position === "AT_TIMESTAMP" && kind === "dynamodb") {
      out.push(
        reject(
          "InvalidParameterValueException",
          400,
          `Unsupported starting position for arn type: ${sourceArn}`,
          "DynamoDB streams start at LATEST or TRIM_HORIZON; AT_TIMESTAMP is for Kinesis",
        ),
      );
    }
    out.push(...range(reject, "maximumRetryAttempts", values.maximum_retry_attempts, -1, 10_000));
    out.push(...recordAge(reject, values.maximum_record_age_in_seconds));
    out.push(...range(reject, "parallelizationFactor", values.parallelization_factor, 1, 10));
    out.push(...range(reject, "tumblingWindowInSeconds", values.tumbling_window_in_seconds, 0, 900));
  }
  return out;
}

type Reject = (code: string, httpStatus: number, awsMessage: string, hint: string) => AwsRejection;

function rejecter(address: string, operation: string): Reject {
  return (code, httpStatus, awsMessage, hint) => ({ address, operation, code, httpStatus, awsMessage, hint });
}

/** AWS's request validation, in its own words, for a whole number outside [min, max]. */
function range(reject: Reject, field: string, value: unknown, min: number, max: number): AwsRejection[] {
  if (value === undefined || value === null) return [];
  if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) return [];
  const bound =
    typeof value === "number" && value < min
      ? `greater than or equal to ${min}`
      : `less than or equal to ${max}`;
  return [
    reject(
      "ValidationException",
      400,
      `1 validation error detected: Value '${String(value)}' at '${field}' failed to satisfy constraint: Member must have value ${bound}`,
      `${snake(field)} takes a whole number from ${min} to ${max}`,
    ),
  ];
}

/** MaximumRecordAgeInSeconds is -1 (no limit) or 60 to 604,800. */
function recordAge(reject: Reject, value: unknown): AwsRejection[] {
  if (value === undefined || value === null || value === -1) return [];
  if (typeof value === "number" && Number.isInteger(value) && value >= 60 && value <= 604_800) return [];
  return [
    reject(
      "InvalidParameterValueException",
      400,
      "MaximumRecordAgeInSeconds must be -1 or between 60 and 604800.",
      "maximum_record_age_in_seconds takes -1 (records never expire) or 60 to 604800",
    ),
  ];
}

function sourceKind(arn: string): SourceKind {
  if (arn.startsWith("arn:aws:sqs:")) return "sqs";
  if (/^arn:aws:dynamodb:[^:]*:[^:]*:table\/[^/]+\/stream\//.test(arn)) return "dynamodb";
  if (arn.startsWith("arn:aws:kinesis:")) return "kinesis";
  return "other";
}

/** The stack's queue, table or stream with that ARN. */
function stackSource(
  tf: TerraformJson,
  references: StackReferences,
  arn: string,
  kind: SourceKind,
): TerraformResource | undefined {
  if (kind === "sqs")
    return tf.resourcesOfType("aws_sqs_queue").find((queue) => references.attribute(queue, "arn") === arn);
  if (kind === "dynamodb") {
    return tf
      .resourcesOfType("aws_dynamodb_table")
      .find(
        (table) => table.values.stream_enabled === true && references.attribute(table, "stream_arn") === arn,
      );
  }
  if (kind === "kinesis")
    return tf
      .resourcesOfType("aws_kinesis_stream")
      .find((stream) => references.attribute(stream, "arn") === arn);
  return undefined;
}

function stackFunction(tf: TerraformJson, functionName: string): TerraformResource | undefined {
  return tf.resourcesOfType("aws_lambda_function").find((fn) => nameOf(fn) === functionName);
}

/** `worker`, `arn:aws:lambda:r:a:function:worker` and `…:worker:$LATEST` all name `worker`. */
function functionNameOf(reference: string): string {
  const match = /^arn:aws:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(reference);
  return match ? match[1]! : reference;
}

function snake(field: string): string {
  return field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
