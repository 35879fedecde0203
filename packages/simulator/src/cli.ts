#!/usr/bin/env node
import { type CommandLine, parseCommandLine } from "./cli/commandLine.js";
import { describeFailure, ExitCode, type ExitCodeValue } from "./cli/exitCodes.js";

// The `rebound` command: parsing and help live in cli/commandLine.ts, exit statuses and how a failure
// is printed in cli/exitCodes.ts, each command in its own file. The simulate command is imported only
// when asked for, so `--help` and rejected input do not load the whole simulator.

async function main(line: CommandLine): Promise<ExitCodeValue> {
  if (line.kind === "help") {
    console.log(line.text);
    return ExitCode.Ok;
  }
  if (line.command === "explain") {
    const { explainCommand } = await import("./cli/explainCommand.js");
    return explainCommand(line.flags as { stack?: string; plan?: string; json?: boolean });
  }
  if (line.command === "init") {
    const { initCommand } = await import("./cli/initCommand.js");
    return initCommand(line.flags as { stack?: string; plan?: string; out?: string });
  }
  const { simulateCommand } = await import("./cli/simulateCommand.js");
  return simulateCommand(line.args, line.flags);
}

const argv = process.argv.slice(2);
const debug = argv.includes("--debug");
let line: CommandLine | undefined;
try {
  line = parseCommandLine(argv);
} catch (error) {
  fail(error);
}
if (line !== undefined)
  main(line).then((code) => {
    process.exitCode = code;
  }, fail);

function fail(error: unknown): void {
  const { code, lines } = describeFailure(error, debug);
  for (const text of lines) console.error(text);
  process.exitCode = code;
}
