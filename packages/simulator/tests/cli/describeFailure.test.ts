import { describe, expect, it } from "vitest";
import { describeFailure, ExitCode, InputError } from "../../src/cli/exitCodes.js";
import { SimulatorError } from "../../src/engine/errors.js";
import { ScenarioError } from "../../src/scenario/ScenarioError.js";

describe("describeFailure", () => {
  it("maps an unexpected error to exit 3 with a bug-report line and no stack trace", () => {
    const { code, lines } = describeFailure(new TypeError("x is undefined"), false);
    expect(code).toBe(ExitCode.InternalError);
    expect(lines[0]).toBe("rebound: internal error: TypeError: x is undefined");
    expect(lines.at(-1)).toMatch(/bug in Rebound.*report it.*--debug/);
    expect(lines.join("\n")).not.toMatch(/^\s+at /m);
  });

  it("adds the stack trace under --debug", () => {
    const { code, lines } = describeFailure(new TypeError("x is undefined"), true);
    expect(code).toBe(3);
    expect(lines.join("\n")).toMatch(/^\s+at /m);
  });

  it("maps scenario, input and simulator errors to exit 2, one escaped line per problem", () => {
    const scenario = describeFailure(
      new ScenarioError([
        { file: "a.yaml", line: 1, column: 2, path: "", message: "bad\u001b[2J" },
        { file: "a.yaml", line: 3, column: 1, path: "", message: "worse\u202e" },
      ]),
      true,
    );
    expect(scenario).toEqual({ code: 2, lines: ["a.yaml:1:2: bad\\u{1b}[2J", "a.yaml:3:1: worse\\u{202e}"] });
    expect(describeFailure(new InputError(["--seed x: bad", "b.yaml:2:3: worse"]), false)).toEqual({
      code: 2,
      lines: ["rebound: --seed x: bad", "b.yaml:2:3: worse"],
    });
    expect(describeFailure(new SimulatorError("stack.json: no"), false)).toEqual({
      code: 2,
      lines: ["rebound: stack.json: no"],
    });
  });

  it("treats node:util's argument errors as bad input", () => {
    const error = Object.assign(new TypeError("Unknown option '--x'"), {
      code: "ERR_PARSE_ARGS_UNKNOWN_OPTION",
    });
    expect(describeFailure(error, false).code).toBe(2);
  });
});
