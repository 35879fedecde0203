import { afterEach, describe, expect, it } from "vitest";

// The built bundle is what Lambda and the simulator load: check its exports and its cold start.
const ENV = {
  STOCK_SERVICE_URL: "http://127.0.0.1:9",
  CARRIER_URL: "http://127.0.0.1:9",
} as const;
const BUNDLE = new URL("../dist/index.mjs", import.meta.url).href;

afterEach(() => {
  for (const name of Object.keys(ENV)) delete process.env[name];
});

describe("dist/index.mjs", () => {
  it("exports reserveStock, shipOrder as functions once its environment is set", async () => {
    Object.assign(process.env, ENV, { AWS_REGION: "us-east-1" });
    const bundle = await import(`${BUNDLE}?configured`);
    for (const name of ["reserveStock", "shipOrder"]) expect(typeof bundle[name]).toBe("function");
  });

  it("fails its cold start naming the missing variable", async () => {
    Object.assign(process.env, ENV, { AWS_REGION: "us-east-1" });
    delete process.env["STOCK_SERVICE_URL"];
    await expect(import(`${BUNDLE}?missing`)).rejects.toThrow("STOCK_SERVICE_URL");
  });
});
