import { describeBundle } from "@rebound/testing";

// The built bundle is what Lambda and the simulator load: check its exports and its cold start.
describeBundle({
  bundleUrl: new URL("../dist/index.mjs", import.meta.url).href,
  environment: {
    IDEMPOTENCY_TABLE_NAME: "idempotency",
    ORDER_EVENTS_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:order-events",
    FULFILLMENT_QUEUE_URL: "http://127.0.0.1:9/123456789012/fulfillment",
    PARKING_QUEUE_URL: "http://127.0.0.1:9/123456789012/parked-events",
  },
  exports: ["handler"],
  required: "IDEMPOTENCY_TABLE_NAME",
});
