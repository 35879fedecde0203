import { type AwsAnswer, type AwsCall, type FakeAwsService, serve } from "./fakeAwsService.js";

function xmlEscape(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Starts a fake AWS Query service (SNS) on 127.0.0.1: form-encoded `Action=...` in, XML out.
 *
 * @example
 * ```ts
 * import { startQueryService, TEST_AWS } from "@rebound/testing";
 * const sns = await startQueryService(() => ({ output: { MessageId: "m-1" } }));
 * const client = new SNSClient({ ...TEST_AWS, endpoint: sns.endpoint });
 * // ... then: expect(sns.calls[0]?.input["TopicArn"]).toBe(topicArn);
 * ```
 */
export function startQueryService(initial: (call: AwsCall) => AwsAnswer): Promise<FakeAwsService> {
  return serve(
    (_req, body) => {
      const input = Object.fromEntries(new URLSearchParams(body));
      return { operation: input["Action"] ?? "", input };
    },
    (call, answer) => {
      if ("error" in answer) {
        return {
          status: answer.error.status,
          contentType: "text/xml",
          body: `<ErrorResponse><Error><Type>${answer.error.status >= 500 ? "Receiver" : "Sender"}</Type><Code>${answer.error.type}</Code><Message>${xmlEscape(answer.error.message)}</Message></Error><RequestId>${crypto.randomUUID()}</RequestId></ErrorResponse>`,
        };
      }
      const fields = Object.entries(answer.output)
        .map(([key, value]) => `<${key}>${xmlEscape(String(value))}</${key}>`)
        .join("");
      return {
        status: 200,
        contentType: "text/xml",
        body: `<${call.operation}Response xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><${call.operation}Result>${fields}</${call.operation}Result><ResponseMetadata><RequestId>${crypto.randomUUID()}</RequestId></ResponseMetadata></${call.operation}Response>`,
      };
    },
    initial,
  );
}
