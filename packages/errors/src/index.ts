export { Classification, classify } from "./classify.js";
export {
  ConflictError,
  NotFoundError,
  PermanentError,
  ReboundError,
  type ReboundErrorOptions,
  RetryableError,
  type RetryableErrorOptions,
  ValidationError,
} from "./errors.js";
