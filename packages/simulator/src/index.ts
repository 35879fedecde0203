export { AccountConcurrency } from "./AccountConcurrency.js";
export { EventQueue, type ScheduledEvent } from "./EventQueue.js";
export {
  ConfigurationError,
  InvariantViolationError,
  ResourceNotFoundError,
  SimulatorError,
  StepLimitExceededError,
} from "./errors.js";
export { explainStack, type FunctionPolicy, formatPolicies } from "./explain.js";
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
export { Reply } from "./Reply.js";
export { Script, type ScriptEnv } from "./Script.js";
export { SeededRandom } from "./SeededRandom.js";
export { Simulation, type SimulationOptions } from "./Simulation.js";
export {
  type FailOptions,
  itemIdentifierOf,
  type KeyOptions,
  type ScriptDuration,
  type ScriptOptions,
  scripted,
} from "./scripted.js";
export {
  formatTraceLine,
  Trace,
  type TraceFields,
  type TraceListener,
  type TraceOptions,
  type TraceValue,
} from "./Trace.js";
export { TerraformJson, type TerraformResource } from "./terraform/TerraformJson.js";
export { VirtualClock } from "./VirtualClock.js";
export { assertOptions } from "./validate.js";
