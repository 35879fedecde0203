import type { DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";

type Image = NonNullable<NonNullable<DynamoDBRecord["dynamodb"]>["NewImage"]>;

export const STREAM_ARN =
  "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2024-01-01T00:00:00.000";
let sequence = 100_000_000_000_000_000_000n;

/** An orders-table image with the given status (and overrides). */
export function orderImage(orderId: string, status: string, overrides: Image = {}): Image {
  return {
    orderId: { S: orderId },
    customerEmail: { S: "ada@example.com" },
    items: { L: [{ M: { sku: { S: "BOOK-1" }, quantity: { N: "2" }, unitPriceCents: { N: "1400" } } }] },
    amountCents: { N: "2800" },
    currency: { S: "EUR" },
    status: { S: status },
    createdAt: { S: "2024-01-01T11:59:00.000Z" },
    updatedAt: { S: "2024-01-01T12:00:00.000Z" },
    ...overrides,
  };
}

/** One DynamoDB stream record (NEW_AND_OLD_IMAGES), as Lambda's stream poller delivers it. */
export function streamRecord(
  eventName: "INSERT" | "MODIFY" | "REMOVE",
  images: { newImage?: Image; oldImage?: Image },
): DynamoDBRecord {
  sequence += 1n;
  const orderId = images.newImage?.["orderId"]?.S ?? images.oldImage?.["orderId"]?.S ?? "ord_x";
  return {
    eventID: crypto.randomUUID().replaceAll("-", ""),
    eventName,
    eventVersion: "1.1",
    eventSource: "aws:dynamodb",
    awsRegion: "us-east-1",
    dynamodb: {
      ApproximateCreationDateTime: 1_704_110_400,
      Keys: { orderId: { S: orderId } },
      ...(images.newImage ? { NewImage: images.newImage } : {}),
      ...(images.oldImage ? { OldImage: images.oldImage } : {}),
      SequenceNumber: sequence.toString(),
      SizeBytes: 312,
      StreamViewType: "NEW_AND_OLD_IMAGES",
    },
    eventSourceARN: STREAM_ARN,
  };
}

/** PENDING → status transition of one order. */
export function transition(orderId: string, to: string, from = "PENDING"): DynamoDBRecord {
  return streamRecord("MODIFY", { oldImage: orderImage(orderId, from), newImage: orderImage(orderId, to) });
}

export function streamEvent(...records: DynamoDBRecord[]): DynamoDBStreamEvent {
  return { Records: records };
}
