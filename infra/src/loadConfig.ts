import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { LOG_RETENTION_DAYS } from "./constants.js";
import { ConfigError } from "./errors.js";

/** Where the Terraform state lives when it is remote (S3 with locking). */
export interface StateBackendConfig {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  /** DynamoDB lock table (legacy locking). Default none: S3-native locking (`use_lockfile`, Terraform >= 1.10). */
  readonly dynamodbTable?: string;
  readonly useLockfile: boolean;
}

/** Per-environment settings of the orders stack. */
export interface ReboundConfig {
  /** Environment name, e.g. `dev`; selects config/<environment>.json. */
  readonly environment: string;
  /** Prefix of every resource name, e.g. `rebound-dev`. */
  readonly namePrefix: string;
  readonly region: string;
  /** Base URLs of the HTTP providers the functions call. */
  readonly providers: {
    readonly paymentUrl: string;
    readonly mailUrl: string;
    readonly stockUrl: string;
    readonly carrierUrl: string;
  };
  /** SSM SecureString holding the Slack webhook URL (created outside the stack). */
  readonly slackWebhookParameterName: string;
  readonly slackWebhookKmsKeyArn?: string;
  /** Existing SNS topic for alarms. Default: the stack creates `<namePrefix>-alarms`. */
  readonly alarmTopicArn?: string;
  /** Address subscribed to the alarm topic (SNS e-mail subscription, confirmed once by its owner). */
  readonly alarmEmail?: string;
  readonly logRetentionInDays: number;
  /** DynamoDB deletion protection on the tables (turn off before `cdktf destroy`). */
  readonly deletionProtection: boolean;
  readonly api: {
    readonly throttlingRateLimit: number;
    readonly throttlingBurstLimit: number;
    /** JWT authorizer of every route: the token issuer (its `iss`, an https URL) and accepted audiences (`aud`). */
    readonly jwt?: { readonly issuer: string; readonly audience: readonly string[] };
  };
  /** Remote state; absent means the local backend (fine for synth, tests and offline plans). */
  readonly stateBackend?: StateBackendConfig;
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Environment variables to read. Default `process.env`. */
  readonly environ?: Readonly<Record<string, string | undefined>>;
  /** Folder of the <environment>.json files. Default infra/config. */
  readonly configDir?: string;
}

/**
 * Environment variables that override the file, one per setting, so CI (the deploy workflow) can
 * point the same code at another account, region or state bucket.
 *
 * @example
 * ```ts
 * import { CONFIG_ENV_VARS } from "@rebound/infra/loadConfig";
 * process.env[CONFIG_ENV_VARS.stateBucket] = "acme-rebound-tfstate";
 * ```
 */
export const CONFIG_ENV_VARS = {
  namePrefix: "REBOUND_NAME_PREFIX",
  region: "REBOUND_REGION",
  alarmTopicArn: "REBOUND_ALARM_TOPIC_ARN",
  alarmEmail: "REBOUND_ALARM_EMAIL",
  slackWebhookParameterName: "REBOUND_SLACK_WEBHOOK_PARAMETER",
  paymentUrl: "REBOUND_PAYMENT_PROVIDER_URL",
  mailUrl: "REBOUND_MAIL_PROVIDER_URL",
  stockUrl: "REBOUND_STOCK_SERVICE_URL",
  carrierUrl: "REBOUND_CARRIER_URL",
  jwtIssuer: "REBOUND_JWT_ISSUER",
  jwtAudience: "REBOUND_JWT_AUDIENCE",
  stateBucket: "REBOUND_STATE_BUCKET",
  stateKey: "REBOUND_STATE_KEY",
  stateRegion: "REBOUND_STATE_REGION",
  stateLockTable: "REBOUND_STATE_LOCK_TABLE",
  stateUseLockfile: "REBOUND_STATE_USE_LOCKFILE",
} as const;

/** What each variable holds, for the error that names a missing one. */
const VARIABLE_MEANING: Readonly<Record<keyof typeof CONFIG_ENV_VARS, string>> = {
  namePrefix: "the prefix of every resource name, e.g. rebound-prod",
  region: "the AWS region to deploy to, e.g. eu-west-1",
  alarmTopicArn: "an existing SNS topic for the alarms",
  alarmEmail: "the address the alarm topic e-mails, e.g. oncall@example.com",
  slackWebhookParameterName: "the SSM parameter holding the Slack webhook",
  paymentUrl: "the payment provider's base URL",
  mailUrl: "the mail provider's base URL",
  stockUrl: "the stock service's base URL",
  carrierUrl: "the carrier's base URL",
  jwtIssuer: "the JWT issuer URL the API accepts",
  jwtAudience: "the JWT audience(s) the API accepts, comma-separated",
  stateBucket: "the S3 bucket holding the Terraform state, e.g. acme-rebound-tfstate",
  stateKey: "the state object key, e.g. rebound/prod/orders.tfstate",
  stateRegion: "the state bucket's region",
  stateLockTable: "the DynamoDB state lock table",
  stateUseLockfile: "true for S3-native state locking",
};

