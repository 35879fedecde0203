import { describeBundle } from "@rebound/testing";

// The built bundle is what Lambda and the simulator load: check its exports and its cold start.
describeBundle({
  bundleUrl: new URL("../dist/index.mjs", import.meta.url).href,
  environment: {
    STOCK_SERVICE_URL: "http://127.0.0.1:9",
    CARRIER_URL: "http://127.0.0.1:9",
  },
  exports: ["reserveStock", "shipOrder"],
  required: "STOCK_SERVICE_URL",
});
