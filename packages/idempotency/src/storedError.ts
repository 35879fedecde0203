import {
  ConflictError,
  NotFoundError,
  PermanentError,
  type ReboundError,
  ValidationError,
} from "@rebound/errors";

// The nearest @rebound/errors class of a remembered failure, so a subclass such as
// `OrderNotFoundError` keeps its 404 when it is thrown again from the record.
const kinds = { ValidationError, NotFoundError, ConflictError } as const;

/**
 * The JSON kept in a FAILED record: name, kind, message (first 4 KB), code, httpStatus and
 * validation issues. Never the stack or the cause: they can hold secrets and mean nothing in
 * another container.
 */
export function serializeError(error: PermanentError): string {
  const { name, message, code, httpStatus, issues } = error as PermanentError & {
    issues?: readonly string[];
  };
  const kind = Object.keys(kinds).find((k) => error instanceof kinds[k as keyof typeof kinds]);
  return JSON.stringify({ name, kind, message: message.slice(0, 4096), code, httpStatus, issues });
}

/** Rebuilds a remembered failure as its @rebound/errors kind, with the original name and code. */
export function rehydrateError(json: string | undefined): ReboundError {
  // JSON has no undefined values, so every stored field (name, code, httpStatus, issues) that is
  // present becomes a field of the error as it was, and an absent one keeps the class default.
  const { kind, message, ...fields } = JSON.parse(json ?? "{}") as { kind?: string; message?: string };
  const Kind: new (message: string, options: object) => ReboundError =
    kinds[kind as keyof typeof kinds] ?? PermanentError;
  return new Kind(message ?? "remembered permanent failure", fields);
}
