import { afterEach, describe, expect, it } from "vitest";

// The built bundle is what Lambda and the simulator load: check its exports and its cold start.
const ENV = {
  SLACK_WEBHOOK_PARAMETER_NAME: "/rebound/slack-webhook",
} as const;
const BUNDLE = new URL("../dist/index.mjs", import.meta.url).href;

afterEach(() => {
  for (const name of Object.keys(ENV)) delete process.env[name];
});

describe("dist/index.mjs", () => {
  it("exports handler as functions once its environment is set", async () => {
    Object.assign(process.env, ENV, { AWS_REGION: "us-east-1" });
    const bundle = await import(`${BUNDLE}?configured`);
    for (const name of ["handler"]) expect(typeof bundle[name]).toBe("function");
  });

  it("fails its cold start naming the missing variable", async () => {
    Object.assign(process.env, ENV, { AWS_REGION: "us-east-1" });
    delete process.env["SLACK_WEBHOOK_PARAMETER_NAME"];
    await expect(import(`${BUNDLE}?missing`)).rejects.toThrow("SLACK_WEBHOOK_PARAMETER_NAME");
  });
});
