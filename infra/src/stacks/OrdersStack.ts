import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table/index.js";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider/index.js";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic/index.js";
import { Aspects, S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { DAY_SECONDS } from "../constants.js";
import { AlarmTopic } from "../constructs/AlarmTopic.js";
import { AsyncFunction } from "../constructs/AsyncFunction.js";
import { DeadLetterAlerts } from "../constructs/DeadLetterAlerts.js";
import { HttpApi } from "../constructs/HttpApi.js";
import { LambdaBundle } from "../constructs/LambdaBundle.js";
import { lambdaTask } from "../constructs/lambdaTask.js";
import { MessageQueue } from "../constructs/MessageQueue.js";
import { NodeFunction } from "../constructs/NodeFunction.js";
import { OperationalAlarms } from "../constructs/OperationalAlarms.js";
import { QueueWorker } from "../constructs/QueueWorker.js";
import { StreamWorker } from "../constructs/StreamWorker.js";
import { Workflow } from "../constructs/Workflow.js";
import { InvalidPropsError } from "../errors.js";
import type { ReboundConfig } from "../loadConfig.js";
import { PolicyAspect } from "../policies/PolicyAspect.js";

/**
 * The app folders the orders stack deploys (apps/<folder>, package @rebound/app-<folder>).
 *
 * @example
 * ```ts
 * import { ORDERS_APPS } from "@rebound/infra/stacks/OrdersStack";
 * const bundleDirs = Object.fromEntries(ORDERS_APPS.map((app) => [app, `apps/${app}/dist`]));
 * ```
 */
export const ORDERS_APPS = [
  "orders-api",
  "payments-worker",
  "order-events",
  "receipts",
  "fulfillment-starter",
  "fulfillment-tasks",
  "dlq-alerts",
] as const;

/** One app folder of the orders system. */
export type OrdersApp = (typeof ORDERS_APPS)[number];

/** Props of {@link OrdersStack}. */
export interface OrdersStackProps {
  /** Per-environment settings (loadConfig()). */
  readonly config: ReboundConfig;
  /** Folder of each app's esbuild bundle (apps/<app>/dist). */
  readonly bundleDirs: Readonly<Record<OrdersApp, string>>;
}

// Retention ladder (SQS keeps a standard message's original enqueue time on redrive, so each hop
// keeps messages longer than the one before): sources 4 days, DLQs and failure queues 7 days,
// the alert function's own DLQ 14 days (the SQS maximum).
const SOURCE_RETENTION_SECONDS = 4 * DAY_SECONDS;
const FAILURE_RETENTION_SECONDS = 7 * DAY_SECONDS;

/**
 * The orders system: every invocation model of Lambda, wired through Rebound's constructs, with
 * each function's retry policy decided here and checked by the policy rules at synthesis.
 *
 * @example
 * ```ts
 * import { App } from "cdktf";
 * import { loadConfig } from "@rebound/infra/loadConfig";
 * import { OrdersStack } from "@rebound/infra/stacks/OrdersStack";
 * const app = new App();
 * new OrdersStack(app, "orders", { config: loadConfig(), bundleDirs });
 * app.synth();
 * ```
 */
export class OrdersStack extends TerraformStack {
  public readonly policies: PolicyAspect;

  public constructor(scope: Construct, id: string, props: OrdersStackProps) {
    super(scope, id);
    const { config } = props;
    const missing = ORDERS_APPS.filter((app) => props.bundleDirs[app] === undefined);
    if (missing.length > 0) {
      throw new InvalidPropsError(`OrdersStack ${id}`, [
        `bundleDirs lacks ${missing.join(", ")} (apps/<app>/dist each)`,
      ]);
    }
    const name = (suffix: string) => `${config.namePrefix}-${suffix}`;

    new AwsProvider(this, "aws", {
      region: config.region,
      defaultTags: [{ tags: { "rebound:stack": "orders", "rebound:environment": config.environment } }],
    });
    if (config.stateBackend !== undefined) {
      const backend = new S3Backend(this, {
        bucket: config.stateBackend.bucket,
        key: config.stateBackend.key,
        region: config.stateBackend.region,
        encrypt: true,
        ...(config.stateBackend.dynamodbTable !== undefined
          ? { dynamodbTable: config.stateBackend.dynamodbTable }
          : {}),
      });
      // S3-native state locking (Terraform >= 1.10); cdktf 0.21's S3BackendConfig predates the option.
      if (config.stateBackend.useLockfile) backend.addOverride("use_lockfile", true);
    }

    const bundles = Object.fromEntries(
      ORDERS_APPS.map((app) => [
        app,
        new LambdaBundle(this, `${app}-bundle`, { app, bundleDir: props.bundleDirs[app] }),
      ]),
    ) as Record<OrdersApp, LambdaBundle>;
    const fn = (app: OrdersApp, functionName: string, timeout: number, handlerExport = "handler") =>
      new NodeFunction(this, functionName, {
        functionName: name(functionName),
        bundle: bundles[app],
        handlerExport,
        timeout,
        logRetentionInDays: config.logRetentionInDays,
      });

    // ---- data
    const orders = new DynamodbTable(this, "orders-table", {
      name: name("orders"),
      billingMode: "PAY_PER_REQUEST",
      hashKey: "orderId",
      attribute: [{ name: "orderId", type: "S" }],
      streamEnabled: true,
      streamViewType: "NEW_AND_OLD_IMAGES",
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: config.deletionProtection,
    });
    const idempotency = new DynamodbTable(this, "idempotency-table", {
      name: name("idempotency"),
      billingMode: "PAY_PER_REQUEST",
      hashKey: "id",
      attribute: [{ name: "id", type: "S" }],
      // TTL deletion runs up to days late; the idempotency package compares `expiration` on read.
      ttl: { attributeName: "expiration", enabled: true },
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: config.deletionProtection,
    });
    const orderEventsTopic = new SnsTopic(this, "order-events-topic", {
      name: name("order-events"),
      kmsMasterKeyId: "alias/aws/sns",
    });
    const parkedEvents = new MessageQueue(this, "parked-events", {
      queueName: name("parked-events"),
      messageRetentionSeconds: FAILURE_RETENTION_SECONDS,
    });
    const useIdempotency = (target: NodeFunction) => {
      target.addEnvironment("IDEMPOTENCY_TABLE_NAME", idempotency.name);
      target.addToRolePolicy({
        Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"],
        Resource: idempotency.arn,
      });
    };

    // ---- orders-api: synchronous; API Gateway never retries, the client does (Idempotency-Key).
    const ordersApi = fn("orders-api", "orders-api", 10);
    const payments = fn("payments-worker", "payments-worker", 10);
    const paymentsWorker = new QueueWorker(this, "payments", {
      fn: payments,
      queueName: name("payments"),
      maxReceiveCount: 5,
      batchSize: 10,
      maximumBatchingWindowInSeconds: 1,
      // The payment provider is the bottleneck: at most 5 concurrent batches hit it.
      maximumConcurrency: 5,
      messageRetentionSeconds: SOURCE_RETENTION_SECONDS,
      deadLetterMessageRetentionSeconds: FAILURE_RETENTION_SECONDS,
    });
    ordersApi.addEnvironment("ORDERS_TABLE_NAME", orders.name);
    ordersApi.addEnvironment("PAYMENTS_QUEUE_URL", paymentsWorker.queue.url);
    ordersApi.addToRolePolicy({ Action: ["dynamodb:GetItem", "dynamodb:PutItem"], Resource: orders.arn });
    ordersApi.addToRolePolicy({ Action: ["sqs:SendMessage"], Resource: paymentsWorker.queue.arn });
    useIdempotency(ordersApi);
    const api = new HttpApi(this, "http-api", {
      apiName: name("orders"),
      fn: ordersApi,
      routes: ["POST /orders", "GET /orders/{id}"],
      throttlingRateLimit: config.api.throttlingRateLimit,
      throttlingBurstLimit: config.api.throttlingBurstLimit,
      accessLogRetentionInDays: config.logRetentionInDays,
      // Orders hold the customer's e-mail: only callers with a token from the configured issuer get in.
      ...(config.api.jwt !== undefined ? { jwtAuthorizer: config.api.jwt } : {}),
    });

    // ---- payments-worker: SQS, partial batch responses; declined cards parked in its DLQ at once.
    payments.addEnvironment("ORDERS_TABLE_NAME", orders.name);
    payments.addEnvironment("PAYMENT_PROVIDER_URL", config.providers.paymentUrl);
    payments.addEnvironment("PARKING_QUEUE_URL", paymentsWorker.deadLetterQueue.url);
    payments.addToRolePolicy({ Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"], Resource: orders.arn });
    payments.addToRolePolicy({ Action: ["sqs:SendMessage"], Resource: paymentsWorker.deadLetterQueue.arn });
    useIdempotency(payments);

    // ---- fulfillment: workflow tasks, the state machine, the starter queue.
    const reserveStock = fn("fulfillment-tasks", "reserve-stock", 10, "reserveStock");
    const shipOrder = fn("fulfillment-tasks", "ship-order", 15, "shipOrder");
    reserveStock.addEnvironment("STOCK_SERVICE_URL", config.providers.stockUrl);
    reserveStock.addEnvironment("CARRIER_URL", config.providers.carrierUrl);
    shipOrder.addEnvironment("STOCK_SERVICE_URL", config.providers.stockUrl);
    shipOrder.addEnvironment("CARRIER_URL", config.providers.carrierUrl);
    // A task retried after a timeout may already have reserved or shipped: both are idempotent per order.
    useIdempotency(reserveStock);
    useIdempotency(shipOrder);
    const retryable = (error: string) => ({
      ErrorEquals: [error],
      IntervalSeconds: 5,
      MaxAttempts: 4,
      BackoffRate: 2,
      MaxDelaySeconds: 60,
      JitterStrategy: "FULL" as const,
    });
    const fulfillment = new Workflow(this, "fulfillment", {
      stateMachineName: name("fulfillment"),
      invokes: [reserveStock, shipOrder],
      definition: {
        Comment:
          "Reserve stock, then ship. Provider outages are retried; permanent refusals end the execution as failed.",
        StartAt: "ReserveStock",
        // One day bounds an execution whose retries keep going (the Standard default is a year).
        TimeoutSeconds: DAY_SECONDS,
        States: {
          ReserveStock: lambdaTask(reserveStock, {
            resultPath: "$.reservation",
            retry: [retryable("StockServiceUnavailable")],
            catch: [{ ErrorEquals: ["OutOfStock"], ResultPath: "$.error", Next: "OutOfStock" }],
            next: "ShipOrder",
          }),
          ShipOrder: lambdaTask(shipOrder, {
            resultPath: "$.shipment",
            retry: [retryable("CarrierUnavailable")],
            catch: [{ ErrorEquals: ["AddressRejected"], ResultPath: "$.error", Next: "AddressRejected" }],
            next: "Fulfilled",
          }),
          Fulfilled: { Type: "Succeed" },
          OutOfStock: {
            Type: "Fail",
            Error: "OutOfStock",
            Cause: "Stock could not be reserved; the order must be refunded.",
          },
          AddressRejected: {
            Type: "Fail",
            Error: "AddressRejected",
            Cause: "The carrier rejected the address; the order needs a person.",
          },
        },
      },
      logRetentionInDays: config.logRetentionInDays,
    });
    const starter = fn("fulfillment-starter", "fulfillment-starter", 10);
    const fulfillmentQueue = new QueueWorker(this, "fulfillment-queue", {
      fn: starter,
      queueName: name("fulfillment"),
      maxReceiveCount: 5,
      batchSize: 10,
      messageRetentionSeconds: SOURCE_RETENTION_SECONDS,
      deadLetterMessageRetentionSeconds: FAILURE_RETENTION_SECONDS,
    });
    starter.addEnvironment("STATE_MACHINE_ARN", fulfillment.arn);
    starter.addEnvironment("PARKING_QUEUE_URL", fulfillmentQueue.deadLetterQueue.url);
    starter.addToRolePolicy({ Action: ["states:StartExecution"], Resource: fulfillment.arn });
    starter.addToRolePolicy({ Action: ["sqs:SendMessage"], Resource: fulfillmentQueue.deadLetterQueue.arn });

    // ---- order-events: the orders table's stream, bisect on error, bounded retries, on-failure queue.
    const orderEvents = fn("order-events", "order-events", 10);
    const orderEventsStream = new StreamWorker(this, "order-events-stream", {
      fn: orderEvents,
      table: orders,
      onFailureQueueName: name("order-events-failures"),
      onFailureMessageRetentionSeconds: FAILURE_RETENTION_SECONDS,
      batchSize: 25,
      maximumRetryAttempts: 5,
      maximumRecordAgeInSeconds: 3600,
      bisectBatchOnFunctionError: true,
      parallelizationFactor: 1,
      startingPosition: "TRIM_HORIZON",
    });
    orderEvents.addEnvironment("ORDER_EVENTS_TOPIC_ARN", orderEventsTopic.arn);
    orderEvents.addEnvironment("FULFILLMENT_QUEUE_URL", fulfillmentQueue.queue.url);
    orderEvents.addEnvironment("PARKING_QUEUE_URL", parkedEvents.url);
    orderEvents.addToRolePolicy({ Action: ["sns:Publish"], Resource: orderEventsTopic.arn });
    orderEvents.addToRolePolicy({
      Action: ["sqs:SendMessage"],
      Resource: [fulfillmentQueue.queue.arn, parkedEvents.arn],
    });
    useIdempotency(orderEvents);

    // ---- receipts: async via SNS, 2 retries within an hour, then the on-failure queue.
    const receipts = fn("receipts", "receipts", 10);
    const receiptsAsync = new AsyncFunction(this, "receipts-async", {
      fn: receipts,
      onFailureQueueName: name("receipts-failures"),
      onFailureMessageRetentionSeconds: FAILURE_RETENTION_SECONDS,
      maximumRetryAttempts: 2,
      maximumEventAgeInSeconds: 3600,
      subscribeTo: [orderEventsTopic],
    });
    receipts.addEnvironment("MAIL_PROVIDER_URL", config.providers.mailUrl);
    receipts.addEnvironment("PARKING_QUEUE_URL", parkedEvents.url);
    receipts.addToRolePolicy({ Action: ["sqs:SendMessage"], Resource: parkedEvents.arn });
    useIdempotency(receipts);

    // ---- dlq-alerts: every DLQ, destination and parking queue, one Slack message per failed event.
    const dlqAlerts = fn("dlq-alerts", "dlq-alerts", 15);
    const alarmTopic = new AlarmTopic(this, "alarm-topic", {
      namePrefix: config.namePrefix,
      ...(config.alarmTopicArn !== undefined ? { topicArn: config.alarmTopicArn } : {}),
      ...(config.alarmEmail !== undefined ? { email: config.alarmEmail } : {}),
    });
    const alerts = new DeadLetterAlerts(this, "alerts", {
      fn: dlqAlerts,
      namePrefix: config.namePrefix,
      region: config.region,
      alertsDeadLetterQueueName: name("alerts-dlq"),
      slackWebhookParameterName: config.slackWebhookParameterName,
      ...(config.slackWebhookKmsKeyArn !== undefined
        ? { slackWebhookKmsKeyArn: config.slackWebhookKmsKeyArn }
        : {}),
      alarmTopicArn: alarmTopic.topicArn,
    });
    alerts.watch(paymentsWorker.deadLetterQueue, {
      label: "payments-dlq",
      source: "payments queue after 5 receives, and declined payments parked by payments-worker",
    });
    alerts.watch(fulfillmentQueue.deadLetterQueue, {
      label: "fulfillment-dlq",
      source: "fulfillment queue after 5 receives, and bad messages parked by fulfillment-starter",
    });
    alerts.watch(parkedEvents.queue, {
      label: "parked-events",
      source: "permanent failures parked by order-events and receipts",
    });
    alerts.watch(orderEventsStream.failureQueue.queue, {
      label: "order-events-failures",
      source: "stream batches order-events gave up on",
    });
    alerts.watch(receiptsAsync.failureQueue.queue, {
      label: "receipts-failures",
      source: "async receipts that failed every attempt or aged out",
    });
    // Stream failure records carry only shard and sequence numbers: dlq-alerts reads the records back.
    dlqAlerts.addToRolePolicy({
      Action: ["dynamodb:DescribeStream", "dynamodb:GetShardIterator", "dynamodb:GetRecords"],
      Resource: orders.streamArn,
    });

    // Every function and the state machine, found rather than listed, so a new one cannot be forgotten.
    const operationalAlarms = new OperationalAlarms(this, "operational-alarms", {
      namePrefix: config.namePrefix,
      topicArn: alarmTopic.topicArn,
    });
    for (const construct of this.node.findAll()) {
      if (construct instanceof NodeFunction) operationalAlarms.watchFunction(construct);
      if (construct instanceof Workflow) operationalAlarms.watchStateMachine(construct);
    }

    new TerraformOutput(this, "api-url", { value: api.url });
    new TerraformOutput(this, "state-machine-arn", { value: fulfillment.arn });
    new TerraformOutput(this, "alarm-topic-arn", { value: alerts.alarmTopicArn });

    this.policies = new PolicyAspect();
    Aspects.of(this).add(this.policies);
  }
}
