import { parseArgs } from "node:util";
import { didYouMean } from "../scenario/didYouMean.js";
import { InputError } from "./exitCodes.js";

/** One flag of a command, as `--help` lists it. */
interface FlagSpec {
  readonly type: "string" | "boolean";
  readonly short?: string;
  /** The value's placeholder in help ("FILE"); none for booleans. */
  readonly value?: string;
  readonly help: string;
}

const COMMON: Record<string, FlagSpec> = {
  debug: { type: "boolean", help: "on an internal error, print the stack trace" },
  help: { type: "boolean", short: "h", help: "this help" },
};

const STACK: FlagSpec = {
  type: "string",
  value: "FILE",
  help: "Terraform JSON to read (default: infra/cdktf.out/stacks/orders/cdk.tf.json)",
};

const PLAN: FlagSpec = {
  type: "string",
  value: "FILE",
  help: "a plan's JSON instead of --stack (HCL projects): terraform plan -out plan.tfplan && terraform show -json plan.tfplan > plan.json",
};

/** Every command, its arguments and its flags: the one source of parsing and of `--help`. */
export const COMMANDS = {
  simulate: {
    usage: "rebound simulate [SCENARIO.yaml ...] [flags]",
    summary: "replay the stack under AWS's retry rules; default: every scenarios/*.yaml",
    flags: {
      stack: STACK,
      plan: PLAN,
      seed: {
        type: "string",
        value: "N",
        help: "seed of every random choice, 0 to 4294967295 (default: each scenario's own)",
      },
      json: { type: "boolean", help: "print the results as JSON on stdout (no progress, no summary)" },
      trace: {
        type: "string",
        value: "FILE",
        help: "write the trace, one line per simulated event (several scenarios: FILE.<name>)",
      },
      report: { type: "string", value: "DIR", help: "where the HTML reports go (default: .rebound/reports)" },
      logs: {
        type: "string",
        value: "DIR",
        help: "where the functions' log lines go (default: .rebound/logs)",
      },
      key: {
        type: "string",
        value: "FIELD",
        help: "a business field (e.g. orderId) shown per event in the report",
      },
      ...COMMON,
    },
  },
  explain: {
    usage: "rebound explain [flags]",
    summary: "every function's retry policy in plain words, from the synthesized stack",
    flags: {
      stack: STACK,
      plan: PLAN,
      json: {
        type: "boolean",
        help: "print { stack, functions, problems } as JSON on stdout (schema in the README)",
      },
      ...COMMON,
    },
  },
  init: {
    usage: "rebound init [flags]",
    summary:
      "write a starter scenario for the stack: one event per trigger, every event final, nothing dead-lettered",
    flags: {
      stack: STACK,
      plan: PLAN,
      out: { type: "string", value: "FILE", help: "where to write it (default: scenarios/starter.yaml)" },
      ...COMMON,
    },
  },
} as const satisfies Record<string, { usage: string; summary: string; flags: Record<string, FlagSpec> }>;

/** A command's name. */
export type CommandName = keyof typeof COMMANDS;

/** What the command line asked for. */
export type CommandLine =
  | { readonly kind: "help"; readonly text: string }
  | {
      readonly kind: "run";
      readonly command: CommandName;
      readonly args: readonly string[];
      readonly flags: Readonly<Record<string, string | boolean | undefined>>;
      readonly debug: boolean;
    };

const EXIT_STATUS = `Exit status:
  0  every expectation holds
  1  an expectation does not hold
  2  bad input (a file, flag, scenario or stack); one line per problem, nothing was run
  3  an internal error in Rebound (please report it; --debug prints the stack trace)`;

