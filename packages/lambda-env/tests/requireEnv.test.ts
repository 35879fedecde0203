import { describe, expect, it } from "vitest";
import { requireEnv } from "../src/index.js";

describe("requireEnv", () => {
  it("returns the named variables", () => {
    expect(requireEnv({ A: "1", B: "two", C: "ignored" }, ["A", "B"])).toEqual({ A: "1", B: "two" });
  });

  it("names every missing or empty variable in one error, so one deploy fixes them all", () => {
    expect(() => requireEnv({ A: "1", B: "" }, ["A", "B", "C"])).toThrow(
      "missing environment variable(s) B, C: set them on the function (infra sets them)",
    );
  });
});
