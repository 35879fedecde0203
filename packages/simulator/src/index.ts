export {
  type PartialBatchResult,
  PartialBatchVerdict,
  readPartialBatchResponse,
} from "@rebound/errors";
export type { ApiGatewayEnv } from "./apigateway/ApiGateway.js";
export {
  ACCOUNT_API_THROTTLE,
  ApiGateway,
  type ApiGatewayConfig,
  type ApiRequestOptions,
  type ApiResponse,
  type ApiRouteAuthorization,
  type ApiRouteConfig,
} from "./apigateway/ApiGateway.js";
export { authorizeJwt, type JwtAuthorizerConfig, type JwtDecision } from "./apigateway/jwtAuthorizer.js";
export { type ThrottleLimits, TokenBucket } from "./apigateway/TokenBucket.js";
export { DynaliteServer } from "./aws/DynaliteServer.js";
export { LocalAwsEndpoints } from "./aws/LocalAwsEndpoints.js";
export { ScriptedHttpService } from "./aws/ScriptedHttpService.js";
export { CodeLoadError } from "./code/CodeLoadError.js";
export {
  type CodeRequest,
  type CodeSource,
  CodeWorkspace,
  type CodeWorkspaceOptions,
  type PreparedCode,
} from "./code/CodeWorkspace.js";
export { DEFAULT_MAX_UNZIPPED_BYTES, type ExtractZipOptions, extractZip } from "./code/extractZip.js";
export { type ModuleFormat, type ResolvedHandler, resolveHandler } from "./code/resolveHandler.js";
export { EventBus } from "./destinations/EventBus.js";
export { S3Bucket } from "./destinations/S3Bucket.js";
export type { SnsTopicEnv } from "./destinations/SnsTopic.js";
export {
  type PublishOptions,
  type SnsSubscriptionConfig,
  SnsTopic,
  type SnsTopicConfig,
} from "./destinations/SnsTopic.js";
export { type ParsedArn, parseArn } from "./engine/arn.js";
export { EventQueue, type ScheduledCall, type ScheduledEvent } from "./engine/EventQueue.js";
export {
  AslDefinitionError,
  ConfigurationError,
  InvariantViolationError,
  ResourceNotFoundError,
  SimulatorError,
  StatesFailure,
  StepFunctionsApiError,
  StepLimitExceededError,
} from "./engine/errors.js";
export { IdMint } from "./engine/IdMint.js";
export type { InvariantEnv } from "./engine/InvariantChecker.js";
export { InvariantChecker, type InvariantCheckerOptions } from "./engine/InvariantChecker.js";
export type { ModelEnv } from "./engine/ModelEnv.js";
export {
  type AttemptRecord,
  AttemptResult,
  Disposition,
  type EventOutcome,
  type OutcomeCounts,
  Outcomes,
  type OutcomesOptions,
  type SettleDetails,
} from "./engine/Outcomes.js";
export { SeededRandom } from "./engine/SeededRandom.js";
export { Simulation, type SimulationOptions } from "./engine/Simulation.js";
export {
  formatTraceLine,
  Trace,
  type TraceFields,
  type TraceListener,
  type TraceOptions,
  type TraceValue,
} from "./engine/Trace.js";
export { VirtualClock } from "./engine/VirtualClock.js";
export { assertOptions } from "./engine/validate.js";
export { type BundleHandlerOptions, bundleHandler } from "./host/bundleHandler.js";
export { HandlerHost } from "./host/HandlerHost.js";
export { AccountConcurrency } from "./lambda/AccountConcurrency.js";
export type { AsyncInvocationEnv } from "./lambda/AsyncInvocationQueue.js";
export {
  ASYNC_DEFAULTS,
  AsyncInvocationQueue,
  type DestinationTarget,
  type EventInvokeConfig,
} from "./lambda/AsyncInvocationQueue.js";
export {
  AsyncCondition,
  type AsyncInvocationRecord,
  asyncInvocationRecord,
  eventBridgeDestinationEvent,
  functionDlqAttributes,
  type LastResponse,
} from "./lambda/asyncRecords.js";
export { attemptResultOf, recordAttempt } from "./lambda/attemptResult.js";
export type { DeliveryContext, DeliveryTargets } from "./lambda/Deliveries.js";
export {
  InvocationContext,
  type LambdaCallback,
  type LambdaContext,
  type LambdaHandler,
} from "./lambda/LambdaContext.js";
export {
  type InvocationCallback,
  type InvocationFunctionError,
  type InvocationResult,
  InvocationStatus,
  type InvocationSuccess,
  type InvocationThrottled,
  LambdaFunction,
  type LambdaFunctionConfig,
  type LambdaRuntimeEnv,
  ThrottleReason,
} from "./lambda/LambdaFunction.js";
export {
  type LambdaErrorPayload,
  TIMEOUT_ERROR_TYPE,
  timeoutError,
  toLambdaError,
} from "./lambda/lambdaError.js";
export type { ControllableMapping, EventSourceMappingStatus } from "./lambda/mappingStatus.js";
export {
  describeMatch,
  eventMatches,
  type PayloadMatch,
  parseJsonPath,
  readJsonPath,
  recordContent,
  recordMatches,
} from "./lambda/payloadMatch.js";
export { Reply } from "./lambda/Reply.js";
export { DEFAULT_RUNTIME, errorPayloadForRuntime } from "./lambda/runtimeErrorPayload.js";
export { Script, type ScriptEnv } from "./lambda/Script.js";
export { type SyncInvokeResult, SyncInvoker, toSyncResult } from "./lambda/SyncInvoker.js";
export {
  type FailOptions,
  itemIdentifierOf,
  type KeyOptions,
  type ScriptDuration,
  type ScriptOptions,
  scripted,
} from "./lambda/scripted.js";
export { explainStack, type FunctionPolicy, formatPolicies } from "./report/explain.js";
export { formatSummary } from "./report/formatSummary.js";
export type { ExpectationResult, RunEvent, RunResult } from "./report/RunResult.js";
export { renderHtmlReport } from "./report/renderHtmlReport.js";
export { type RunScenarioOptions, runScenario } from "./run/runScenario.js";
export { parseScenario } from "./scenario/parseScenario.js";
export type { Scenario } from "./scenario/Scenario.js";
export { ScenarioError } from "./scenario/ScenarioError.js";
export { SqsEventSourceMapping, type SqsEventSourceMappingConfig } from "./sqs/SqsEventSourceMapping.js";
export { SqsMessage } from "./sqs/SqsMessage.js";
export type { SqsQueueEnv } from "./sqs/SqsQueue.js";
export { type QueueConsumer, SqsQueue } from "./sqs/SqsQueue.js";
export type { SendMessageOptions } from "./sqs/sendMessageOptions.js";
export { md5OfBody, md5OfMessageAttributes, type SqsMessageAttributeValue } from "./sqs/sqsMd5.js";
export type { SqsQueueConfig } from "./sqs/sqsQueueConfig.js";
export { type AslCondition, compileAslCondition, parseAslTimestamp } from "./stepfunctions/asl/aslChoice.js";
export { parseAslDefinition } from "./stepfunctions/asl/aslDefinition.js";
export {
  type AslPath,
  type AslPathLookup,
  type AslPathSegment,
  parseAslPath,
  readAslPath,
  writeAslPath,
} from "./stepfunctions/asl/aslPath.js";
export {
  type AslRetrier,
  decideRetry,
  errorMatches,
  isTerminalStatesError,
  type RetryDecision,
  retryDelayMs,
} from "./stepfunctions/asl/aslRetry.js";
export {
  ASL_STATE_TYPES,
  type AslCatcher,
  type AslChoiceState,
  type AslFailState,
  type AslMachine,
  type AslParallelState,
  type AslPassState,
  type AslState,
  type AslStateType,
  type AslSucceedState,
  type AslTaskState,
  type AslTaskTarget,
  type AslWaitState,
  LAMBDA_INVOKE_RESOURCE,
} from "./stepfunctions/asl/aslStateTypes.js";
export {
  type AslEvaluationScope,
  type AslTemplate,
  compileAslExpression,
  compileAslTemplate,
} from "./stepfunctions/asl/aslTemplate.js";
export { ExecutionStatus } from "./stepfunctions/ExecutionStatus.js";
export {
  type CreateStateMachineInput,
  type ExecutionDescription,
  type StartExecutionInput,
  type StartExecutionOutput,
  StepFunctions,
  type StepFunctionsEnv,
  type StepFunctionsStateMachine,
} from "./stepfunctions/StepFunctions.js";
export {
  type ExecutionEnv,
  type ExecutionIdentity,
  StepFunctionsExecution,
} from "./stepfunctions/StepFunctionsExecution.js";
export {
  type AttributeMap,
  type AttributeValue,
  type DynamoDBItemWrite,
  DynamoDBStream,
  type DynamoDBStreamOptions,
  StreamViewType,
} from "./streams/DynamoDBStream.js";
export {
  type KinesisPutRecordInput,
  type KinesisPutRecordOutput,
  KinesisStream,
  type KinesisStreamOptions,
} from "./streams/KinesisStream.js";
export { Stream, type StreamEnv } from "./streams/Stream.js";
export { StreamEventSourceMapping, type StreamMappingEnv } from "./streams/StreamEventSourceMapping.js";
export {
  StreamKind,
  type StreamListener,
  type StreamRecordEntry,
  StreamShard,
} from "./streams/StreamShard.js";
export {
  STREAM_MAPPING_OPTION_KEYS,
  StartingPosition,
  type StreamDestinationKind,
  type StreamMappingOptions,
  type StreamMappingSettings,
  validateStreamMappingOptions,
} from "./streams/streamConfig.js";
export {
  buildStreamFailureRecord,
  StreamFailureCondition,
  type StreamFailureFacts,
  streamFailureObjectKey,
} from "./streams/streamDestinationRecord.js";
export type { StreamFailureDelivery, StreamFailureSink } from "./streams/streamFailureDestination.js";
export { kinesisShardIndex, laneOf, md5BigInt } from "./streams/streamHash.js";
export { checkStreamInvariants } from "./streams/streamInvariants.js";
export { findDeployRejections } from "./terraform/deployRejections.js";
export { type FunctionCode, functionCode } from "./terraform/functionCode.js";
export { loadHttpApis, type StackRoute } from "./terraform/loadHttpApis.js";
export {
  type LoadedStack,
  loadStack,
  type StackFunction,
  type StackTable,
} from "./terraform/loadStack.js";
export { PLAN_COMMANDS, planProblem, planToTerraformJson } from "./terraform/planToTerraformJson.js";
export { type StackIdentity, StackReferences } from "./terraform/StackReferences.js";
export { type AwsRejection, formatRejection, StackRejectedError } from "./terraform/StackRejectedError.js";
export { type TerraformFileKind, TerraformJson, type TerraformResource } from "./terraform/TerraformJson.js";
export { type DeliveryLookups, deliverRecord } from "./topology/deliverRecord.js";
export {
  eventInvokeConfig,
  eventSourceMappingConfiguration,
  functionConcurrency,
  functionConfiguration,
  listEventSourceMappings,
} from "./topology/effectiveConfiguration.js";
export {
  eventSourceMappings,
  findEventSourceMapping,
  type MappingSelector,
  putFunctionConcurrency,
  updateEventSourceMapping,
} from "./topology/runtimeChanges.js";
export { type StreamEventSourceMappingConfig, StreamSources } from "./topology/StreamSources.js";
export { stepFunctionsForTopology } from "./topology/stepFunctionsForTopology.js";
export {
  type EventSourceMappingFactory,
  Topology,
} from "./topology/Topology.js";
export type { TopologyOptions } from "./topology/TopologyOptions.js";
