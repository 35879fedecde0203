import { checkKeys, checkString, describe } from "../engine/validate.js";
import type { InvocationScope } from "../host/InvocationClock.js";
import {
  JsonContentType,
  parseJsonBody,
  parseQueryParams,
  readBody,
  sendJson,
  sendJsonError,
  sendQueryError,
  sendQueryResult,
  type WireResponse,
} from "./awsWire.js";
import { type DynaliteInMemory, DynamoDbProxy, type TableWriteListener } from "./DynamoDbProxy.js";
import { DYNAMODB_STREAMS_OPERATIONS, runDynamoDbStreamsOperation } from "./dynamodbStreamsProtocol.js";
import { AwsServiceError, EnvironmentError } from "./errors.js";
import type { InMemoryRequest, InMemoryResponse } from "./inProcessTransport.js";
import { KINESIS_OPERATIONS, runKinesisOperation } from "./kinesisProtocol.js";
import { lambdaRoute, runLambdaOperation } from "./lambdaProtocol.js";
import { LoopbackServer } from "./loopbackServer.js";
import type { ServiceBackends } from "./ServiceBackends.js";
import { runSfnOperation, SFN_OPERATIONS } from "./sfnProtocol.js";
import { runSnsOperation, SNS_NAMESPACE, SNS_OPERATIONS, unknownSnsOperation } from "./snsProtocol.js";
import {
  runSqsOperation,
  SQS_NAMESPACE,
  SQS_OPERATIONS,
  sqsQueryErrorCode,
  sqsQueryInput,
  sqsQueryResultXml,
  unknownSqsOperation,
} from "./sqsProtocol.js";
import { runSsmOperation, SSM_OPERATIONS } from "./ssmProtocol.js";

/** DynamoDB forwarding: where dynalite listens and which tables have a stream. */
export interface LocalDynamoDbOptions {
  /** dynalite's endpoint, e.g. `DynaliteServer.endpoint`. */
  readonly endpoint: string;
  /** Tables whose writes are captured as stream changes (more with `captureTableWrites`). */
  readonly streamTables?: readonly string[];
  /** Receives each captured change before the write's response leaves. Required with `streamTables`. */
  readonly onTableWrite?: TableWriteListener;
  /** dynalite in this process (`(body, headers) => dynalite.serveInMemory(body, headers)`): no socket to it. */
  readonly serve?: DynaliteInMemory;
}

/** Options of `LocalAwsEndpoints.start`. */
export interface LocalAwsEndpointsOptions {
  /** The service models to dispatch to; a missing one answers a clear error. */
  readonly backends?: ServiceBackends;
  /** DynamoDB forwarding to dynalite with change capture. Without it DynamoDB calls get an error. */
  readonly dynamodb?: LocalDynamoDbOptions;
  /** `AWS_REGION` given to handlers and used in ARNs. Default `us-east-1`. */
  readonly region?: string;
  /** The account id used in ARNs and queue URLs. Default `123456789012` (AWS's documentation account). */
  readonly accountId?: string;
  /**
   * The invocation in progress (the `HandlerHost`). A request arriving while that invocation has
   * timed out comes from a handler Lambda would have stopped: its connection is dropped, so it
   * causes no side effect.
   */
  readonly invocations?: InvocationScope;
}

/** What serving reads of a request: both a loopback request and an in-memory one fit. */
interface ServedRequest extends AsyncIterable<unknown> {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly socket: { destroy(): void };
}

/** Collects what serving writes, for `serveInMemory`. */
class InMemoryWireResponse implements WireResponse {
  #status = 200;
  #headers: Record<string, string> = {};
  #chunks: Buffer[] = [];
  public headersSent = false;

  public writeHead(statusCode: number, headers: Record<string, string | number> = {}): this {
    this.#status = statusCode;
    for (const [key, value] of Object.entries(headers)) this.#headers[key.toLowerCase()] = String(value);
    this.headersSent = true;
    return this;
  }

