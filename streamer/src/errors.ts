// Errors that become JSON answers `{error, code}` with an HTTP status.

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string, extra: Record<string, unknown> = {}) =>
  new HttpError(400, 'bad_request', message, extra);
export const unauthorized = (message = 'login required') => new HttpError(401, 'unauthorized', message);
export const forbidden = (message: string, code = 'forbidden') => new HttpError(403, code, message);
export const notFound = (message: string) => new HttpError(404, 'not_found', message);
export const conflict = (message: string, code: string, extra: Record<string, unknown> = {}) =>
  new HttpError(409, code, message, extra);
