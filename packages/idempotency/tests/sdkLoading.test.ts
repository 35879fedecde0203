import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

// A resolve hook that fails any import of the AWS SDK, so loading it shows up as an error.
const blockSdk = `data:text/javascript,${encodeURIComponent(`
import { register } from "node:module";
register("data:text/javascript," + encodeURIComponent(
  "export async function resolve(specifier, context, next) {" +
  " if (specifier.startsWith('@aws-sdk/')) throw new Error('AWS SDK loaded: ' + specifier);" +
  " return next(specifier, context); }"));
`)}`;

function runWithoutSdk(script: string): string {
  return execFileSync(process.execPath, ["--import", blockSdk, "--input-type=module", "-e", script], {
    cwd: packageDir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

describe("loading the AWS SDK", () => {
  it("does not happen when the package and its DynamoDB store are imported and constructed", () => {
    expect(existsSync(`${packageDir}/dist/persistence/DynamoDBStore.js`), "run pnpm build first").toBe(true);
    const output = runWithoutSdk(`
      const { makeIdempotent } = await import("@rebound/idempotency");
      const { DynamoDBStore } = await import("@rebound/idempotency/dynamodb");
      const store = new DynamoDBStore({ tableName: "idempotency" });
      makeIdempotent(async (input) => input, { store, keyFrom: (input) => input.id });
      console.log("constructed");
    `);
    expect(output).toBe("constructed");
  });

  it("happens on the first call that needs the store", () => {
    const output = runWithoutSdk(`
      const { makeIdempotent } = await import("@rebound/idempotency");
      const { DynamoDBStore } = await import("@rebound/idempotency/dynamodb");
      const store = new DynamoDBStore({ tableName: "idempotency" });
      const wrapped = makeIdempotent(async (input) => input, { store, keyFrom: (input) => input.id });
      await wrapped({ id: "k" }).catch((error) => console.log(error.name, String(error.cause)));
    `);
    expect(output).toBe("IdempotencyStoreError Error: AWS SDK loaded: @aws-sdk/client-dynamodb");
  });
});
