// The handlers another team would write with the published packages: every import is a public entry
// point, every identifier is defined here, and the project compiles with the strictest settings.

import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  createJsonLogger,
  httpHandler,
  NotFoundError,
  type ParkedEvent,
  type Parker,
  RetryableError,
  sqsBatchHandler,
  ValidationError,
} from "@rebound/errors";
import { InMemoryStore, keyFromMessageId, makeIdempotent } from "@rebound/idempotency";
import { DynamoDBStore } from "@rebound/idempotency/dynamodb";
import type { SQSRecord } from "aws-lambda";

export interface PaymentRequest {
  readonly orderId: string;
  readonly amountCents: number;
}

/** What the fake payment provider charged, in order: the test checks nothing is charged twice. */
export const charges: PaymentRequest[] = [];
/** Log lines the wrappers wrote, parsed. */
export const logLines: Record<string, unknown>[] = [];
/** Entries the SQS wrapper parked (permanent failures). */
export const parked: ParkedEvent[] = [];

const logger = createJsonLogger({
  write: (line) => logLines.push(JSON.parse(line) as Record<string, unknown>),
});
const memoryParker: Parker = {
  park: async (entry) => {
    parked.push(entry);
  },
};

function parsePayment(body: unknown): PaymentRequest {
  const candidate = body as Partial<PaymentRequest> | null;
  if (typeof candidate?.orderId !== "string" || typeof candidate.amountCents !== "number") {
    throw new ValidationError("a payment needs orderId (string) and amountCents (number)");
  }
  return { orderId: candidate.orderId, amountCents: candidate.amountCents };
}

async function charge(payment: PaymentRequest): Promise<{ chargeId: string }> {
  if (payment.orderId === "throttled")
    throw new RetryableError("payment provider throttled", { retryAfterSeconds: 5 });
  charges.push(payment);
  return { chargeId: `ch-${payment.orderId}` };
}

const memoryStore = new InMemoryStore();
const chargeRecordOnce = makeIdempotent(
  async (record: SQSRecord) => charge(parsePayment(JSON.parse(record.body))),
  { store: memoryStore, keyFrom: keyFromMessageId, namespace: "charge-record" },
);

/** SQS: malformed → parked, throttled → reported for retry, valid → charged once per message id. */
export const sqsHandler = sqsBatchHandler(async (record) => chargeRecordOnce(record), {
  parking: memoryParker,
  logger,
});

const orders = new Map<string, { readonly id: string; readonly status: string }>([
  ["o-1", { id: "o-1", status: "paid" }],
]);

/** HTTP API: GET /orders/{id}; POST /orders validates its JSON body. */
export const httpApiHandler = httpHandler(
  async (request) => {
    if (request.method === "POST") {
      const payment = parsePayment(request.body);
      return { statusCode: 201, body: { orderId: payment.orderId } };
    }
    const id = request.pathParameters["id"] ?? "";
    const order = orders.get(id);
    if (!order) throw new NotFoundError(`order ${id} not found`, { code: "ORDER_NOT_FOUND" });
    return { statusCode: 200, body: order };
  },
  { logger },
);

/** The same charge, made idempotent by order id on a DynamoDB table. */
export function chargeOnceOnDynamoDB(client: DynamoDBClient, tableName: string) {
  const store = new DynamoDBStore({ tableName, client });
  return makeIdempotent(async (payment: PaymentRequest) => charge(payment), {
    store,
    keyFrom: (payment) => payment.orderId,
    namespace: "charge",
  });
}
