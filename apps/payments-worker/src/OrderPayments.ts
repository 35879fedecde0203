import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from "@aws-sdk/client-dynamodb";
import { PermanentError } from "@rebound/errors";

/** The part of an order the payments worker reads. */
export interface OrderPaymentView {
  readonly orderId: string;
  readonly status: string;
  readonly amountCents: number;
  readonly currency: string;
  readonly chargeId?: string;
}

/**
 * Reads orders and moves them out of PENDING in the `orders` table. Both transitions are
 * conditional on PENDING, so a redelivered message can never flip a PAID order to failed (or the
 * other way round); repeating the same transition is a no-op.
 *
 * @example
 * ```ts
 * const orders = new OrderPayments({ client: new DynamoDBClient({}), tableName: "orders" });
 * await orders.markPaid("ord_1", "ch_1", new Date().toISOString());
 * ```
 */
export class OrderPayments {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  public constructor(options: { readonly client: DynamoDBClient; readonly tableName: string }) {
    this.#client = options.client;
    this.#tableName = options.tableName;
  }

  /** Strongly consistent read (the API wrote the order just before enqueuing its payment). */
  public async get(orderId: string): Promise<OrderPaymentView | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({
        TableName: this.#tableName,
        Key: { orderId: { S: orderId } },
        ConsistentRead: true,
        ProjectionExpression: "orderId, #s, amountCents, currency, chargeId",
        ExpressionAttributeNames: { "#s": "status" },
      }),
    );
    if (Item === undefined) return undefined;
    return {
      orderId,
      status: Item["status"]?.S ?? "",
      amountCents: Number(Item["amountCents"]?.N ?? Number.NaN),
      currency: Item["currency"]?.S ?? "",
      ...(Item["chargeId"]?.S ? { chargeId: Item["chargeId"].S } : {}),
    };
  }

  /** PENDING → PAID with the provider's charge id. */
  public markPaid(orderId: string, chargeId: string, at: string): Promise<void> {
    return this.#transition(orderId, "PAID", at, { chargeId });
  }

  /** PENDING → PAYMENT_FAILED with the provider's reason. */
  public markPaymentFailed(orderId: string, reason: string, at: string): Promise<void> {
    return this.#transition(orderId, "PAYMENT_FAILED", at, { paymentFailureReason: reason.slice(0, 500) });
  }

  async #transition(
    orderId: string,
    status: string,
    at: string,
    extra: Record<string, string>,
  ): Promise<void> {
    const names: Record<string, string> = { "#s": "status", "#u": "updatedAt" };
    const values: Record<string, { S: string }> = {
      ":to": { S: status },
      ":at": { S: at },
      ":pending": { S: "PENDING" },
    };
    const sets = ["#s = :to", "#u = :at"];
    for (const [key, value] of Object.entries(extra)) {
      names[`#${key}`] = key;
      values[`:${key}`] = { S: value };
      sets.push(`#${key} = :${key}`);
    }
    try {
      await this.#client.send(
        new UpdateItemCommand({
          TableName: this.#tableName,
          Key: { orderId: { S: orderId } },
          UpdateExpression: `SET ${sets.join(", ")}`,
          ConditionExpression: "attribute_exists(orderId) AND #s = :pending",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = await this.get(orderId);
      if (current?.status === status) return; // a duplicate delivery already made this transition
      throw new PermanentError(
        `order ${orderId} is ${current?.status ?? "missing"}, cannot mark it ${status}: needs a person`,
        { cause: error, code: "ORDER_STATE_CONFLICT" },
      );
    }
  }
}
