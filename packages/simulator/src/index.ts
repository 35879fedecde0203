export { AccountConcurrency } from "./AccountConcurrency.js";
export { ApiGateway, type ApiGatewayConfig, type ApiRequestOptions, type ApiResponse } from "./ApiGateway.js";
export {
  ASYNC_DEFAULTS,
  AsyncInvocationQueue,
  type DestinationTarget,
  type EventInvokeConfig,
} from "./AsyncInvocationQueue.js";
export { type ParsedArn, parseArn } from "./arn.js";
export { type AslCondition, compileAslCondition, parseAslTimestamp } from "./aslChoice.js";
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
  parseAslDefinition,
} from "./aslDefinition.js";
export {
  type AslPath,
  type AslPathLookup,
  type AslPathSegment,
  parseAslPath,
  readAslPath,
  writeAslPath,
} from "./aslPath.js";
export {
  type AslRetrier,
  decideRetry,
  errorMatches,
  isTerminalStatesError,
  type RetryDecision,
  retryDelayMs,
} from "./aslRetry.js";
export {
  type AslEvaluationScope,
  type AslTemplate,
  compileAslExpression,
  compileAslTemplate,
} from "./aslTemplate.js";
export {
  AsyncCondition,
  type AsyncInvocationRecord,
  asyncInvocationRecord,
  eventBridgeDestinationEvent,
  functionDlqAttributes,
  type LastResponse,
} from "./asyncRecords.js";
export {
  type AttributeMap,
  type AttributeValue,
  type DynamoDBItemWrite,
  DynamoDBStream,
  type DynamoDBStreamOptions,
  StreamViewType,
} from "./DynamoDBStream.js";
export { EventBus } from "./EventBus.js";
export { EventQueue, type ScheduledCall, type ScheduledEvent } from "./EventQueue.js";
export { DynaliteServer } from "./environment/DynaliteServer.js";
export { HandlerHost } from "./environment/HandlerHost.js";
export { LocalAwsEndpoints } from "./environment/LocalAwsEndpoints.js";
export { ScriptedHttpService } from "./environment/ScriptedHttpService.js";
export {
  AslDefinitionError,
  ConfigurationError,
  InvariantViolationError,
  ResourceNotFoundError,
  SimulatorError,
  StatesFailure,
  StepFunctionsApiError,
  StepLimitExceededError,
} from "./errors.js";
export { explainStack, type FunctionPolicy, formatPolicies } from "./explain.js";
export { InvariantChecker, type InvariantCheckerOptions } from "./InvariantChecker.js";
export {
  type KinesisPutRecordInput,
  type KinesisPutRecordOutput,
  KinesisStream,
  type KinesisStreamOptions,
} from "./KinesisStream.js";
export { InvocationContext, type LambdaContext } from "./LambdaContext.js";
export {
  type InvocationCallback,
  type InvocationFunctionError,
  type InvocationResult,
  InvocationStatus,
  type InvocationSuccess,
  type InvocationThrottled,
  LambdaFunction,
  type LambdaFunctionConfig,
  type LambdaHandler,
  type LambdaRuntimeEnv,
  ThrottleReason,
} from "./LambdaFunction.js";
export { type LambdaErrorPayload, TIMEOUT_ERROR_TYPE, timeoutError, toLambdaError } from "./lambdaError.js";
export {
  type AttemptRecord,
  AttemptResult,
  Disposition,
  type EventOutcome,
  type OutcomeCounts,
  Outcomes,
  type OutcomesOptions,
  type SettleDetails,
} from "./Outcomes.js";
export {
  type PartialBatchResult,
  PartialBatchVerdict,
  readPartialBatchResponse,
} from "./partialBatchResponse.js";
export { Reply } from "./Reply.js";
export { formatSummary } from "./report/formatSummary.js";
export type { ExpectationResult, RunEvent, RunResult } from "./report/RunResult.js";
export { renderHtmlReport } from "./report/renderHtmlReport.js";
export { type RunScenarioOptions, runScenario } from "./run/runScenario.js";
export { S3Bucket } from "./S3Bucket.js";
export { Script, type ScriptEnv } from "./Script.js";
export { SeededRandom } from "./SeededRandom.js";
export { Simulation, type SimulationOptions } from "./Simulation.js";
export {
  type PublishOptions,
  type SnsSubscriptionConfig,
  SnsTopic,
  type SnsTopicConfig,
} from "./SnsTopic.js";
export { SqsEventSourceMapping, type SqsEventSourceMappingConfig } from "./SqsEventSourceMapping.js";
export {
  type QueueConsumer,
  type SendMessageOptions,
  SqsMessage,
  SqsQueue,
  type SqsQueueConfig,
} from "./SqsQueue.js";
export {
  type CreateStateMachineInput,
  type ExecutionDescription,
  type StartExecutionInput,
  type StartExecutionOutput,
  StepFunctions,
  type StepFunctionsEnv,
  type StepFunctionsStateMachine,
} from "./StepFunctions.js";
export {
  type ExecutionEnv,
  type ExecutionIdentity,
  ExecutionStatus,
  StepFunctionsExecution,
} from "./StepFunctionsExecution.js";
export { Stream, type StreamEnv } from "./Stream.js";
export {
  StreamEventSourceMapping,
  type StreamFailureDelivery,
  type StreamFailureSink,
  type StreamMappingEnv,
} from "./StreamEventSourceMapping.js";
export { StreamKind, type StreamListener, type StreamRecordEntry, StreamShard } from "./StreamShard.js";
export { type StreamEventSourceMappingConfig, StreamSources } from "./StreamSources.js";
export { recordAttempt, type SyncInvokeResult, SyncInvoker, toSyncResult } from "./SyncInvoker.js";
export { parseScenario } from "./scenario/parseScenario.js";
export type { Scenario } from "./scenario/Scenario.js";
export { ScenarioError } from "./scenario/ScenarioError.js";
export {
  type FailOptions,
  itemIdentifierOf,
  type KeyOptions,
  type ScriptDuration,
  type ScriptOptions,
  scripted,
} from "./scripted.js";
export { md5OfBody, md5OfMessageAttributes, type SqsMessageAttributeValue } from "./sqsMd5.js";
export { stepFunctionsForTopology } from "./stepFunctionsForTopology.js";
export {
  STREAM_MAPPING_OPTION_KEYS,
  StartingPosition,
  type StreamDestinationKind,
  type StreamMappingOptions,
  type StreamMappingSettings,
  validateStreamMappingOptions,
} from "./streamConfig.js";
export {
  buildStreamFailureRecord,
  StreamFailureCondition,
  type StreamFailureFacts,
  streamFailureObjectKey,
} from "./streamDestinationRecord.js";
export { kinesisShardIndex, laneOf, md5BigInt } from "./streamHash.js";
export { checkStreamInvariants } from "./streamInvariants.js";
export {
  type DeliveryContext,
  type EventSourceMappingFactory,
  Topology,
  type TopologyOptions,
} from "./Topology.js";
export {
  formatTraceLine,
  Trace,
  type TraceFields,
  type TraceListener,
  type TraceOptions,
  type TraceValue,
} from "./Trace.js";
export {
  type LoadedStack,
  loadStack,
  type StackFunction,
  type StackRoute,
  type StackTable,
} from "./terraform/loadStack.js";
export { type StackIdentity, StackReferences } from "./terraform/StackReferences.js";
export { TerraformJson, type TerraformResource } from "./terraform/TerraformJson.js";
export { VirtualClock } from "./VirtualClock.js";
export { assertOptions } from "./validate.js";