  public end(chunk?: string | Uint8Array): this {
    this.headersSent = true;
    if (chunk !== undefined)
      this.#chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk));
    return this;
  }

  public result(): InMemoryResponse {
    return { statusCode: this.#status, headers: this.#headers, body: Buffer.concat(this.#chunks) };
  }
}

/** JSON services by `X-Amz-Target` prefix. */
const JSON_SERVICES = {
  AmazonSQS: { service: "SQS", contentType: JsonContentType.v10, operations: SQS_OPERATIONS },
  AWSStepFunctions: { service: "SFN", contentType: JsonContentType.v10, operations: SFN_OPERATIONS },
  DynamoDBStreams_20120810: {
    service: "DynamoDBStreams",
    contentType: JsonContentType.v10,
    operations: DYNAMODB_STREAMS_OPERATIONS,
  },
  Kinesis_20131202: { service: "Kinesis", contentType: JsonContentType.v11, operations: KINESIS_OPERATIONS },
  AmazonSSM: { service: "SSM", contentType: JsonContentType.v11, operations: SSM_OPERATIONS },
  DynamoDB_20120810: { service: "DynamoDB", contentType: JsonContentType.v10, operations: [] },
} as const;

type JsonServicePrefix = keyof typeof JSON_SERVICES;

/** Query protocol API versions. */
const QUERY_VERSIONS = { sns: "2010-03-31", sqs: "2012-11-05" } as const;

/**
 * One loopback HTTP server speaking enough of AWS's wire protocols for the real AWS SDK v3 clients
 * (3.1162.0) inside handlers to work unmodified: SQS (JSON 1.0 and query), SNS (query), the Lambda
 * API's configuration calls (REST JSON), Step
 * Functions, DynamoDB Streams (JSON 1.0), Kinesis and SSM (JSON 1.1), and DynamoDB forwarded to
 * dynalite with change capture for stream-enabled tables. It dispatches on `X-Amz-Target` (JSON) or
 * `Action`/`Version` (query) and calls the `ServiceBackends`; AWS errors go back in each protocol's
 * own format so the SDK throws the matching exception class. Nothing here reads the wall clock: the
 * server sends no `Date` header (the SDK would otherwise correct its clock skew against real time).
 *
 * @example
 * ```ts
 * import { DynaliteServer, LocalAwsEndpoints } from "@rebound/simulator";
 * const dynalite = await DynaliteServer.start();
 * const endpoints = await LocalAwsEndpoints.start({
 *   backends: { sqs: queues, sns: topics },
 *   dynamodb: { endpoint: dynalite.endpoint, streamTables: ["orders"], onTableWrite: (change) => streams.record(change) },
 * });
 * host.register({ functionName: "orders-api", bundlePath, exportName: "handler", environment: { ...endpoints.env(), ORDERS_TABLE_NAME: "orders" } });
 * await endpoints.close();
 * await dynalite.close();
 * ```
 */
export class LocalAwsEndpoints {
  /** `http://127.0.0.1:<port>`, the endpoint of every service. */
  public readonly url: string;
  public readonly region: string;
  public readonly accountId: string;
  readonly #server: LoopbackServer;
  readonly #backends: ServiceBackends;
  readonly #proxy: DynamoDbProxy | undefined;
  readonly #invocations: InvocationScope | undefined;
  readonly #operationCounts = new Map<string, number>();
  readonly #internalErrors: Error[] = [];
  #requestSequence = 0;
  #refusedAfterTimeout = 0;
  #closed: Promise<void> | undefined;

  private constructor(
    server: LoopbackServer,
    url: string,
    options: LocalAwsEndpointsOptions,
    region: string,
    accountId: string,
  ) {
    this.#server = server;
    this.url = url;
    this.region = region;
    this.accountId = accountId;
    this.#backends = options.backends ?? {};
    this.#invocations = options.invocations;
    const dynamodb = options.dynamodb;
    if (dynamodb !== undefined) {
      const listener = dynamodb.onTableWrite ?? (() => undefined);
      this.#proxy = new DynamoDbProxy(dynamodb.endpoint, listener, dynamodb.serve);
      for (const table of dynamodb.streamTables ?? []) this.#proxy.captureTable(table);
    } else {
      this.#proxy = undefined;
    }
  }

