import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import type { Order } from "./order.js";
import { fromItem, toItem } from "./orderItem.js";

/** Result of {@link OrderRepository.insert}: whether this call created the item. */
export interface InsertResult {
  readonly created: boolean;
  /** The item as stored: ours when created, the existing one otherwise. */
  readonly order: Order;
}

/**
 * Reads and writes orders in the `orders` table. Every write is conditional so a retry never
 * overwrites an order that moved on (PAID, FULFILLED) since.
 *
 * @example
 * ```ts
 * const repository = new OrderRepository({ client: new DynamoDBClient({}), tableName: "orders" });
 * const order = await repository.get("ord_123");
 * ```
 */
export class OrderRepository {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  public constructor(options: { readonly client: DynamoDBClient; readonly tableName: string }) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  /** Puts the order unless one with that id exists; then returns the existing one (strongly read). */
  public async insert(order: Order): Promise<InsertResult> {
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: toItem(order),
          ConditionExpression: "attribute_not_exists(orderId)",
        }),
      );
      return { created: true, order };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = await this.get(order.orderId);
      // Deleted between our write and read: vanishingly rare, and a retry will then succeed.
      if (existing === undefined) throw error;
      return { created: false, order: existing };
    }
  }

  /** Strongly consistent read: a client that just created an order must be able to read it back. */
  public async get(orderId: string): Promise<Order | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({
        TableName: this.#tableName,
        Key: { orderId: { S: orderId } },
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : fromItem(Item);
  }
}