/**
 * Parses `rebound`'s arguments. Unknown commands and flags, a flag without its value and a bad
 * `--seed` are `InputError`s with the fix; `--help` anywhere gives the help of the command.
 *
 * @example
 * ```ts
 * const line = parseCommandLine(["simulate", "scenarios/x.yaml", "--seed", "7"]);
 * if (line.kind === "run") console.log(line.command, line.args, line.flags.seed); // simulate [ 'scenarios/x.yaml' ] 7
 * ```
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const first = argv[0];
  if (first === undefined || first === "help" || first === "--help" || first === "-h")
    return { kind: "help", text: generalHelp() };
  if (!(first in COMMANDS)) {
    const hint = didYouMean(first, Object.keys(COMMANDS));
    throw new InputError([
      `unknown command "${first}"${hint ? `; did you mean "${hint}"?` : ""}; commands: ${Object.keys(COMMANDS).join(", ")} (rebound --help)`,
    ]);
  }
  const command = first as CommandName;
  const spec = COMMANDS[command];
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv.slice(1),
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        Object.entries(spec.flags).map(([name, flag]) => [
          name,
          { type: flag.type, ...("short" in flag ? { short: flag.short } : {}) },
        ]),
      ),
    });
  } catch (error) {
    throw new InputError([flagProblem(command, error as Error)], { cause: error });
  }
  const flags = parsed.values as Record<string, string | boolean | undefined>;
  if (flags.help) return { kind: "help", text: commandHelp(command) };
  if (command !== "simulate" && parsed.positionals.length > 0)
    throw new InputError([
      `rebound ${command} takes no arguments, got "${parsed.positionals[0]}"; use --stack FILE or --plan FILE`,
    ]);
  if (flags.stack !== undefined && flags.plan !== undefined)
    throw new InputError(["--stack and --plan name the same thing; pass one of them"]);
  if (typeof flags.seed === "string") parseSeed(flags.seed);
  return { kind: "run", command, args: parsed.positionals, flags, debug: flags.debug === true };
}

/**
 * A `--seed` value: decimal digits only, 0 to 2^32 - 1 (the seeded generator's state is 32 bits, so
 * larger seeds would silently repeat smaller ones).
 *
 * @example
 * ```ts
 * parseSeed("42"); // 42
 * ```
 */
export function parseSeed(text: string): number {
  const value = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= 0 && value <= 0xffff_ffff))
    throw new InputError([`--seed ${text}: a seed is a whole number from 0 to 4294967295`]);
  return value;
}

function flagProblem(command: CommandName, error: Error): string {
  const code = (error as { code?: string }).code;
  const flag = /'(-{1,2}[^' ]+)/.exec(error.message)?.[1];
  const known = Object.keys(COMMANDS[command].flags).map((name) => `--${name}`);
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && flag) {
    const hint = didYouMean(flag, known);
    return `unknown flag ${flag} for rebound ${command}${hint ? `; did you mean "${hint}"?` : ""}; flags: ${known.join(", ")}`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && flag) {
    // node:util refuses `--seed -1` as ambiguous: the value looks like a flag.
    return /ambiguous/.test(error.message)
      ? `${flag} needs a value; write a value that starts with "-" as ${flag}=-VALUE (rebound ${command} --help)`
      : `${flag} needs a value (rebound ${command} --help)`;
  }
  return `${error.message.split("\n")[0]} (rebound ${command} --help)`;
}

function generalHelp(): string {
  const commands = Object.entries(COMMANDS).map(([name, spec]) => `  ${name.padEnd(10)} ${spec.summary}`);
  return [
    "Usage: rebound <command> [flags]",
    "",
    "Commands:",
    ...commands,
    "",
    "Run `rebound <command> --help` for a command's flags.",
    "",
    EXIT_STATUS,
  ].join("\n");
}

function commandHelp(command: CommandName): string {
  const spec = COMMANDS[command];
  const flags = Object.entries(spec.flags).map(([name, flag]) => {
    const left = `${"short" in flag ? `-${flag.short}, ` : "    "}--${name}${"value" in flag ? ` ${flag.value}` : ""}`;
    return `  ${left.padEnd(20)} ${flag.help}`;
  });
  return [`Usage: ${spec.usage}`, "", spec.summary, "", "Flags:", ...flags, "", EXIT_STATUS].join("\n");
}
