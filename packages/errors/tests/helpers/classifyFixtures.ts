// Re-exports plus the shape @rebound/idempotency gives its lock error (a RetryableError with 409).
import { RetryableError } from "../../src/index.js";

export {
  Classification,
  ConflictError,
  classify,
  createClassifier,
  explainClassification,
  NotFoundError,
  PermanentError,
  RetryableError,
  ValidationError,
} from "../../src/index.js";

export class IdempotencyLikeError extends RetryableError {
  public constructor() {
    super("request in progress", { code: "IDEMPOTENCY_IN_PROGRESS", httpStatus: 409, retryAfterSeconds: 2 });
    this.name = "IdempotencyInProgressError";
  }
}
