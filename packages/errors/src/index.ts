export { Classification, classify } from "./classify.js";
export { PermanentError, ReboundError, RetryableError } from "./errors.js";
