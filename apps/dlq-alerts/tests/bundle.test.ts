import { describeBundle } from "@rebound/testing";

// The built bundle is what Lambda and the simulator load: check its exports and its cold start.
describeBundle({
  bundleUrl: new URL("../dist/index.mjs", import.meta.url).href,
  environment: {
    SLACK_WEBHOOK_PARAMETER_NAME: "/rebound/slack-webhook",
  },
  exports: ["handler"],
  required: "SLACK_WEBHOOK_PARAMETER_NAME",
});