const TOP_KEYS = [
  "requiredVariables",
  "namePrefix",
  "region",
  "providers",
  "slackWebhookParameterName",
  "slackWebhookKmsKeyArn",
  "alarmTopicArn",
  "alarmEmail",
  "logRetentionInDays",
  "deletionProtection",
  "api",
  "stateBackend",
] as const;
const PROVIDER_KEYS = ["paymentUrl", "mailUrl", "stockUrl", "carrierUrl"] as const;
const BACKEND_KEYS = ["bucket", "key", "region", "dynamodbTable", "useLockfile"] as const;
const API_KEYS = ["throttlingRateLimit", "throttlingBurstLimit", "jwtIssuer", "jwtAudience"] as const;

const defaultConfigDir = join(dirname(fileURLToPath(import.meta.url)), "..", "config");

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * Reads config/<REBOUND_ENV or dev>.json, applies REBOUND_* overrides and validates the result,
 * reporting every problem at once with the file and key. The default (dev) needs no AWS account.
 *
 * @example
 * ```ts
 * import { loadConfig } from "@rebound/infra/loadConfig";
 * const config = loadConfig({ environ: { REBOUND_ENV: "dev", REBOUND_REGION: "eu-central-1" } });
 * config.region; // "eu-central-1"
 * ```
 */
