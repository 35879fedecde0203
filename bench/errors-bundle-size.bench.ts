// Bundle size of a minimal SQS handler built on @rebound/errors, bundled and minified by esbuild the
// way scripts/bundle.mjs bundles the apps (ESM, node20, AWS SDK v3 external), against the same handler
// on Powertools idempotency + batch + logger 2.35.0 (the anchor). Budget: 10,752 B (10.5 KB), at most
// 0.15 of the Powertools handler. An 8 KB budget was tried and given up: with every error message cut
// to a stub and the parking message attributes, the full-batch throw and the received-event
// description removed, the handler still measured 8,649 B, so 8 KB cannot hold the behaviour the
// wrapper must have (classification, parking, option validation with fixes, JSON failure logs).
import { gzipSync } from "node:zlib";
import { bundleSnippet } from "./lib/bundleSnippet.mjs";
import { metric, writeResults } from "./lib/report.mjs";

// The smallest useful handler: parse, charge, let the wrapper classify, park and report.
const reboundHandler = `
import { sqsBatchHandler, ValidationError } from "@rebound/errors";
export const handler = sqsBatchHandler(
  async (record) => {
    const payment = JSON.parse(record.body);
    if (typeof payment.orderId !== "string") throw new ValidationError("orderId is required");
  },
  { parking: { queueUrl: process.env.PARKING_QUEUE_URL } },
);
`;

const powertoolsHandler = `
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
import { Logger } from "@aws-lambda-powertools/logger";
const logger = new Logger({ serviceName: "payments" });
const processor = new BatchProcessor(EventType.SQS);
const persistenceStore = new DynamoDBPersistenceLayer({ tableName: process.env.IDEMPOTENCY_TABLE });
const config = new IdempotencyConfig({});
const recordHandler = makeIdempotent(
  async (record) => {
    const payment = JSON.parse(record.body);
    logger.info("charging", { orderId: payment.orderId });
  },
  { persistenceStore, config },
);
export const handler = async (event, context) => {
  config.registerLambdaContext(context);
  return processPartialResponse(event, recordHandler, processor, { context });
};
`;

// What choosing Powertools' Logger as the default logger would have cost on its own.
const powertoolsLoggerOnly = `
import { Logger } from "@aws-lambda-powertools/logger";
const logger = new Logger({ serviceName: "payments" });
export const handler = async () => logger.warn("record failed", { messageId: "m-1" });
`;

const ours = (await bundleSnippet(reboundHandler)).bytes;
const loggerOnly = (await bundleSnippet(powertoolsLoggerOnly)).bytes;
const anchor = (await bundleSnippet(powertoolsHandler)).bytes;
writeResults("errors-bundle-size", [
  metric({
    metric: "minimal SQS handler bundle (esbuild, minified, SDK external)",
    unit: "bytes",
    ours: ours.length,
    target: 10_752,
    better: "lower",
    note: `gzip ${gzipSync(ours).length} bytes; Powertools Logger alone: ${loggerOnly.length} bytes`,
  }),
  metric({
    metric: "minimal SQS handler bundle vs Powertools idempotency + batch + logger",
    unit: "bytes",
    ours: ours.length,
    anchor: anchor.length,
    anchorName: "Powertools 2.35.0 idempotency + batch + logger SQS handler",
    target: 0.15,
    better: "lower",
    note: `Powertools gzip ${gzipSync(anchor).length} bytes`,
  }),
]);
