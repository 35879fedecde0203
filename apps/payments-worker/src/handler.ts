import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { parsePaymentRequest } from "./paymentRequest.js";

/** SQS entry point: reports the messages that failed so only they come back. */
export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
  for (const record of event.Records) {
    try {
      parsePaymentRequest(record.body);
    } catch {
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