export function loadConfig(options: LoadConfigOptions = {}): ReboundConfig {
  const unknownOptions = Object.keys(options).filter((key) => key !== "environ" && key !== "configDir");
  if (unknownOptions.length > 0) {
    throw new ConfigError(
      `loadConfig: unknown option(s) ${unknownOptions.join(", ")}; expected environ, configDir`,
    );
  }
  const environ = options.environ ?? process.env;
  const environment = environ.REBOUND_ENV ?? "dev";
  if (!/^[a-z0-9-]{1,20}$/.test(environment)) {
    throw new ConfigError(
      `REBOUND_ENV must be a name like dev or prod (a-z 0-9 -), got ${JSON.stringify(environment)}`,
    );
  }
  const file = join(options.configDir ?? defaultConfigDir, `${environment}.json`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new ConfigError(
      `Cannot read the ${environment} configuration ${file}: create it (copy config/dev.json) or set REBOUND_ENV`,
      {
        cause: error,
      },
    );
  }
  const problems: string[] = [];
  if (!isObject(raw)) throw new ConfigError(`${file}: must hold a JSON object`);
  problems.push(...missingRequiredVariables(raw.requiredVariables, environ, environment, file));
  const unknown = (object: Json, keys: readonly string[], where: string) => {
    for (const key of Object.keys(object)) {
      if (!keys.includes(key))
        problems.push(`${where}${key}: unknown key; expected one of ${keys.join(", ")}`);
    }
  };
  unknown(raw, TOP_KEYS, "");
  const providersRaw = isObject(raw.providers) ? raw.providers : {};
  if (!isObject(raw.providers))
    problems.push("providers: must be an object with paymentUrl, mailUrl, stockUrl, carrierUrl");
  unknown(providersRaw, PROVIDER_KEYS, "providers.");
  const apiRaw = isObject(raw.api) ? raw.api : {};
  unknown(apiRaw, API_KEYS, "api.");
  const backendRaw = isObject(raw.stateBackend) ? raw.stateBackend : {};
  unknown(backendRaw, BACKEND_KEYS, "stateBackend.");

  const env = (name: keyof typeof CONFIG_ENV_VARS): string | undefined => {
    const value = environ[CONFIG_ENV_VARS[name]];
    return value === undefined || value === "" ? undefined : value;
  };
  const str = (value: unknown, where: string, pattern: RegExp, expected: string): string => {
    if (typeof value !== "string" || !pattern.test(value)) {
      problems.push(`${where}: must be ${expected}, got ${JSON.stringify(value)}`);
      return "";
    }
    return value;
  };
  const optional = (value: unknown, where: string, pattern: RegExp, expected: string): string | undefined =>
    value === undefined ? undefined : str(value, where, pattern, expected);
  const url = /^https?:\/\/[^\s/]+(\/[^\s]*)?$/;
  const region = /^[a-z]{2}(-[a-z]+)+-\d$/;

  const namePrefix = str(
    env("namePrefix") ?? raw.namePrefix,
    "namePrefix",
    /^[a-z][a-z0-9-]{1,23}$/,
    "2-24 of a-z 0-9 - starting with a letter",
  );
  const configRegion = str(env("region") ?? raw.region, "region", region, "an AWS region such as eu-west-1");
  const providers = {
    paymentUrl: str(
      env("paymentUrl") ?? providersRaw.paymentUrl,
      "providers.paymentUrl",
      url,
      "an http(s) base URL",
    ),
    mailUrl: str(env("mailUrl") ?? providersRaw.mailUrl, "providers.mailUrl", url, "an http(s) base URL"),
    stockUrl: str(env("stockUrl") ?? providersRaw.stockUrl, "providers.stockUrl", url, "an http(s) base URL"),
    carrierUrl: str(
      env("carrierUrl") ?? providersRaw.carrierUrl,
      "providers.carrierUrl",
      url,
      "an http(s) base URL",
    ),
  };
  const slackWebhookParameterName = str(
    env("slackWebhookParameterName") ?? raw.slackWebhookParameterName,
    "slackWebhookParameterName",
    /^\/?[A-Za-z0-9_.\-/]{1,1011}$/,
    "an SSM parameter name such as /rebound/dev/slack-webhook",
  );
  const slackWebhookKmsKeyArn = optional(
    raw.slackWebhookKmsKeyArn,
    "slackWebhookKmsKeyArn",
    /^arn:aws[a-z-]*:kms:/,
    "a KMS key ARN",
  );
  const alarmTopicArn = optional(
    env("alarmTopicArn") ?? raw.alarmTopicArn,
    "alarmTopicArn",
    /^arn:aws[a-z-]*:sns:/,
    "an SNS topic ARN",
  );
  const alarmEmail = optional(
    env("alarmEmail") ?? raw.alarmEmail,
    "alarmEmail",
    /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
    "an e-mail address such as oncall@example.com",
  );
  const logRetentionInDays = raw.logRetentionInDays ?? 30;
  if (!(LOG_RETENTION_DAYS as readonly unknown[]).includes(logRetentionInDays)) {
    problems.push(
      `logRetentionInDays: must be one of ${LOG_RETENTION_DAYS.join(", ")}, got ${JSON.stringify(logRetentionInDays)}`,
    );
  }
  const deletionProtection = raw.deletionProtection ?? false;
  if (typeof deletionProtection !== "boolean")
    problems.push(`deletionProtection: must be true or false, got ${JSON.stringify(deletionProtection)}`);
  const positive = (value: unknown, where: string, fallback: number): number => {
    const resolved = value ?? fallback;
    if (!Number.isInteger(resolved) || (resolved as number) < 1) {
      problems.push(`${where}: must be a positive integer, got ${JSON.stringify(value)}`);
      return fallback;
    }
    return resolved as number;
  };
  const jwtIssuer = optional(
    env("jwtIssuer") ?? apiRaw.jwtIssuer,
    "api.jwtIssuer",
    /^https:\/\/[^\s/]+(\/[^\s]*)?$/,
    "the https URL of the token issuer (its iss claim)",
  );
  const audienceRaw =
    env("jwtAudience")
      ?.split(",")
      .map((item) => item.trim()) ?? apiRaw.jwtAudience;
  const audienceValid =
    Array.isArray(audienceRaw) &&
    audienceRaw.length > 0 &&
    audienceRaw.every((item) => typeof item === "string" && /^\S{1,256}$/.test(item));
  if (audienceRaw !== undefined && !audienceValid) {
    problems.push(
      `api.jwtAudience: must be a non-empty list of audiences such as ["rebound-orders-api"], got ${JSON.stringify(audienceRaw)}`,
    );
  }
  const jwtAudience = audienceValid ? (audienceRaw as string[]) : undefined;
  if ((jwtIssuer === undefined) !== (audienceRaw === undefined)) {
    problems.push(
      "api.jwtIssuer and api.jwtAudience: set both (the JWT authorizer needs an issuer and an audience)",
    );
  }
  const api = {
    throttlingRateLimit: positive(apiRaw.throttlingRateLimit, "api.throttlingRateLimit", 50),
    throttlingBurstLimit: positive(apiRaw.throttlingBurstLimit, "api.throttlingBurstLimit", 100),
    ...(jwtIssuer !== undefined && jwtAudience !== undefined
      ? { jwt: { issuer: jwtIssuer, audience: jwtAudience } }
      : {}),
  };

  let stateBackend: StateBackendConfig | undefined;
  const bucket = env("stateBucket") ?? backendRaw.bucket;
  if (bucket !== undefined) {
    const dynamodbTable = optional(
      env("stateLockTable") ?? backendRaw.dynamodbTable,
      "stateBackend.dynamodbTable",
      /^[A-Za-z0-9_.-]{3,255}$/,
      "a DynamoDB table name",
    );
    const useLockfileRaw = env("stateUseLockfile") ?? backendRaw.useLockfile;
    const useLockfile =
      useLockfileRaw === undefined
        ? dynamodbTable === undefined
        : useLockfileRaw === true || useLockfileRaw === "true";
    if (
      useLockfileRaw !== undefined &&
      !["true", "false", true, false].includes(useLockfileRaw as string | boolean)
    ) {
      problems.push(`stateBackend.useLockfile: must be true or false, got ${JSON.stringify(useLockfileRaw)}`);
    }
    if (!useLockfile && dynamodbTable === undefined) {
      problems.push("stateBackend: remote state needs locking; set useLockfile: true or dynamodbTable");
    }
    stateBackend = {
      bucket: str(bucket, "stateBackend.bucket", /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "an S3 bucket name"),
      key: str(
        env("stateKey") ?? backendRaw.key ?? `rebound/${environment}/orders.tfstate`,
        "stateBackend.key",
        /^[^\s]+\.tfstate$/,
        "an object key ending in .tfstate",
      ),
      region: str(
        env("stateRegion") ?? backendRaw.region ?? configRegion,
        "stateBackend.region",
        region,
        "an AWS region",
      ),
      ...(dynamodbTable !== undefined ? { dynamodbTable } : {}),
      useLockfile,
    };
  } else if (Object.keys(backendRaw).length > 0) {
    problems.push("stateBackend.bucket: required when stateBackend is given (or set REBOUND_STATE_BUCKET)");
  }

  if (problems.length > 0) {
    throw new ConfigError(
      `Invalid ${environment} configuration (${file} and REBOUND_* variables):\n  - ${problems.join("\n  - ")}`,
    );
  }
  return {
    environment,
    namePrefix,
    region: configRegion,
    providers,
    slackWebhookParameterName,
    ...(slackWebhookKmsKeyArn !== undefined ? { slackWebhookKmsKeyArn } : {}),
    ...(alarmTopicArn !== undefined ? { alarmTopicArn } : {}),
    ...(alarmEmail !== undefined ? { alarmEmail } : {}),
    logRetentionInDays: logRetentionInDays as number,
    deletionProtection: deletionProtection as boolean,
    api,
    ...(stateBackend !== undefined ? { stateBackend } : {}),
  };
}

