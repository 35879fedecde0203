import { ResourceNotFoundError } from "../engine/errors.js";
import type { ControllableMapping } from "../lambda/mappingStatus.js";
import { SqsEventSourceMapping } from "../sqs/SqsEventSourceMapping.js";
import { StreamEventSourceMapping } from "../streams/StreamEventSourceMapping.js";
import { eventSourceMappings, findEventSourceMapping, type MappingSelector } from "./runtimeChanges.js";
import type { Topology } from "./Topology.js";

/**
 * GetFunctionConfiguration's view of a function, with AWS's field names and the defaults AWS fills in
 * (Timeout 3, MemorySize 128, the runtime, the role, the DLQ, `State: "Active"`).
 *
 * @example
 * ```ts
 * functionConfiguration(topology, "receipts").Timeout; // 10
 * ```
 */
export function functionConfiguration(topology: Topology, functionName: string): Record<string, unknown> {
  const fn = topology.function(functionName, "GetFunctionConfiguration");
  return {
    FunctionName: fn.functionName,
    FunctionArn: fn.arn,
    Runtime: fn.runtime,
    ...(fn.roleArn === undefined ? {} : { Role: fn.roleArn }),
    Timeout: fn.timeoutSeconds,
    MemorySize: fn.memorySizeMB,
    Version: "$LATEST",
    ...(fn.deadLetterTargetArn === undefined
      ? {}
      : { DeadLetterConfig: { TargetArn: fn.deadLetterTargetArn } }),
    Environment: { Variables: { ...fn.environment } },
    State: "Active",
    LastUpdateStatus: "Successful",
    PackageType: "Zip",
    Architectures: ["x86_64"],
    EphemeralStorage: { Size: 512 },
  };
}

/**
 * GetFunctionConcurrency: `{ ReservedConcurrentExecutions }`, or `{}` for a function without a
 * reservation (as AWS answers).
 *
 * @example
 * ```ts
 * functionConcurrency(topology, "receipts"); // {} or { ReservedConcurrentExecutions: 5 }
 * ```
 */
export function functionConcurrency(topology: Topology, functionName: string): Record<string, unknown> {
  const reserved = topology.function(functionName, "GetFunctionConcurrency").reservedConcurrency;
  return reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved };
}

/**
 * GetFunctionEventInvokeConfig: the async settings of a function with an event invoke config;
 * `ResourceNotFoundException` when the function has none (AWS's answer, even though the defaults
 * apply: 2 retries, 6 hours).
 *
 * @example
 * ```ts
 * eventInvokeConfig(topology, "receipts").MaximumRetryAttempts; // 2
 * ```
 */
export function eventInvokeConfig(topology: Topology, functionName: string): Record<string, unknown> {
  const fn = topology.function(functionName, "GetFunctionEventInvokeConfig");
  const queue = topology.asyncQueue(fn.functionName, "GetFunctionEventInvokeConfig");
  if (!queue.configured)
    throw new ResourceNotFoundError(
      fn.functionName,
      `The function ${fn.arn} doesn't have an EventInvokeConfig`,
    );
  const destinations = {
    ...(queue.onSuccess === undefined ? {} : { OnSuccess: { Destination: queue.onSuccess } }),
    ...(queue.onFailure === undefined ? {} : { OnFailure: { Destination: queue.onFailure } }),
  };
  return {
    FunctionArn: fn.qualifiedArn,
    MaximumRetryAttempts: queue.maximumRetryAttempts,
    MaximumEventAgeInSeconds: queue.maximumEventAgeInSeconds,
    DestinationConfig: destinations,
  };
}

/**
 * GetEventSourceMapping's view of a mapping: its settings with the defaults AWS fills in (BatchSize
 * 10 for SQS and 100 for streams, MaximumRetryAttempts -1, MaximumRecordAgeInSeconds -1, …) and its
 * state (`status()`).
 *
 * @example
 * ```ts
 * eventSourceMappingConfiguration(topology, { functionName: "pay", eventSourceArn: queue.arn }).BatchSize; // 10
 * ```
 */
export function eventSourceMappingConfiguration(
  topology: Topology,
  selector: MappingSelector,
): Record<string, unknown> {
  return describeMapping(findEventSourceMapping(topology, selector));
}

/**
 * ListEventSourceMappings: every mapping, optionally of one function or one source.
 *
 * @example
 * ```ts
 * listEventSourceMappings(topology, { functionName: "pay" }).length;
 * ```
 */
export function listEventSourceMappings(
  topology: Topology,
  filter: { readonly functionName?: string; readonly eventSourceArn?: string } = {},
): Record<string, unknown>[] {
  const functionName =
    filter.functionName === undefined ? undefined : topology.function(filter.functionName).functionName;
  return eventSourceMappings(topology)
    .filter(
      (mapping) =>
        (functionName === undefined || mapping.functionName === functionName) &&
        (filter.eventSourceArn === undefined || mapping.eventSourceArn === filter.eventSourceArn),
    )
    .map(describeMapping);
}

function describeMapping(mapping: ControllableMapping): Record<string, unknown> {
  const status = mapping.status();
  const base = {
    UUID: status.UUID,
    EventSourceArn: status.EventSourceArn,
    FunctionArn: status.FunctionArn,
    State: status.State,
    StateTransitionReason: status.StateTransitionReason,
    ...(status.LastProcessingResult === undefined
      ? {}
      : { LastProcessingResult: status.LastProcessingResult }),
  };
  if (mapping instanceof SqsEventSourceMapping) {
    return {
      ...base,
      BatchSize: mapping.batchSize,
      MaximumBatchingWindowInSeconds: mapping.maximumBatchingWindowInSeconds,
      FunctionResponseTypes: mapping.reportBatchItemFailures ? ["ReportBatchItemFailures"] : [],
      ...(mapping.maximumConcurrency < 1000
        ? { ScalingConfig: { MaximumConcurrency: mapping.maximumConcurrency } }
        : {}),
    };
  }
  if (mapping instanceof StreamEventSourceMapping) {
    const settings = mapping.settings;
    return {
      ...base,
      StartingPosition: settings.startingPosition,
      BatchSize: settings.batchSize,
      MaximumBatchingWindowInSeconds: settings.maximumBatchingWindowInSeconds,
      ParallelizationFactor: settings.parallelizationFactor,
      MaximumRetryAttempts: settings.maximumRetryAttempts,
      MaximumRecordAgeInSeconds: settings.maximumRecordAgeInSeconds,
      BisectBatchOnFunctionError: settings.bisectBatchOnFunctionError,
      FunctionResponseTypes: settings.reportBatchItemFailures ? ["ReportBatchItemFailures"] : [],
      TumblingWindowInSeconds: 0,
      DestinationConfig: {
        OnFailure: settings.onFailure === undefined ? {} : { Destination: settings.onFailure.destination },
      },
    };
  }
  return base;
}
