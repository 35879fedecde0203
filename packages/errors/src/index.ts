export {
  type AsyncAttempt,
  type AsyncEventHandler,
  type AsyncHandlerOptions,
  asyncHandler,
} from "./asyncHandler.js";
export {
  builtInClassification,
  Classification,
  type ClassificationResult,
  type ClassificationRule,
  ClassificationSource,
  type Classifier,
  classify,
  createClassifier,
  explainClassification,
} from "./classify.js";
export { createJsonLogger, type JsonLoggerOptions, type Logger } from "./createJsonLogger.js";
export { describeEvent } from "./describeEvent.js";
export {
  ConflictError,
  FullBatchFailureError,
  InvalidEventError,
  InvalidOptionsError,
  MalformedJsonError,
  NotFoundError,
  ParkingError,
  PermanentError,
  type PermanentErrorOptions,
  ReboundError,
  type ReboundErrorOptions,
  RetryableError,
  type RetryableErrorOptions,
  ValidationError,
  type ValidationErrorOptions,
} from "./errors.js";
export {
  type HttpHandlerOptions,
  type HttpRequest,
  type HttpRequestHandler,
  type HttpResult,
  httpHandler,
} from "./httpHandler.js";
export { FailureAction } from "./logFailure.js";
export { PARKED_EVENT_KIND, type ParkedEvent, type Parker, type ParkingOption, Trigger } from "./parking.js";
export { RecentIds } from "./RecentIds.js";
export {
  type PartialBatchResult,
  PartialBatchVerdict,
  readPartialBatchResponse,
} from "./readPartialBatchResponse.js";
export { SqsParker, type SqsParkerOptions, type SqsSendClient } from "./SqsParker.js";
export {
  type SqsBatchHandlerOptions,
  type SqsRecordAttempt,
  type SqsRecordHandler,
  sqsBatchHandler,
} from "./sqsBatchHandler.js";
export {
  type StreamBatchHandlerOptions,
  type StreamBatchResponse,
  StreamMode,
  type StreamRecord,
  type StreamRecordAttempt,
  type StreamRecordHandler,
  streamBatchHandler,
} from "./streamBatchHandler.js";
