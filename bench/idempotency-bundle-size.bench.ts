// Bundle size of a Lambda handler made idempotent with @rebound/idempotency and its DynamoDB store,
// bundled and minified by esbuild the way scripts/bundle.mjs bundles the apps (ESM, node20, AWS SDK v3
// external). Budget: 10 KB. The same handler on Powertools idempotency 2.35.0 is measured
// alongside for reference (its size is the note, not the target).
import { gzipSync } from "node:zlib";
import { bundleSnippet } from "./lib/bundleSnippet.mjs";
import { metric, writeResults } from "./lib/report.mjs";

// A payment handler: key from the order id, failures remembered, DynamoDB store with a local cache.
const reboundHandler = `
import { makeIdempotent } from "@rebound/idempotency";
import { DynamoDBStore } from "@rebound/idempotency/dynamodb";
const store = new DynamoDBStore({ tableName: process.env.IDEMPOTENCY_TABLE, cache: { maxEntries: 1000 } });
export const handler = makeIdempotent(
  async (payment, context) => ({ chargeId: "ch-" + payment.orderId, requestId: context.awsRequestId }),
  { store, keyFrom: (payment) => payment.orderId, namespace: "charge", onFailure: "remember-permanent" },
);
`;

const powertoolsHandler = `
import { IdempotencyConfig, makeIdempotent } from "@aws-lambda-powertools/idempotency";
import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";
const persistenceStore = new DynamoDBPersistenceLayer({ tableName: process.env.IDEMPOTENCY_TABLE });
const config = new IdempotencyConfig({ eventKeyJmesPath: "orderId", payloadValidationJmesPath: "@", useLocalCache: true });
export const handler = makeIdempotent(
  async (payment, context) => ({ chargeId: "ch-" + payment.orderId, requestId: context.awsRequestId }),
  { persistenceStore, config },
);
`;

const ours = await bundleSnippet(reboundHandler);
const anchor = await bundleSnippet(powertoolsHandler);
writeResults("idempotency-bundle-size", [
  metric({
    metric: "idempotent handler bundle with DynamoDBStore (esbuild, minified, SDK external)",
    unit: "bytes",
    ours: ours.bytes.length,
    target: 10 * 1024,
    better: "lower",
    note:
      `gzip ${gzipSync(ours.bytes).length} bytes; by package: ${JSON.stringify(ours.inputs)}; ` +
      `same handler on Powertools idempotency 2.35.0: ${anchor.bytes.length} bytes (gzip ${gzipSync(anchor.bytes).length})`,
  }),
]);
