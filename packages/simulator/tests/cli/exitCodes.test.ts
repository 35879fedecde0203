import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { rebound, STACK, VALID_SCENARIO } from "./cliHarness.js";

const dir = mkdtempSync(join(tmpdir(), "rebound-exit-codes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const reports = join(dir, "reports");
mkdirSync(reports);

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const valid = file("valid.yaml", `${VALID_SCENARIO.join("\n")}\n`);
const billionLaughs = [
  "a: &a [x, x, x, x, x, x, x, x, x, x]",
  ...["b", "c", "d", "e", "f", "g", "h"].map(
    (name, index) => `${name}: &${name} [${Array(10).fill(`*${"abcdefg"[index]}`).join(", ")}]`,
  ),
];
const stackDoc = JSON.parse(readFileSync(STACK, "utf8")) as {
  resource: { aws_sqs_queue: Record<string, Record<string, unknown>> };
};
const queues = stackDoc.resource.aws_sqs_queue;
const alerts = Object.keys(queues).find((key) => key.startsWith("alerts_"));
const payments = Object.keys(queues).find((key) => key.startsWith("payments_queue"));
const cycleStack = file(
  "cycle.tf.json",
  JSON.stringify({
    ...stackDoc,
    resource: {
      ...stackDoc.resource,
      aws_sqs_queue: {
        ...queues,
        [alerts ?? ""]: {
          ...queues[alerts ?? ""],
          redrive_policy: JSON.stringify({
            deadLetterTargetArn: `\${aws_sqs_queue.${payments}.arn}`,
            maxReceiveCount: 5,
          }),
        },
      },
    },
  }),
);
const readOnlyFile = file("a-file", "not a folder");

/** Each bad input: the arguments, and what stderr must say (the file or flag and the fix). */
const CASES: { problem: string; args: () => string[]; says: RegExp[] }[] = [
  {
    problem: "a missing file",
    args: () => ["simulate", join(dir, "nope.yaml")],
    says: [/nope\.yaml: no such file; check the path/],
  },
  { problem: "a directory", args: () => ["simulate", dir], says: [/is a folder; pass a file/] },
  {
    problem: "an empty file",
    args: () => ["simulate", file("empty.yaml", "")],
    says: [/empty\.yaml:1:1: the scenario file is empty; start with/],
  },
  {
    problem: "a file that is not UTF-8",
    args: () => [
      "simulate",
      file("latin1.yaml", Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0x0a])),
    ],
    says: [/latin1\.yaml is not UTF-8 text \(first bad byte near offset \d+\); save it as UTF-8/],
  },
  {
    problem: "a YAML syntax error",
    args: () => ["simulate", file("syntax.yaml", "name: [x\n")],
    says: [/syntax\.yaml:\d+:\d+: YAML syntax: /],
  },
  {
    problem: "an alias bomb in an event body",
    args: () => [
      "simulate",
      file(
        "bomb-body.yaml",
        [
          ...VALID_SCENARIO.slice(0, 9),
          "    body:",
          ...billionLaughs.map((line) => `      ${line}`),
          ...VALID_SCENARIO.slice(10),
        ].join("\n"),
      ),
    ],
    says: [/bomb-body\.yaml:11:\d+: this value expands YAML aliases/],
  },
  {
    problem: "an alias bomb in a downstream body",
    args: () => [
      "simulate",
      file(
        "bomb-downstream.yaml",
        [...VALID_SCENARIO.slice(0, 16), "    body:", ...billionLaughs.map((line) => `      ${line}`)].join(
          "\n",
        ),
      ),
    ],
    says: [/bomb-downstream\.yaml:\d+:\d+: this value expands YAML aliases/],
  },
  {
    problem: "20,000 levels of nesting",
    args: () => ["simulate", file("deep.yaml", `name: ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`)],
    says: [/deep\.yaml:\d+:\d+: YAML nested too deeply to read/],
  },
  {
    problem: "an oversized file",
    args: () => ["simulate", file("huge.yaml", Buffer.alloc(6 * 1024 * 1024, "#"))],
    says: [/huge\.yaml is 6\.0 MB, over the 5\.0 MB limit/],
  },
  {
    problem: "an unknown flag",
    args: () => ["simulate", valid, "--sed", "1"],
    says: [/unknown flag --sed for rebound simulate; did you mean "--seed"\?/],
  },
  {
    problem: "an unknown command",
    args: () => ["simulat"],
    says: [/unknown command "simulat"; did you mean "simulate"\?/],
  },
  {
    problem: "a flag without its value",
    args: () => ["simulate", valid, "--seed"],
    says: [/--seed needs a value/],
  },
  ...["-1", "4294967296", "1.5", "abc", "1e3", "0x10"].map((seed) => ({
    problem: `--seed ${seed}`,
    args: () => ["simulate", valid, `--seed=${seed}`],
    says: [new RegExp(`--seed ${seed.replace(".", "\\.")}: a seed is a whole number from 0 to 4294967295`)],
  })),
  {
    problem: "a --report folder whose parent is missing",
    args: () => ["simulate", valid, "--report", join(dir, "no", "such")],
    says: [/--report .*: the folder .*no does not exist; create it first/],
  },
  {
    problem: "a --report path that is a file",
    args: () => ["simulate", valid, "--report", readOnlyFile],
    says: [/--report .*a-file is a file, not a folder/],
  },
  {
    problem: "a --logs folder whose parent is missing",
    args: () => ["simulate", valid, "--logs", join(dir, "no", "logs")],
    says: [/--logs .*: the folder .*no does not exist/],
  },
  {
    problem: "a --trace file in a missing folder",
    args: () => ["simulate", valid, "--trace", join(dir, "no", "trace.txt")],
    says: [/--trace .*trace\.txt: the folder .*no does not exist/],
  },
  {
    problem: "a --trace path that is a folder",
    args: () => ["simulate", valid, "--trace", dir],
    says: [/--trace .* is a folder; give a file name/],
  },
  {
    problem: "a stack that is not Terraform",
    args: () => ["simulate", valid, "--stack", file("not-tf.json", '{"hello": 1}')],
    says: [/not-tf\.json has no "resource" object, so it is not a Terraform JSON configuration/],
  },
  {
    problem: "a stack that is not JSON",
    args: () => ["simulate", valid, "--stack", file("not-json.json", "resource {")],
    says: [/not-json\.json is not valid JSON/],
  },
  {
    problem: "a stack with a redrive cycle",
    args: () => ["simulate", valid, "--stack", cycleStack],
    says: [/cycle\.tf\.json: .*redrive cycle: /],
  },
  {
    problem: "explain on a stack with a redrive cycle",
    args: () => ["explain", "--stack", cycleStack],
    says: [/cycle\.tf\.json: .*redrive cycle: /],
  },
  {
    problem: "explain on a stack that is not Terraform",
    args: () => ["explain", "--stack", file("not-tf2.json", "[]")],
    says: [/must hold a JSON object/],
  },
  {
    problem: "explain on a missing stack",
    args: () => ["explain", "--stack", join(dir, "none.tf.json")],
    says: [/--stack .*none\.tf\.json: no such file/],
  },
];

describe("rebound exits 2 on bad input, one line per problem naming the file or flag and the fix", () => {
  it.each(CASES)("$problem", ({ args, says }) => {
    const argv = args();
    const run = rebound(
      argv[0] === "simulate" && !argv.includes("--report") ? [...argv, "--report", reports] : argv,
    );
    expect(run.status, run.stderr + run.stdout).toBe(2);
    for (const pattern of says) expect(run.stderr).toMatch(pattern);
    expect(run.stderr).not.toMatch(/^\s+at /m); // never a stack trace
    expect(run.stderr).not.toMatch(/internal error/);
  });
});

describe("rebound's other exit statuses", () => {
  it("exits 0 when every expectation holds and 1 when one fails", () => {
    expect(rebound(["simulate", valid, "--report", reports]).status).toBe(0);
    const failing = file(
      "failing.yaml",
      [...VALID_SCENARIO, "expect:", "  - check: requests", "    downstream: payment", "    count: 7"].join(
        "\n",
      ),
    );
    const run = rebound(["simulate", failing, "--report", reports]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/reproduce with pnpm rebound simulate \S+failing\.yaml --seed 1/);
  }, 120_000);
});