  /** Starts the server on 127.0.0.1 at a random free port. */
  public static async start(options: LocalAwsEndpointsOptions = {}): Promise<LocalAwsEndpoints> {
    const checked = checkKeys(
      options,
      ["backends", "dynamodb", "region", "accountId", "invocations"],
      "LocalAwsEndpoints options",
    );
    const region = checked["region"] === undefined ? "us-east-1" : checkString(checked["region"], "region");
    const accountId =
      checked["accountId"] === undefined ? "123456789012" : checkString(checked["accountId"], "accountId");
    if (!/^\d{12}$/.test(accountId))
      checkString(undefined, "accountId", `12 digits (got ${describe(accountId)})`);
    if (checked["backends"] !== undefined) {
      checkKeys(
        checked["backends"],
        ["sqs", "sns", "sfn", "dynamodbStreams", "kinesis", "ssm", "lambda"],
        "backends",
      );
    }
    if (checked["dynamodb"] !== undefined) {
      const dynamodb = checkKeys(
        checked["dynamodb"],
        ["endpoint", "streamTables", "onTableWrite", "serve"],
        "dynamodb",
      );
      checkString(dynamodb["endpoint"], "dynamodb.endpoint", "dynalite's URL, e.g. DynaliteServer.endpoint");
      const tables = dynamodb["streamTables"];
      if (
        tables !== undefined &&
        (!Array.isArray(tables) || tables.some((table) => typeof table !== "string"))
      ) {
        checkString(undefined, "dynamodb.streamTables", "an array of table names");
      }
      if ((tables as unknown[] | undefined)?.length && typeof dynamodb["onTableWrite"] !== "function") {
        checkString(
          undefined,
          "dynamodb.onTableWrite",
          "a function receiving each captured change (streamTables is set)",
        );
      }
    }
    let endpoints: LocalAwsEndpoints | undefined;
    const server = new LoopbackServer((request, response) => {
      response.sendDate = false;
      const self = endpoints!; // set before the first connection: listen() resolves first
      self.#serve(request, response).catch((error: unknown) => {
        self.#internalErrors.push(error instanceof Error ? error : new Error(String(error)));
        if (!response.headersSent) response.writeHead(500).end();
        else request.socket.destroy();
      });
    });
    const url = await server.listen();
    endpoints = new LocalAwsEndpoints(server, url, options, region, accountId);
    return endpoints;
  }

  /**
   * The environment variables that point a handler's AWS SDK clients here: `AWS_ENDPOINT_URL_<SERVICE>`
   * for SQS, SNS, SFN, DYNAMODB, DYNAMODB_STREAMS, KINESIS and SSM, dummy credentials, and the region.
   */
  public env(): Record<string, string> {
    return {
      AWS_ENDPOINT_URL_SQS: this.url,
      AWS_ENDPOINT_URL_SNS: this.url,
      AWS_ENDPOINT_URL_SFN: this.url,
      AWS_ENDPOINT_URL_DYNAMODB: this.url,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: this.url,
      AWS_ENDPOINT_URL_KINESIS: this.url,
      AWS_ENDPOINT_URL_SSM: this.url,
      AWS_ENDPOINT_URL_LAMBDA: this.url,
      AWS_ACCESS_KEY_ID: "AKIAREBOUNDLOCAL0000",
      AWS_SECRET_ACCESS_KEY: "rebound-local-secret",
      AWS_REGION: this.region,
      AWS_DEFAULT_REGION: this.region,
    };
  }

  /** The URL of a queue served here, `<url>/<accountId>/<queueName>` (AWS's path shape). */
  public queueUrl(queueName: string): string {
    return `${this.url}/${this.accountId}/${queueName}`;
  }

  /** Captures the writes of one more stream-enabled table. */
  public captureTableWrites(tableName: string): void {
    if (this.#proxy === undefined) {
      throw new EnvironmentError(
        `cannot capture writes of table "${tableName}": these endpoints were started without the dynamodb option`,
      );
    }
    this.#proxy.captureTable(tableName);
  }

  /** Requests served so far by `Service.Operation` (e.g. `SQS.SendMessage`), for expectations. */
  public operationCounts(): Readonly<Record<string, number>> {
    return Object.fromEntries([...this.#operationCounts].sort(([a], [b]) => a.localeCompare(b)));
  }

  /** Requests dropped because their invocation had already timed out. */
  public get refusedAfterTimeout(): number {
    return this.#refusedAfterTimeout;
  }

  /**
   * Errors thrown by a backend that were not `AwsServiceError` (the caller got a 500): bugs in a
   * model. A run should fail when this is not empty.
   */
  public get internalErrors(): readonly Error[] {
    return this.#internalErrors;
  }

  /** Stops the server, drops kept-alive connections, and the DynamoDB proxy's pool. Idempotent. */
  public close(): Promise<void> {
    this.#closed ??= this.#server.close().finally(() => this.#proxy?.close());
    return this.#closed;
  }

  /**
   * Serves one request without a socket, exactly as a request over the loopback server would be
   * served (same dispatch, same bytes back); `undefined` when the connection would be dropped (a
   * call from an invocation that already timed out). The AWS SDK inside handlers reaches it through
   * `serveInProcess`.
   *
   * @example
   * ```ts
   * const answer = await endpoints.serveInMemory({ method: "POST", url: "/", headers: { "x-amz-target": "AmazonSQS.ListQueues", "content-type": "application/x-amz-json-1.0" }, body: Buffer.from("{}") });
   * ```
   */
  public async serveInMemory(request: InMemoryRequest): Promise<InMemoryResponse | undefined> {
    let dropped = false;
    const incoming: ServedRequest = {
      method: request.method,
      url: request.url,
      headers: request.headers,
      socket: {
        destroy: () => {
          dropped = true;
        },
      },
      async *[Symbol.asyncIterator]() {
        yield request.body;
      },
    };
    const response = new InMemoryWireResponse();
    try {
      await this.#serve(incoming, response);
    } catch (error) {
      this.#internalErrors.push(error instanceof Error ? error : new Error(String(error)));
      if (!response.headersSent) response.writeHead(500).end();
      else dropped = true;
    }
    return dropped ? undefined : response.result();
  }

  /** A request id shaped like AWS's UUIDs, from a counter: runs stay reproducible. */
  #nextRequestId(): string {
    this.#requestSequence += 1;
    return `00000000-0000-4000-8000-${this.#requestSequence.toString(16).padStart(12, "0")}`;
  }

  #count(key: string): void {
    this.#operationCounts.set(key, (this.#operationCounts.get(key) ?? 0) + 1);
  }

  async #serve(request: ServedRequest, response: WireResponse): Promise<void> {
    if (this.#invocations?.current()?.timedOut === true) {
      // Lambda stopped this sandbox at its timeout: whatever it sends now must not happen.
      this.#refusedAfterTimeout += 1;
      request.socket.destroy();
      return;
    }
    const body = await readBody(request);
    const requestId = this.#nextRequestId();
    const target = request.headers["x-amz-target"];
    if (typeof target === "string" && target.length > 0) {
      await this.#serveJson(target, body, request, response, requestId);
    } else if (/^\/20\d\d-\d\d-\d\d\//.test(request.url ?? "")) {
      await this.#serveLambda(body, request, response, requestId);
    } else {
      await this.#serveQuery(body, request, response, requestId);
    }
  }

  /** Lambda's REST JSON API: the operation is in the method and path; errors in `x-amzn-errortype`. */
  async #serveLambda(
    body: Buffer,
    request: ServedRequest,
    response: WireResponse,
    requestId: string,
  ): Promise<void> {
    try {
      const route = lambdaRoute(request.method ?? "GET", request.url ?? "/");
      if (route === undefined)
        throw new AwsServiceError("UnknownOperationException", `not a Lambda API path: ${request.url}`);
      this.#count(`Lambda.${route.operation}`);
      const input = body.length === 0 ? {} : parseJsonBody(body);
      const { status, body: output } = await runLambdaOperation(
        route,
        input,
        this.#backends.lambda ?? missingBackend("Lambda", route.operation),
      );
      const text = output === undefined ? "" : JSON.stringify(output);
      response.writeHead(status, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(text),
        "x-amzn-requestid": requestId,
      });
      response.end(text);
    } catch (error) {
      const awsError = this.#asAwsError(error, "ServiceException");
      const text = JSON.stringify({
        Type: awsError.senderFault ? "User" : "Service",
        Message: awsError.message,
      });
      response.writeHead(awsError.statusCode, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(text),
        "x-amzn-requestid": requestId,
        "x-amzn-errortype": awsError.code,
      });
      response.end(text);
    }
  }

  async #serveJson(
    target: string,
    body: Buffer,
    request: ServedRequest,
    response: WireResponse,
    requestId: string,
  ): Promise<void> {
    const dot = target.lastIndexOf(".");
    const prefix = target.slice(0, dot);
    const operation = target.slice(dot + 1);
    const known = Object.hasOwn(JSON_SERVICES, prefix)
      ? JSON_SERVICES[prefix as JsonServicePrefix]
      : undefined;
    const contentType =
      known?.contentType ?? String(request.headers["content-type"] ?? JsonContentType.v10).split(";")[0]!;
    this.#count(`${known?.service ?? prefix}.${operation}`);
    if (known === undefined) {
      const error = new AwsServiceError(
        "UnknownOperationException",
        `Rebound's local AWS endpoints do not serve ${target}: they serve SQS, SNS, Step Functions, DynamoDB, ` +
          "DynamoDB Streams, Kinesis and SSM",
      );
      sendJsonError(response, contentType, requestId, error, error.code);
      return;
    }
    if (known.service === "DynamoDB") {
      await this.#serveDynamoDb(target, body, request, response, requestId);
      return;
    }
    try {
      if (!(known.operations as readonly string[]).includes(operation)) {
        throw known.service === "SQS"
          ? unknownSqsOperation(operation)
          : unknownOperation(known.service, operation);
      }
      const input = parseJsonBody(body);
      const output = await this.#runJson(known.service, operation, input);
      sendJson(response, contentType, requestId, output);
    } catch (error) {
      const awsError = this.#asAwsError(error, "InternalFailure");
      if (known.service === "SQS") {
        sendJsonError(
          response,
          contentType,
          requestId,
          awsError,
          `com.amazonaws.sqs#${awsError.code}`,
          sqsQueryErrorCode(awsError.code),
        );
      } else {
        sendJsonError(response, contentType, requestId, awsError, awsError.code);
      }
    }
  }

  async #runJson(service: string, operation: string, input: Record<string, unknown>): Promise<unknown> {
    const backends = this.#backends;
    switch (service) {
      case "SQS":
        return runSqsOperation(operation, input, backends.sqs ?? missingBackend("SQS", operation));
      case "SFN":
        return runSfnOperation(operation, input, backends.sfn ?? missingBackend("Step Functions", operation));
      case "DynamoDBStreams":
        return runDynamoDbStreamsOperation(
          operation,
          input,
          backends.dynamodbStreams ?? missingBackend("DynamoDB Streams", operation),
        );
      case "Kinesis":
        return runKinesisOperation(
          operation,
          input,
          backends.kinesis ?? missingBackend("Kinesis", operation),
        );
      default:
        return runSsmOperation(operation, input, backends.ssm ?? missingBackend("SSM", operation), this);
    }
  }

  async #serveDynamoDb(
    target: string,
    body: Buffer,
    request: ServedRequest,
    response: WireResponse,
    requestId: string,
  ): Promise<void> {
    if (this.#proxy === undefined) {
      const error = new AwsServiceError(
        "UnknownOperationException",
        `Rebound's local AWS endpoints have no DynamoDB in this run (${target}): start them with the dynamodb option (dynalite)`,
      );
      sendJsonError(response, JsonContentType.v10, requestId, error, error.code);
      return;
    }
    const forwarded = await this.#proxy.handle(target, body, request.headers);
    response.writeHead(forwarded.statusCode, {
      ...forwarded.headers,
      "content-length": forwarded.body.length,
      "x-amzn-requestid": requestId,
    });
    response.end(forwarded.body);
  }

  async #serveQuery(
    body: Buffer,
    request: ServedRequest,
    response: WireResponse,
    requestId: string,
  ): Promise<void> {
    const params = parseQueryParams(body, request.url);
    const action = params.get("Action");
    const version = params.get("Version");
    const isSns =
      version === QUERY_VERSIONS.sns ||
      (version === undefined && (SNS_OPERATIONS as readonly string[]).includes(action ?? ""));
    const namespace = isSns ? SNS_NAMESPACE : SQS_NAMESPACE;
    this.#count(`${isSns ? "SNS" : "SQS"}.${action ?? "(no Action)"}`);
    try {
      if (action === undefined || action === "") {
        throw new AwsServiceError(
          "MissingAction",
          "The request must contain an X-Amz-Target header (JSON protocols) or an Action parameter (query protocol)",
        );
      }
      if (isSns && !(SNS_OPERATIONS as readonly string[]).includes(action)) throw unknownSnsOperation(action);
      if (!isSns && !(SQS_OPERATIONS as readonly string[]).includes(action))
        throw unknownSqsOperation(action);
      if (isSns) {
        const resultXml = await runSnsOperation(
          action,
          params,
          this.#backends.sns ?? missingBackend("SNS", action),
        );
        sendQueryResult(response, action, namespace, requestId, resultXml);
        return;
      }
      const path = (request.url ?? "/").split("?")[0]!;
      const input = sqsQueryInput(params, path === "/" ? undefined : `${this.url}${path}`);
      const output = (await runSqsOperation(
        action,
        input,
        this.#backends.sqs ?? missingBackend("SQS", action),
      )) as Record<string, unknown>;
      sendQueryResult(response, action, namespace, requestId, sqsQueryResultXml(action, output));
    } catch (error) {
      const awsError = this.#asAwsError(error, "InternalError");
      sendQueryError(
        response,
        namespace,
        requestId,
        awsError,
        isSns ? awsError.code : sqsQueryErrorCode(awsError.code),
      );
    }
  }

  /** AWS errors pass through; anything else is a model bug, kept and answered as a 500. */
  #asAwsError(error: unknown, internalCode: string): AwsServiceError {
    if (error instanceof AwsServiceError) return error;
    const cause = error instanceof Error ? error : new Error(String(error));
    this.#internalErrors.push(cause);
    return new AwsServiceError(
      internalCode,
      `Rebound backend failure: ${cause.name}: ${cause.message}`,
      500,
      { cause },
    );
  }
}

function missingBackend(service: string, operation: string): never {
  throw new AwsServiceError(
    "UnknownOperationException",
    `Rebound's local AWS endpoints have no ${service} backend in this run, so ${operation} cannot be served; ` +
      `pass backends.${service === "Step Functions" ? "sfn" : service === "DynamoDB Streams" ? "dynamodbStreams" : service.toLowerCase()} to LocalAwsEndpoints.start`,
  );
}

function unknownOperation(service: string, operation: string): AwsServiceError {
  const list = Object.values(JSON_SERVICES).find((entry) => entry.service === service)?.operations ?? [];
  return new AwsServiceError(
    "UnknownOperationException",
    `Rebound's local ${service} endpoint does not implement ${operation}; it serves ${list.join(", ")}`,
  );
}
