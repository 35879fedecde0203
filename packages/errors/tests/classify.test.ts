import { describe, expect, it } from "vitest";
import {
  Classification,
  ConflictError,
  classify,
  createClassifier,
  explainClassification,
  IdempotencyLikeError,
  NotFoundError,
  PermanentError,
  RetryableError,
  ValidationError,
} from "./helpers/classifyFixtures.js";

// Shaped like real AWS SDK v3 service exceptions: name, $fault, $metadata, optional $retryable.
function sdkError(name: string, httpStatusCode: number, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name} message`), {
    name,
    $fault: httpStatusCode >= 500 ? "server" : "client",
    $metadata: { httpStatusCode, requestId: "R1", attempts: 3, totalRetryDelay: 300 },
    ...extra,
  });
}

function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:443`), { code, errno: -1, syscall: "connect" });
}

describe("classify", () => {
  it.each([
    ["a RetryableError", new RetryableError("throttled"), "retryable", "rebound"],
    ["an idempotency lock (RetryableError with 409)", new IdempotencyLikeError(), "retryable", "rebound"],
    ["a PermanentError", new PermanentError("card declined"), "permanent", "rebound"],
    ["a ValidationError", new ValidationError("bad"), "permanent", "rebound"],
    ["a NotFoundError", new NotFoundError("gone"), "permanent", "rebound"],
    ["a ConflictError", new ConflictError("paid"), "permanent", "rebound"],
    [
      "DynamoDB ProvisionedThroughputExceededException",
      sdkError("ProvisionedThroughputExceededException", 400),
      "retryable",
      "aws-sdk",
    ],
    ["ThrottlingException (400)", sdkError("ThrottlingException", 400), "retryable", "aws-sdk"],
    [
      "Lambda TooManyRequestsException (429)",
      sdkError("TooManyRequestsException", 429),
      "retryable",
      "aws-sdk",
    ],
    ["Kinesis LimitExceededException", sdkError("LimitExceededException", 400), "retryable", "aws-sdk"],
    ["S3 SlowDown (503)", sdkError("SlowDown", 503), "retryable", "aws-sdk"],
    ["RequestTimeTooSkewed (clock skew)", sdkError("RequestTimeTooSkewed", 403), "retryable", "aws-sdk"],
    ["ExpiredTokenException", sdkError("ExpiredTokenException", 400), "retryable", "aws-sdk"],
    [
      "DynamoDB TransactionConflictException",
      sdkError("TransactionConflictException", 400),
      "retryable",
      "aws-sdk",
    ],
    [
      "an SDK error marked $retryable",
      sdkError("SomeNewThing", 400, { $retryable: { throttling: false } }),
      "retryable",
      "aws-sdk",
    ],
    ["an SDK InternalServerError (500)", sdkError("InternalServerError", 500), "retryable", "aws-sdk"],
    ["an SDK 503 with an unknown name", sdkError("WeirdUnavailable", 503), "retryable", "http-status"],
    [
      "ConditionalCheckFailedException (400)",
      sdkError("ConditionalCheckFailedException", 400),
      "permanent",
      "http-status",
    ],
    ["ValidationException (400)", sdkError("ValidationException", 400), "permanent", "http-status"],
    ["AccessDeniedException (403)", sdkError("AccessDeniedException", 403), "permanent", "http-status"],
    [
      "ResourceNotFoundException (400)",
      sdkError("ResourceNotFoundException", 400),
      "permanent",
      "http-status",
    ],
    [
      "an SDK client fault without metadata",
      Object.assign(new Error("x"), { name: "Odd", $fault: "client" }),
      "permanent",
      "aws-sdk",
    ],
    [
      "an SDK server fault without metadata",
      Object.assign(new Error("x"), { name: "Odd", $fault: "server" }),
      "retryable",
      "aws-sdk",
    ],
    ["ECONNRESET", networkError("ECONNRESET"), "retryable", "network"],
    ["ETIMEDOUT", networkError("ETIMEDOUT"), "retryable", "network"],
    ["ECONNREFUSED", networkError("ECONNREFUSED"), "retryable", "network"],
    ["EAI_AGAIN (DNS)", networkError("EAI_AGAIN"), "retryable", "network"],
    ["undici connect timeout", networkError("UND_ERR_CONNECT_TIMEOUT"), "retryable", "network"],
    ["an AbortError", Object.assign(new Error("aborted"), { name: "AbortError" }), "retryable", "network"],
    [
      "a TimeoutError from AbortSignal.timeout",
      new DOMException("timed out", "TimeoutError"),
      "retryable",
      "network",
    ],
    [
      "an AWS SDK v2-style error with the AWS name in code",
      Object.assign(new Error("x"), { code: "ThrottlingException", statusCode: 400 }),
      "retryable",
      "aws-sdk",
    ],
    ["a network code in name", { name: "ECONNRESET" }, "retryable", "network"],
    ["an unrecognised code and name", { name: "Odd", code: "ENOPE" }, "retryable", "default"],
    ["an object with response.statusCode 404", { response: { statusCode: 404 } }, "permanent", "http-status"],
    ["an object with statusCode 408", { statusCode: 408 }, "retryable", "http-status"],
    ["an object with statusCode 429", { statusCode: 429 }, "retryable", "http-status"],
    ["an object with status 500", { status: 500 }, "retryable", "http-status"],
    ["an object with status 502", { status: 502 }, "retryable", "http-status"],
    [
      "an error with response.status 504",
      Object.assign(new Error("x"), { response: { status: 504 } }),
      "retryable",
      "http-status",
    ],
    ["an object with statusCode 400", { statusCode: 400 }, "permanent", "http-status"],
    ["an object with status 404", { status: 404 }, "permanent", "http-status"],
    ["an object with status 422", { status: 422 }, "permanent", "http-status"],
    ["a SyntaxError from JSON.parse", syntaxError(), "permanent", "syntax"],
    ["an unknown Error", new Error("boom"), "retryable", "default"],
    ["a TypeError (a bug)", new TypeError("x is undefined"), "retryable", "default"],
    ["a thrown string", "boom", "retryable", "default"],
    ["undefined", undefined, "retryable", "default"],
    ["a non-error status (200)", { status: 200 }, "retryable", "default"],
    ["a status that is a word", { status: "FAILED" }, "retryable", "default"],
  ])("classifies %s as %s (%s)", (_label, error, classification, source) => {
    expect(classify(error)).toBe(classification);
    expect(explainClassification(error)).toEqual({ classification, source });
  });

  it("classifies a generic wrapper by its cause, at any depth", () => {
    const throttled = sdkError("ThrottlingException", 400);
    const wrapped = new Error("charge failed", {
      cause: new Error("provider call failed", { cause: throttled }),
    });
    expect(explainClassification(wrapped)).toEqual({ classification: "retryable", source: "aws-sdk" });
    const invalid = new Error("bad payload", { cause: new ValidationError("amountCents") });
    expect(classify(invalid)).toBe("permanent");
  });

  it("lets a Rebound error decide over its cause", () => {
    expect(classify(new PermanentError("declined", { cause: sdkError("ThrottlingException", 400) }))).toBe(
      "permanent",
    );
    expect(classify(new RetryableError("later", { cause: new ValidationError("x") }))).toBe("retryable");
  });

  it("stops on cause cycles and falls back to the default", () => {
    const a = new Error("a");
    const b = new Error("b", { cause: a });
    Object.assign(a, { cause: b });
    expect(explainClassification(a)).toEqual({ classification: "retryable", source: "default" });
  });

  it("exposes the classification values as a const object", () => {
    expect(Classification).toEqual({ Retryable: "retryable", Permanent: "permanent" });
  });
});

