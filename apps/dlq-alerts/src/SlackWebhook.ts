import { GetParameterCommand, type SSMClient } from "@aws-sdk/client-ssm";
import { PermanentError, RetryableError } from "@rebound/errors";
import { describeBody, type Fetch, postJson, retryAfterSeconds } from "@rebound/http";

/** Options of {@link SlackWebhook}. */
export interface SlackWebhookOptions {
  readonly ssm: SSMClient;
  /** SSM SecureString parameter holding the incoming-webhook URL. */
  readonly parameterName: string;
  /** How long a container trusts the cached URL; default 300,000 ms so a rotated webhook is picked up within 5 min. */
  readonly cacheTtlMs?: number;
  /** Default 5,000 ms. */
  readonly timeoutMs?: number;
  readonly fetch?: Fetch;
  readonly clock?: () => number;
}

/**
 * Posts to a Slack incoming webhook whose URL lives in SSM Parameter Store (SecureString, read with
 * decryption, cached per container). Slack 429 and 5xx, timeouts and SSM failures are
 * {@link RetryableError}; a 4xx from Slack (revoked webhook, invalid payload) is a
 * {@link PermanentError} and drops the cached URL so a fixed parameter is read on the next try.
 * dlq-alerts reports both kinds as batch item failures: an alert is never dropped, it goes back to
 * its queue and finally to alerts-dlq, which has an alarm.
 *
 * @example
 * ```ts
 * const slack = new SlackWebhook({ ssm: new SSMClient({}), parameterName: "/rebound/slack-webhook" });
 * await slack.post({ text: "hello" });
 * ```
 */
export class SlackWebhook {
  readonly #ssm: SSMClient;
  readonly #parameterName: string;
  readonly #ttlMs: number;
  readonly #timeoutMs: number;
  readonly #fetch: Fetch | undefined;
  readonly #clock: () => number;
  #cached: { readonly url: Promise<string>; readonly at: number } | undefined;

  public constructor(options: SlackWebhookOptions) {
    this.#ssm = options.ssm;
    this.#parameterName = options.parameterName;
    this.#ttlMs = options.cacheTtlMs ?? 300_000;
    this.#timeoutMs = options.timeoutMs ?? 5_000;
    this.#fetch = options.fetch;
    this.#clock = options.clock ?? Date.now;
  }

  /** Sends one message (Slack's `{text, blocks}` payload). */
  public async post(payload: { readonly text: string; readonly blocks?: readonly unknown[] }): Promise<void> {
    const url = await this.#url();
    const { status, headers, body } = await postJson(url, payload, {
      timeoutMs: this.#timeoutMs,
      ...(this.#fetch ? { fetch: this.#fetch } : {}),
    });
    if (status >= 200 && status < 300) return;
    if (status === 429 || status >= 500) {
      const after = retryAfterSeconds(headers, this.#clock());
      throw new RetryableError(`Slack answered ${status}: ${describeBody(body)}`, {
        code: status === 429 ? "SLACK_RATE_LIMITED" : "SLACK_UNAVAILABLE",
        ...(after === undefined ? {} : { retryAfterSeconds: after }),
      });
    }
    this.#cached = undefined;
    throw new PermanentError(`Slack rejected the message (${status}): ${describeBody(body)}`, {
      code: "SLACK_REJECTED",
    });
  }

  #url(): Promise<string> {
    const now = this.#clock();
    if (this.#cached === undefined || now - this.#cached.at >= this.#ttlMs) {
      // Cache the promise, not the value: concurrent records share one GetParameter call.
      const url = this.#read();
      this.#cached = { url, at: now };
      url.catch(() => {
        if (this.#cached?.url === url) this.#cached = undefined;
      });
    }
    return this.#cached.url;
  }

  async #read(): Promise<string> {
    let value: string | undefined;
    try {
      const { Parameter } = await this.#ssm.send(
        new GetParameterCommand({ Name: this.#parameterName, WithDecryption: true }),
      );
      value = Parameter?.Value;
    } catch (error) {
      throw new RetryableError(
        `reading SSM parameter ${this.#parameterName} failed: ${(error as Error).message}`,
        {
          cause: error,
          code: "SLACK_WEBHOOK_UNREADABLE",
        },
      );
    }
    if (!value || !/^https?:\/\//.test(value)) {
      throw new RetryableError(`SSM parameter ${this.#parameterName} does not hold a webhook URL`, {
        code: "SLACK_WEBHOOK_INVALID",
      });
    }
    return value;
  }
}
