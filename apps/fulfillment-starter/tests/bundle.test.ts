import { describeBundle } from "@rebound/testing";

// The built bundle is what Lambda and the simulator load: check its exports and its cold start.
describeBundle({
  bundleUrl: new URL("../dist/index.mjs", import.meta.url).href,
  environment: {
    STATE_MACHINE_ARN: "arn:aws:states:us-east-1:123456789012:stateMachine:fulfillment",
    PARKING_QUEUE_URL: "http://127.0.0.1:9/123456789012/fulfillment-dlq",
  },
  exports: ["handler"],
  required: "STATE_MACHINE_ARN",
});
