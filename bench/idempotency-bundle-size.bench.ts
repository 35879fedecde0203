// Bundle size of a Lambda handler made idempotent with @rebound/idempotency and its DynamoDB store,
// bundled and minified by esbuild the way scripts/bundle.mjs bundles the apps (ESM, node20, AWS SDK v3
// external). Budget (issue 4): 10 KB. The same handler on Powertools idempotency 2.35.0 is measured
// alongside for reference (its size is the note, not the target).
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { metric, writeResults } from "./lib/report.mjs";

const benchDir = import.meta.dirname;

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

async function bundle(contents: string): Promise<{ bytes: Uint8Array; inputs: Record<string, number> }> {
  const result = await build({
    stdin: { contents, resolveDir: benchDir, loader: "js", sourcefile: "handler.mjs" },
    bundle: true,
    minify: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external: ["@aws-sdk/*", "@smithy/*"],
    legalComments: "none",
    write: false,
    metafile: true,
    logLevel: "warning",
  });
  const output = Object.values(result.metafile.outputs)[0]!;
  const inputs: Record<string, number> = {};
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const pkg = /@rebound\/[^/]+|packages\/[^/]+/.exec(path)?.[0] ?? "other";
    inputs[pkg] = (inputs[pkg] ?? 0) + bytesInOutput;
  }
  return { bytes: result.outputFiles[0]!.contents, inputs };
}

const ours = await bundle(reboundHandler);
const anchor = await bundle(powertoolsHandler);
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
