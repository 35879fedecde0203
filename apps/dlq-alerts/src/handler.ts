import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { KinesisClient } from "@aws-sdk/client-kinesis";
import { SSMClient } from "@aws-sdk/client-ssm";
import { requireEnv } from "@rebound/lambda-env";
import { createDlqAlerts } from "./createDlqAlerts.js";
import { SlackWebhook } from "./SlackWebhook.js";
import { StreamRecordsFetcher } from "./StreamRecordsFetcher.js";

const env = requireEnv(process.env, ["SLACK_WEBHOOK_PARAMETER_NAME"]);

/**
 * SQS entry point for every DLQ, failure-destination queue and parked-events (ReportBatchItemFailures
 * on each mapping; its own failures go to alerts-dlq). Clients are created once per container and
 * honour AWS_ENDPOINT_URL_SSM / _DYNAMODB_STREAMS / _KINESIS.
 *
 * @example
 * ```ts
 * // Lambda handler setting: index.handler
 * ```
 */
export const handler = createDlqAlerts({
  slack: new SlackWebhook({ ssm: new SSMClient({}), parameterName: env.SLACK_WEBHOOK_PARAMETER_NAME }),
  streams: new StreamRecordsFetcher({
    dynamodbStreams: new DynamoDBStreamsClient({}),
    kinesis: new KinesisClient({}),
  }),
});
