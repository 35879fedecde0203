import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { ReboundError } from "@rebound/errors";
import { type Order, type OrderItem, OrderStatus } from "./order.js";

type Item = Record<string, AttributeValue>;

/**
 * Order → DynamoDB item. Hand-written rather than @aws-sdk/lib-dynamodb: the shape is fixed and small,
 * and it keeps number handling explicit (cents are integers, stored as N).
 *
 * @example
 * ```ts
 * await client.send(new PutItemCommand({ TableName, Item: toItem(order) }));
 * ```
 */
export function toItem(order: Order): Item {
  return {
    orderId: { S: order.orderId },
    customerEmail: { S: order.customerEmail },
    items: {
      L: order.items.map((item) => ({
        M: {
          sku: { S: item.sku },
          quantity: { N: String(item.quantity) },
          unitPriceCents: { N: String(item.unitPriceCents) },
        },
      })),
    },
    amountCents: { N: String(order.amountCents) },
    currency: { S: order.currency },
    status: { S: order.status },
    createdAt: { S: order.createdAt },
    updatedAt: { S: order.updatedAt },
  };
}

const STATUSES: ReadonlySet<string> = new Set(Object.values(OrderStatus));

/**
 * DynamoDB item → Order. A stored item that does not look like an order is a bug or a foreign
 * writer, so it fails loudly (500) instead of returning half an order.
 *
 * @example
 * ```ts
 * const { Item } = await client.send(new GetItemCommand({ TableName, Key }));
 * const order = Item && fromItem(Item);
 * ```
 */
export function fromItem(item: Item): Order {
  const status = item["status"]?.S;
  const items = item["items"]?.L;
  const orderId = item["orderId"]?.S;
  if (orderId === undefined || status === undefined || !STATUSES.has(status) || items === undefined) {
    throw new ReboundError(`stored order ${orderId ?? "<no orderId>"} is malformed`, {
      code: "CORRUPT_ORDER",
    });
  }
  return {
    orderId,
    customerEmail: item["customerEmail"]?.S ?? "",
    items: items.map((entry): OrderItem => {
      const m = entry.M ?? {};
      return {
        sku: m["sku"]?.S ?? "",
        quantity: Number(m["quantity"]?.N ?? Number.NaN),
        unitPriceCents: Number(m["unitPriceCents"]?.N ?? Number.NaN),
      };
    }),
    amountCents: Number(item["amountCents"]?.N ?? Number.NaN),
    currency: item["currency"]?.S ?? "",
    status: status as OrderStatus,
    createdAt: item["createdAt"]?.S ?? "",
    updatedAt: item["updatedAt"]?.S ?? "",
  };
}
