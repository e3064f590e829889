/**
 * Error codes shared by the wire, the UI and the tests (SPEC §5). An error is
 * a value with a code, never a bare string, so every layer can branch on it.
 */
export const ERROR_CODES = [
  'PLUGIN_NOT_FOUND',
  'TRACK_NOT_FOUND',
  'INVALID_PARAMETER',
  'PRESET_LOAD_FAILED',
  'ENGINE_ERROR',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'INVALID_MESSAGE',
  'MESSAGE_TOO_LARGE',
  'SESSION_NOT_FOUND',
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** A typed error: a code, a human message, and the offending field when there is one. */
export interface OutboardError {
  readonly code: ErrorCode;
  readonly message: string;
  /** Dotted path of the field that was wrong, e.g. `data.parameter_value`. */
  readonly field?: string;
}

/** Builds an {@link OutboardError}; `field` is omitted when not given. */
export function outboardError(code: ErrorCode, message: string, field?: string): OutboardError {
  return field === undefined ? { code, message } : { code, message, field };
}

/** A result that is either a value or a typed error; never thrown. */
export type Result<T, E = OutboardError> = { ok: true; value: T } | { ok: false; error: E };

/** Wraps a value as a successful {@link Result}. */
export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });

/** Wraps an error as a failed {@link Result}. */
export const fail = <E>(error: E): Result<never, E> => ({ ok: false, error });
