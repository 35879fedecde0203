import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../src/errors.js";
import { loadConfig } from "../src/loadConfig.js";
import { fixtureConfigDir } from "./helpers/stacks.js";

function configDirWith(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "rebound-config-"));
  writeFileSync(join(dir, "dev.json"), JSON.stringify(content));
  return dir;
}

const valid = {
  namePrefix: "acme-dev",
  region: "eu-west-1",
  providers: {
    paymentUrl: "https://p.example",
    mailUrl: "https://m.example",
    stockUrl: "https://s.example",
    carrierUrl: "https://c.example",
  },
  slackWebhookParameterName: "/acme/slack",
};

describe("loadConfig", () => {
  it("loads the default dev configuration with no environment variables and no AWS account", () => {
    const config = loadConfig({ environ: {} });
    expect(config).toMatchObject({
      environment: "dev",
      namePrefix: "rebound-dev",
      region: "eu-west-1",
      deletionProtection: false,
    });
    expect(config.stateBackend).toBeUndefined();
  });

  it("selects the file with REBOUND_ENV", () => {
    expect(
      loadConfig({
        environ: {
          REBOUND_ENV: "prod",
          REBOUND_STATE_BUCKET: "acme-state",
          REBOUND_ALARM_EMAIL: "oncall@example.com",
        },
      }),
    ).toMatchObject({
      environment: "prod",
      namePrefix: "rebound-prod",
      deletionProtection: true,
      alarmEmail: "oncall@example.com",
      stateBackend: { bucket: "acme-state", key: "rebound/prod/orders.tfstate", useLockfile: true },
    });
  });

  it("names every variable prod requires that is missing, instead of falling back to local state", () => {
    expect(() => loadConfig({ environ: { REBOUND_ENV: "prod", REBOUND_ALARM_EMAIL: "" } })).toThrow(
      /REBOUND_STATE_BUCKET is not set: the prod configuration \(.*prod\.json, requiredVariables\) needs the S3 bucket holding the Terraform state[\s\S]*REBOUND_ALARM_EMAIL is not set/,
    );
  });

  it("rejects an unknown name in requiredVariables", () => {
    expect(() =>
      loadConfig({
        environ: {},
        configDir: configDirWith({ ...valid, requiredVariables: ["REBOUND_BUKET"] }),
      }),
    ).toThrow('requiredVariables: unknown variable "REBOUND_BUKET"');
  });

  it("reads the alarm e-mail and the JWT issuer and audiences from the file or REBOUND_* variables", () => {
    const config = loadConfig({
      environ: {
        REBOUND_ALARM_EMAIL: "ops@acme.example",
        REBOUND_JWT_ISSUER: "https://id.acme.example/",
        REBOUND_JWT_AUDIENCE: "orders, admin",
      },
      configDir: configDirWith({ ...valid, api: { jwtIssuer: "https://file.example/", jwtAudience: ["x"] } }),
    });
    expect(config.alarmEmail).toBe("ops@acme.example");
    expect(config.api.jwt).toEqual({ issuer: "https://id.acme.example/", audience: ["orders", "admin"] });
  });

  it.each([
    [{ alarmEmail: "oncall" }, "alarmEmail: must be an e-mail address"],
    [
      { api: { jwtIssuer: "http://id.example/", jwtAudience: ["x"] } },
      "api.jwtIssuer: must be the https URL",
    ],
    [
      { api: { jwtIssuer: "https://id.example/", jwtAudience: [] } },
      "api.jwtAudience: must be a non-empty list",
    ],
    [{ api: { jwtIssuer: "https://id.example/" } }, "api.jwtIssuer and api.jwtAudience: set both"],
  ])("rejects %j", (extra, message) => {
    expect(() => loadConfig({ environ: {}, configDir: configDirWith({ ...valid, ...extra }) })).toThrow(
      message,
    );
  });

  it("applies defaults for log retention, deletion protection and API throttling", () => {
    expect(loadConfig({ environ: {}, configDir: configDirWith(valid) })).toMatchObject({
      logRetentionInDays: 30,
      deletionProtection: false,
      api: { throttlingRateLimit: 50, throttlingBurstLimit: 100 },
    });
  });

  it("overrides settings from REBOUND_* variables", () => {
    const config = loadConfig({
      environ: {
        REBOUND_ENV: "test",
        REBOUND_NAME_PREFIX: "ci-7",
        REBOUND_REGION: "us-east-2",
        REBOUND_PAYMENT_PROVIDER_URL: "http://127.0.0.1:9000",
        REBOUND_ALARM_TOPIC_ARN: "arn:aws:sns:us-east-2:123456789012:ops",
      },
      configDir: fixtureConfigDir,
    });
    expect(config).toMatchObject({
      namePrefix: "ci-7",
      region: "us-east-2",
      providers: { paymentUrl: "http://127.0.0.1:9000" },
      alarmTopicArn: "arn:aws:sns:us-east-2:123456789012:ops",
    });
  });

  it.each([
    [{}, { bucket: "acme-state", key: "rebound/dev/orders.tfstate", region: "eu-west-1", useLockfile: true }],
    [
      {
        REBOUND_STATE_LOCK_TABLE: "tf-locks",
        REBOUND_STATE_KEY: "x/y.tfstate",
        REBOUND_STATE_REGION: "us-east-1",
      },
      {
        bucket: "acme-state",
        key: "x/y.tfstate",
        region: "us-east-1",
        dynamodbTable: "tf-locks",
        useLockfile: false,
      },
    ],
  ])("configures remote state from REBOUND_STATE_BUCKET with locking (%j)", (extra, expected) => {
    expect(loadConfig({ environ: { REBOUND_STATE_BUCKET: "acme-state", ...extra } }).stateBackend).toEqual(
      expected,
    );
  });

  it("refuses remote state without locking", () => {
    expect(() =>
      loadConfig({ environ: { REBOUND_STATE_BUCKET: "acme-state", REBOUND_STATE_USE_LOCKFILE: "false" } }),
    ).toThrow("remote state needs locking");
  });

  it("reports every problem with its key, the value and what is expected", () => {
    const dir = configDirWith({
      ...valid,
      region: "Ireland",
      regoin: "eu-west-1",
      providers: { ...valid.providers, mailUrl: "mail" },
      logRetentionInDays: 10,
    });
    let message = "";
    try {
      loadConfig({ environ: {}, configDir: dir });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('region: must be an AWS region such as eu-west-1, got "Ireland"');
    expect(message).toContain("regoin: unknown key");
    expect(message).toContain('providers.mailUrl: must be an http(s) base URL, got "mail"');
    expect(message).toContain("logRetentionInDays: must be one of 1, 3, 5, 7, 14, 30");
  });

  it.each([
    [{ REBOUND_ENV: "../etc" }, "REBOUND_ENV must be a name like dev or prod"],
    [{ REBOUND_ENV: "staging" }, "Cannot read the staging configuration"],
  ])("rejects %j", (environ, message) => {
    expect(() => loadConfig({ environ })).toThrow(message);
  });

  it("rejects unknown options", () => {
    expect(() => loadConfig({ env: {} } as never)).toThrow("unknown option(s) env");
  });
});
