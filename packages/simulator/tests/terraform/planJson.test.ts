import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { functionCode, planToTerraformJson, SimulatorError, TerraformJson } from "../../src/index.js";
import { tempDir } from "../code/zipHelpers.js";

const EXAMPLE = fileURLToPath(new URL("../../../../examples/hcl-sqs-worker/", import.meta.url));
const PLAN = join(EXAMPLE, "plan.json");

describe("a plan JSON (terraform show -json) read as a stack", () => {
  const tf = TerraformJson.load(PLAN, "plan");

  it("takes known values from planned_values", () => {
    const worker = tf.resource("aws_lambda_function.worker")!.values;
    expect(worker).toMatchObject({
      function_name: "demo-worker",
      handler: "handlers/worker.handler",
      timeout: 10,
    });
    expect(tf.resource("aws_sqs_queue.jobs")!.values.visibility_timeout_seconds).toBe(30);
  });

  it("turns bare references Terraform cannot know before apply into ${type.name.attribute}", () => {
    expect(tf.resource("aws_lambda_event_source_mapping.jobs")!.values).toMatchObject({
      event_source_arn: "${aws_sqs_queue.jobs.arn}",
      function_name: "${aws_lambda_function.worker.arn}",
    });
  });

  it("reads composite unknown values from the HCL source: jsonencode with a local, a map of environment variables, a list of layers", () => {
    expect(JSON.parse(String(tf.resource("aws_sqs_queue.jobs")!.values.redrive_policy))).toEqual({
      deadLetterTargetArn: "${aws_sqs_queue.jobs_dlq.arn}",
      maxReceiveCount: 3,
    });
    const worker = tf.resource("aws_lambda_function.worker")!.values;
    expect(worker.environment).toEqual([
      { variables: { DEAD_LETTER_QUEUE_URL: "${aws_sqs_queue.jobs_dlq.url}", FLAKY_SUCCEEDS_ON: "2" } },
    ]);
    expect(worker.layers).toEqual(["${aws_lambda_layer_version.job_rules.arn}"]);
  });

  it("finds each function's zip and layers relative to the plan's folder", () => {
    const code = functionCode(tf.resource("aws_lambda_function.worker")!, tf);
    expect(code).toEqual({
      runnable: true,
      code: { kind: "zip", path: join(EXAMPLE, "build", "worker.zip") },
      layers: [{ kind: "zip", path: join(EXAMPLE, "build", "job-rules-layer.zip") }],
      handler: "handlers/worker.handler",
      nodeMajor: 20,
    });
  });

  it("takes the region from the provider's variable", () => {
    expect(tf.document.provider).toEqual({ aws: [{ region: "eu-west-1" }] });
  });
});

describe("functionCode: what cannot run in-process says why", () => {
  const stack = (fn: Record<string, unknown>) =>
    new TerraformJson(
      { resource: { aws_lambda_function: { f: { function_name: "f", ...fn } } } },
      join(tempDir("fc"), "s.tf.json"),
    );
  it.each([
    [
      { runtime: "python3.12", filename: "f.zip" },
      /runtime python3.12 does not run in Rebound's Node.js process/,
    ],
    [{ package_type: "Image", image_uri: "x" }, /container image/],
    [{ runtime: "nodejs20.x", s3_bucket: "code-bucket" }, /in S3 \(s3_bucket code-bucket\)/],
    [
      { runtime: "nodejs20.x", filename: "f.zip", layers: ["arn:aws:lambda:eu-west-1:1:layer:x:1"] },
      /not an aws_lambda_layer_version of this stack/,
    ],
  ])("%j", (values, reason) => {
    const code = functionCode(stack(values).resource("aws_lambda_function.f")!, stack(values));
    expect(code.runnable).toBe(false);
    expect(!code.runnable && code.reason).toMatch(reason);
  });

  it("takes an archive_file data source's source_dir as the code folder", () => {
    const tf = new TerraformJson(
      {
        data: { archive_file: { worker: { source_dir: "src/worker", output_path: "build/w.zip" } } },
        resource: {
          aws_lambda_function: {
            f: {
              function_name: "f",
              runtime: "nodejs22.x",
              filename: "${data.archive_file.worker.output_path}",
            },
          },
        },
      },
      "/project/stack.tf.json",
    );
    const code = functionCode(tf.resource("aws_lambda_function.f")!, tf);
    expect(code.runnable && code.code).toEqual({ kind: "directory", path: "/project/src/worker" });
    expect(code.runnable && code.nodeMajor).toBe(22);
  });
});

describe("files that are not a usable plan: one line naming the file and the fix", () => {
  const write = (content: unknown) => {
    const file = join(tempDir("plan"), "plan.json");
    writeFileSync(file, JSON.stringify(content));
    return file;
  };
  it.each([
    [
      { resource: { aws_sqs_queue: {} } },
      /is a Terraform JSON configuration \(.tf.json\), not a plan; pass it with --stack/,
    ],
    [
      { some: "other tool" },
      /is not the JSON of a Terraform plan \(no format_version\); create it with: terraform plan -out plan.tfplan/,
    ],
    [{ format_version: "0.1", planned_values: {} }, /has plan format 0.1; Rebound reads format 1.x/],
    [{ format_version: "1.0", values: {} }, /has no planned_values: it is the JSON of a state/],
    [{ format_version: "1.2", planned_values: { root_module: {} } }, /has no configuration.root_module/],
  ])("%j", (content, message) => {
    const file = write(content);
    expect(() => TerraformJson.load(file, "plan")).toThrow(SimulatorError);
    expect(() => TerraformJson.load(file, "plan")).toThrow(message);
  });

  it("refuses a plan passed as --stack, pointing at --plan", () => {
    const file = write(JSON.parse(readFileSync(PLAN, "utf8")));
    expect(() => TerraformJson.load(file, "stack")).toThrow(/pass it with --plan instead of --stack/);
  });

  it("is a pure function of the plan: the same input gives the same document", () => {
    const plan = JSON.parse(readFileSync(PLAN, "utf8"));
    expect(planToTerraformJson(plan, PLAN)).toEqual(planToTerraformJson(structuredClone(plan), PLAN));
  });
});
