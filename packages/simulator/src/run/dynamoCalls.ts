import { SimulatorError } from "../engine/errors.js";
import type { TableWrite } from "../scenario/Scenario.js";
import type { StackTable } from "../terraform/loadStack.js";
import { marshallItem } from "./marshallItem.js";

/**
 * One DynamoDB JSON 1.0 call to the local endpoint (dynalite, or the proxy in front of it); throws a
 * `SimulatorError` with DynamoDB's answer when it fails.
 *
 * @example
 * ```ts
 * await dynamoCall(endpoint, "DescribeTable", { TableName: "orders" });
 * ```
 */
export async function dynamoCall(endpoint: string, operation: string, body: unknown): Promise<unknown> {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.0",
      "x-amz-target": `DynamoDB_20120810.${operation}`,
      "x-amz-date": "20260101T000000Z",
      // dynalite checks that a signature is present, not that it is valid.
      authorization: `AWS4-HMAC-SHA256 Credential=simulator/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new SimulatorError(`DynamoDB ${operation} failed (${response.status}): ${text}`);
  return text ? JSON.parse(text) : {};
}

/**
 * Creates a stack's table in dynalite (on-demand, with the stack's keys) and waits until it is ACTIVE.
 *
 * @example
 * ```ts
 * for (const table of stack.tables) await createTable(dynalite.endpoint, table);
 * ```
 */
export async function createTable(endpoint: string, table: StackTable): Promise<void> {
  const keys = [table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])];
  await dynamoCall(endpoint, "CreateTable", {
    TableName: table.tableName,
    AttributeDefinitions: keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type })),
    KeySchema: keys.map((key, index) => ({
      AttributeName: key.name,
      KeyType: index === 0 ? "HASH" : "RANGE",
    })),
    BillingMode: "PAY_PER_REQUEST",
  });
  // dynalite marks a new table ACTIVE on a later tick; a write before that is ResourceNotFoundException.
  for (let attempt = 0; attempt < 200; attempt++) {
    const described = (await dynamoCall(endpoint, "DescribeTable", { TableName: table.tableName })) as {
      Table?: { TableStatus?: string };
    };
    if (described.Table?.TableStatus === "ACTIVE") return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new SimulatorError(`table ${table.tableName} did not become ACTIVE in dynalite`);
}

/**
 * A scenario's table write (put, update or delete, items as plain JSON) through the DynamoDB endpoint,
 * like a handler's write, so a stream sees it the same way.
 *
 * @example
 * ```ts
 * await writeItem(endpointUrl, "orders", { type: "put", item: { orderId: "o-1" } });
 * ```
 */
export async function writeItem(endpoint: string, tableName: string, write: TableWrite): Promise<void> {
  if (write.type === "put") {
    await dynamoCall(endpoint, "PutItem", { TableName: tableName, Item: marshallItem(write.item) });
  } else if (write.type === "delete") {
    await dynamoCall(endpoint, "DeleteItem", { TableName: tableName, Key: marshallItem(write.key) });
  } else {
    const entries = Object.entries(write.set);
    await dynamoCall(endpoint, "UpdateItem", {
      TableName: tableName,
      Key: marshallItem(write.key),
      UpdateExpression: `SET ${entries.map((_, index) => `#a${index} = :v${index}`).join(", ")}`,
      ExpressionAttributeNames: Object.fromEntries(entries.map(([name], index) => [`#a${index}`, name])),
      ExpressionAttributeValues: Object.fromEntries(
        Object.entries(marshallItem(write.set)).map(([, value], index) => [`:v${index}`, value]),
      ),
    });
  }
}
