import { describeBundle } from "@rebound/testing";

// The built bundle is what Lambda and the simulator load: check its exports and its cold start.
describeBundle({
  bundleUrl: new URL("../dist/index.mjs", import.meta.url).href,
  environment: {
    ORDERS_TABLE_NAME: "orders",
    IDEMPOTENCY_TABLE_NAME: "idempotency",
    PAYMENTS_QUEUE_URL: "http://127.0.0.1:9/123456789012/payments",
  },
  exports: ["handler"],
  required: "ORDERS_TABLE_NAME",
});
