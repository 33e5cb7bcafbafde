import type { ErrorCode } from '@edu/analytics/errors';

// Errors that become JSON answers `{error, code, ...extra}` with an HTTP status. `code` is one
// of analytics' ERROR_CODES: the screens translate it (never the English sentence), so every
// refusal a user can meet has a code of its own.

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** A refusal before it is thrown: why (English, for logs and the audit) and its code. */
export interface Refusal {
  code: ErrorCode;
  message: string;
  extra?: Record<string, unknown>;
}

export const refusalError = (r: Refusal, status = 403) => new HttpError(status, r.code, r.message, r.extra);

export const badRequest = (message: string, extra: Record<string, unknown> = {}, code: ErrorCode = 'bad_request') =>
  new HttpError(400, code, message, extra);
export const unauthorized = (message = 'login required', code: ErrorCode = 'unauthorized') =>
  new HttpError(401, code, message);
export const forbidden = (message: string, code: ErrorCode = 'forbidden', extra: Record<string, unknown> = {}) =>
  new HttpError(403, code, message, extra);
export const notFound = (message: string, code: ErrorCode = 'not_found') => new HttpError(404, code, message);
export const conflict = (message: string, code: ErrorCode, extra: Record<string, unknown> = {}) =>
  new HttpError(409, code, message, extra);
