// The machine codes of the streamer's refusals (`{error, code, ...}` on HTTP, `{ok: false,
// error, code}` on a refused join). The English `error` is for logs and operators; the screens
// show Chinese chosen by `code` alone (screen/src/lib/errors.ts), so rewording a sentence can
// never change what a user reads. One list: the streamer's HttpError takes only these codes,
// and the screen's table is typed against them, so a new code without its Chinese fails the
// type check and the test that walks this list.

export const ERROR_CODES = [
  // 400
  'bad_request',
  'invalid_scope',
  'deadline_past',
  'invalid_idempotency_key',
  'unknown_district',
  'weak_password',
  // 401
  'unauthorized',
  'wrong_credentials',
  'pairing_code_wrong',
  'pairing_code_expired',
  'pairing_code_used',
  // 403
  'forbidden',
  'password_change_required',
  'cross_origin',
  'role_required',
  'leader_only',
  'admin_not_decider',
  'not_decider',
  'dimension_not_yours',
  'district_not_yours',
  'city_not_for_staff',
  'no_districts',
  'outside_scope',
  'alert_outside_scope',
  'account_disabled',
  'wrong_old_password',
  'display_read_only',
  'outside_display_scope',
  // 404
  'not_found',
  'unknown_scope',
  'no_school',
  'no_material',
  'no_student',
  'no_teacher',
  'no_class_report',
  'no_alert',
  'no_user',
  'no_subject',
  'no_display',
  // 409, 413, 422, 429
  'notice_exists',
  'notice_state',
  'user_exists',
  'last_admin',
  'display_revoked',
  'idempotency_in_progress',
  'too_large',
  'idempotency_key_reused',
  'throttled',
  // 5xx
  'internal',
  'unavailable',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * What a refusal may carry besides `error` and `code`, for the screen to name what was refused:
 * `dimension_not_yours` names the `dimension`, `leader_only` the `decision`.
 */
export interface ErrorBody {
  error: string;
  code: ErrorCode;
  dimension?: string;
  decision?: string;
  [extra: string]: unknown;
}

export const isErrorCode = (c: unknown): c is ErrorCode =>
  typeof c === 'string' && (ERROR_CODES as readonly string[]).includes(c);