describe("createClassifier", () => {
  class CardDeclined extends Error {}

  it("consults user rules before the built-in ones", () => {
    const classifier = createClassifier([
      (error) => (error instanceof CardDeclined ? "permanent" : undefined),
      (error) => (error instanceof RetryableError && error.code === "NEVER_AGAIN" ? "permanent" : undefined),
    ]);
    expect(classifier(new CardDeclined("declined"))).toBe("permanent");
    expect(classifier.explain(new CardDeclined("declined"))).toEqual({
      classification: "permanent",
      source: "rule",
    });
    expect(classifier(new RetryableError("x", { code: "NEVER_AGAIN" }))).toBe("permanent");
    expect(classifier(new RetryableError("x"))).toBe("retryable");
    expect(classifier(new Error("other"))).toBe("retryable");
  });

  it("applies user rules to causes too", () => {
    const classifier = createClassifier([
      (error) => (error instanceof CardDeclined ? "permanent" : undefined),
    ]);
    expect(classifier(new Error("wrapped", { cause: new CardDeclined() }))).toBe("permanent");
  });

  it("rejects rules that are not functions", () => {
    expect(() => createClassifier(["permanent"] as never)).toThrow(/rules must be an array of functions/);
  });

  it("rejects a rule answer that is not a classification, naming the rule", () => {
    const classifier = createClassifier([() => undefined, () => "fatal" as never]);
    expect(() => classifier(new Error("x"))).toThrow(/rule #1 returned fatal/);
  });
});

function syntaxError(): unknown {
  try {
    JSON.parse("{not json");
  } catch (error) {
    return error;
  }
  throw new Error("JSON.parse accepted invalid JSON");
}
