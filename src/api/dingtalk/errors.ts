import type { FastifyError } from 'fastify';
import { DomainError } from '../../core/errors.js';
import type { DomainErrorKind } from '../../core/errors.js';
import { describeValidation } from '../validators.js';

/** Every DingTalk code rili answers with, and its HTTP status; docs/compatibility.md lists the same set. */
export const DINGTALK_ERRORS = {
  invalidClientIdOrSecret: { status: 400, message: '无效的clientId或者clientSecret' },
  InvalidAuthentication: { status: 400, message: '不合法的access_token' },
  'AuthenticationFailed.MissingParameter': { status: 400, message: '缺少参数：x-acs-dingtalk-access-token' },
  invalidParameter: { status: 400, message: '参数错误' },
  'params.invalid': { status: 405, message: '参数错误' },
  itemNotFound: { status: 404, message: '无法找到指定日程' },
  instanceNotExist: { status: 404, message: 'instance not exist' },
  resourceNotFound: { status: 404, message: 'the requested resource does not exist' },
  permissionDeny: { status: 400, message: '没有权限' },
  'Forbidden.AccessDenied.QpsLimitForApi': { status: 403, message: '调用该接口的QPS超过限制' },
  idempotencyProcessing: { status: 400, message: 'Idempotency processing' },
  paramIllegal: { status: 400, message: 'PARAM ILLEGAL' },
  'invalidRequest.duplicateClientToken': { status: 409, message: 'Duplicate ClientToken detected. Please generate a new client token and retry.' },
  'system.busy': { status: 429, message: '系统繁忙' },
  internalError: { status: 500, message: '系统错误' },
  serviceBusy: { status: 503, message: 'service busy' },
} as const satisfies Record<string, { status: number; message: string }>;

export type DingtalkCode = keyof typeof DINGTALK_ERRORS;

/** The exact messages the seeds and the reference give for particular refusals (`invalidParameter` unless noted). */
export const DINGTALK_MESSAGES = {
  calendarIdBlank: 'CalendarId cannot be blank',
  eventMissing: 'Event must be provided.',
  eventIdBlank: 'Event id summary cannot be blank',
  summaryBlank: 'Event summary cannot be blank',
  startMissing: 'Event start time not set.',
  endMissing: 'Event end time not set.',
  occurrencesRange: 'Recurrence range numberOfOccurrences must between [1, 99]',
  intervalRange: 'Recurrence interval must between [1, 365]',
  meetingRoomInvalid: 'Meeting room invalid',
  authCodeMissing: 'code is required for grantType authorization_code',
  authCodeInvalid: 'authCode is invalid, expired or already used',
  refreshTokenMissing: 'refreshToken is required for grantType refresh_token',
  refreshTokenInvalid: 'refreshToken is invalid, expired, revoked or already used',
  grantTypeInvalid: 'grantType must be authorization_code or refresh_token',
} as const;

/** Which DingTalk code each domain refusal becomes. */
export const DINGTALK_CODE_OF: Record<DomainErrorKind, DingtalkCode> = {
  invalid_argument: 'invalidParameter',
  calendar_not_found: 'resourceNotFound',
  invalid_calendar_id: 'invalidParameter',
  calendar_deleted: 'resourceNotFound',
  no_calendar_access: 'permissionDeny',
  invalid_calendar_type: 'permissionDeny',
  subscription_limit: 'invalidParameter',
  event_not_found: 'itemNotFound',
  invalid_event_id: 'itemNotFound',
  event_deleted: 'itemNotFound',
  no_event_permission: 'permissionDeny',
  user_not_found: 'invalidParameter',
  acl_not_found: 'resourceNotFound',
  attendee_not_found: 'invalidParameter',
  attachment_invalid: 'invalidParameter',
  attachment_forbidden: 'permissionDeny',
  attachment_too_large: 'invalidParameter',
  bot_meeting_settings: 'invalidParameter',
  assign_hosts_forbidden: 'invalidParameter',
  invalid_meeting_password: 'invalidParameter',
  password_forbidden: 'invalidParameter',
  window_too_large: 'invalidParameter',
  too_many_instances: 'invalidParameter',
  sync_token_invalid: 'invalidParameter',
  // DingTalk documents no code for a stale syncToken; its bad-parameter code, as for an unknown one.
  sync_token_expired: 'invalidParameter',
  sync_token_conflict: 'invalidParameter',
  page_token_invalid: 'params.invalid',
  conflict: 'invalidRequest.duplicateClientToken',
  // DingTalk's global table: serviceBusy under 500/503, the backend's "busy, try again".
  store_unavailable: 'serviceBusy',
};

export class DingtalkError extends Error {
  override readonly name = 'DingtalkError';
  constructor(
    readonly code: DingtalkCode,
    readonly detail?: string,
  ) {
    super(detail ?? DINGTALK_ERRORS[code].message);
  }
}

/** An unknown path or method under `/v1.0`. */
export const notFoundRefusal = (method: string, url: string) => ({ code: 'resourceNotFound' as const, message: `${method} ${url} does not exist` });

/**
 * `--request-timeout` ran out: a body still arriving is 408 `invalidParameter`; a request whose answer
 * is not ready is 504 `serviceBusy` (the handler may still be running, so a write may yet land).
 */
export function dingtalkTimeoutRefusal(ms: number, receivingBody: boolean): { code: DingtalkCode; message: string; status?: number } {
  return receivingBody
    ? { code: 'invalidParameter', status: 408, message: `request body not received within ${ms} ms` }
    : { code: 'serviceBusy', status: 504, message: `request not answered within ${ms} ms; a write it carries may still complete` };
}

/**
 * Turns anything thrown into a DingTalk refusal; unexpected errors become internalError. On an
 * operation whose body is an event, an empty JSON body is the seed's "Event must be provided.".
 */
export function refusalOf(error: unknown, route: { eventBody?: boolean } = {}): { code: DingtalkCode; message?: string; status?: number } {
  if (error instanceof DingtalkError) return { code: error.code, message: error.detail };
  if (route.eventBody && (error as { code?: string }).code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return { code: 'invalidParameter', message: DINGTALK_MESSAGES.eventMissing };
  if (error instanceof DomainError) return { code: DINGTALK_CODE_OF[error.kind], message: error.message };
  const e = error as FastifyError & { validation?: unknown };
  if (Array.isArray(e.validation)) return { code: 'invalidParameter', message: describeValidation(e.validation, e.validationContext).message };
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { code: 'invalidParameter', message: 'request body too large', status: 413 };
  if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e instanceof SyntaxError) return { code: 'invalidParameter', message: 'request body is not valid JSON' };
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return { code: 'invalidParameter', message: e.message };
  return { code: 'internalError' };
}