/**
 * The problems with a configuration's `requiredVariables`: each listed variable must be set (non-empty)
 * in the environment, so an environment such as prod cannot quietly synthesize with what the file or a
 * default says (local state, no alarm recipient) when the deploy forgot to pass it.
 */
function missingRequiredVariables(
  required: unknown,
  environ: Readonly<Record<string, string | undefined>>,
  environment: string,
  file: string,
): string[] {
  if (required === undefined) return [];
  const known = Object.values(CONFIG_ENV_VARS) as string[];
  if (!Array.isArray(required) || !required.every((name) => typeof name === "string")) {
    return [`requiredVariables: must be a list of variable names such as ["REBOUND_STATE_BUCKET"]`];
  }
  const problems: string[] = [];
  for (const name of required as string[]) {
    const key = (Object.keys(CONFIG_ENV_VARS) as (keyof typeof CONFIG_ENV_VARS)[]).find(
      (candidate) => CONFIG_ENV_VARS[candidate] === name,
    );
    if (key === undefined) {
      problems.push(
        `requiredVariables: unknown variable ${JSON.stringify(name)}; expected one of ${known.join(", ")}`,
      );
    } else if (environ[name] === undefined || environ[name] === "") {
      problems.push(
        `${name} is not set: the ${environment} configuration (${file}, requiredVariables) needs ${VARIABLE_MEANING[key]}. Set it in the environment of the synthesis (the deploy workflow passes it from a repository variable)`,
      );
    }
  }
  return problems;
}
