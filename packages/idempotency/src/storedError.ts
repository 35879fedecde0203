import {
  ConflictError,
  NotFoundError,
  PermanentError,
  type ReboundError,
  ValidationError,
} from "@rebound/errors";

interface StoredError {
  readonly name: string;
  /** The nearest @rebound/errors class, so a subclass such as `OrderNotFoundError` keeps its 404. */
  readonly kind?: string;
  readonly message: string;
  readonly code?: string;
  readonly httpStatus?: number;
  readonly issues?: readonly string[];
}

// Messages are capped so a huge error (a validation dump) cannot push the record over 400 KB.
const maxMessageLength = 4096;

/**
 * The JSON kept in a FAILED record: name, message, code and validation issues. Never the stack or
 * the cause: they can hold secrets and they are meaningless in another container.
 */
export function serializeError(error: unknown): string {
  const source = (typeof error === "object" && error !== null ? error : {}) as Partial<ValidationError>;
  const stored: StoredError = {
    name: typeof source.name === "string" ? source.name : "Error",
    kind: kindOf(error),
    message: (typeof source.message === "string" ? source.message : String(error)).slice(0, maxMessageLength),
    ...(typeof source.code === "string" ? { code: source.code } : {}),
    ...(typeof source.httpStatus === "number" ? { httpStatus: source.httpStatus } : {}),
    ...(Array.isArray(source.issues) ? { issues: source.issues.map(String).slice(0, 100) } : {}),
  };
  return JSON.stringify(stored);
}

/**
 * Rebuilds a remembered permanent failure as the closest @rebound/errors class, so the wrappers of
 * @rebound/errors map it to the same outcome (HTTP status, park the event) as the first time. The
 * original `name` and `code` are kept even for application-defined subclasses.
 */
export function rehydrateError(json: string | undefined): ReboundError {
  let stored: StoredError;
  try {
    stored = JSON.parse(json ?? "{}") as StoredError;
  } catch {
    stored = { name: "PermanentError", message: "remembered permanent failure (unreadable record)" };
  }
  const message = typeof stored.message === "string" ? stored.message : "remembered permanent failure";
  const options = {
    ...(typeof stored.code === "string" ? { code: stored.code } : {}),
    ...(typeof stored.httpStatus === "number" ? { httpStatus: stored.httpStatus } : {}),
  };
  let error: ReboundError;
  switch (stored.kind) {
    case "ValidationError":
      error = new ValidationError(message, { ...options, issues: stored.issues ?? [] });
      break;
    case "NotFoundError":
      error = new NotFoundError(message, options);
      break;
    case "ConflictError":
      error = new ConflictError(message, options);
      break;
    default:
      error = new PermanentError(message, options);
  }
  if (typeof stored.name === "string") error.name = stored.name;
  return error;
}

function kindOf(error: unknown): string {
  if (error instanceof ValidationError) return "ValidationError";
  if (error instanceof NotFoundError) return "NotFoundError";
  if (error instanceof ConflictError) return "ConflictError";
  return "PermanentError";
}
