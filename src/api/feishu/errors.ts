import type { FastifyError } from 'fastify';
import { DomainError } from '../../core/errors.js';
import type { DomainErrorKind } from '../../core/errors.js';
import type { CodeRefusal, RefreshRefusal } from '../../core/oauth.js';
import { describeValidation } from '../validators.js';

/**
 * Every Feishu code rili answers with: HTTP status and the platform's message. Codes come from the
 * seeds' tables and reference/feishu.md §3; docs/compatibility.md lists the same set (a test checks).
 */
export const FEISHU_ERRORS = {
  10003: { status: 200, msg: 'invalid param' },
  20001: { status: 400, msg: 'a required parameter is missing' },
  20002: { status: 400, msg: 'client_id or client_secret is invalid' },
  20003: { status: 400, msg: 'the authorization code is invalid' },
  20004: { status: 400, msg: 'the authorization code has expired' },
  20014: { status: 200, msg: 'the app access token is invalid' },
  20024: { status: 200, msg: 'the code or refresh_token was issued to another app' },
  20026: { status: 400, msg: 'the refresh_token is invalid' },
  20036: { status: 200, msg: 'the grant is invalid' },
  20037: { status: 400, msg: 'the refresh_token has expired' },
  20049: { status: 400, msg: 'PKCE verification failed' },
  20050: { status: 500, msg: 'internal server error' },
  20064: { status: 400, msg: 'the refresh_token has been revoked' },
  20065: { status: 400, msg: 'the authorization code has already been used' },
  20071: { status: 400, msg: 'redirect_uri does not match the one in the authorization request' },
  99991400: { status: 429, msg: 'request trigger frequency limit' },
  99991661: { status: 400, msg: 'Missing access token for authorization. Please make a request with token attached.' },
  99991663: { status: 400, msg: 'Invalid access token for authorization. Please make a request with token attached.' },
  99991668: { status: 400, msg: 'Invalid access token for authorization. Please make a request with token attached.' },
  99991671: { status: 400, msg: 'Invalid token format. The token must start with t- or u-.' },
  99991679: { status: 400, msg: 'Unauthorized. You do not have permission to perform the requested operation on the resource. Please request user re-authorization and try again.' },
  99991677: { status: 400, msg: 'Authentication token expired. Please obtain a new user access token.' },
  190002: { status: 400, msg: 'invalid parameters in request' },
  190003: { status: 500, msg: 'internal service error' },
  190004: { status: 429, msg: 'method rate limited' },
  190005: { status: 429, msg: 'app rate limited' },
  190008: { status: 400, msg: 'page_token or sync_token expired' },
  190009: { status: 400, msg: 'sync_token conflicts with other parameters' },
  190010: { status: 429, msg: 'current operation rate limited' },
  190014: { status: 400, msg: 'invalid request parameters. check details for more info.' },
  191000: { status: 404, msg: 'calendar not found' },
  191001: { status: 400, msg: 'invalid calendar_id' },
  191002: { status: 403, msg: 'no calendar access_role' },
  191003: { status: 403, msg: 'calendar is deleted' },
  191004: { status: 403, msg: 'invalid calendar type' },
  191005: { status: 400, msg: 'subscription calendar count exceeds limit' },
  193000: { status: 400, msg: 'invalid event_id' },
  193001: { status: 404, msg: 'event not found' },
  193002: { status: 403, msg: 'no permission to operate event' },
  193003: { status: 403, msg: 'event is deleted' },
  193101: { status: 400, msg: 'organizer is bot, can not set assign_hosts, and allow_attendees_start must be true' },
  193102: { status: 400, msg: 'only organizer(not bot) can set assign_hosts' },
  193103: { status: 400, msg: 'the time range of instance view exceeds 40 days' },
  193104: { status: 400, msg: 'the number of instances exceeds 1000' },
  193105: { status: 400, msg: 'invalid attachment file token' },
  193106: { status: 400, msg: 'the total size of attachment exceed limit' },
  193107: { status: 400, msg: 'no permission to access attachment file token' },
  194000: { status: 404, msg: 'attendee not found' },
  195100: { status: 404, msg: 'user is dismiss or not exist in the tenant' },
  195112: { status: 400, msg: 'invalid password' },
  195113: { status: 400, msg: 'only organizer can set password' },
} as const satisfies Record<number, { status: number; msg: string }>;

export type FeishuCode = keyof typeof FEISHU_ERRORS;

/** Which Feishu code each domain refusal becomes. */
export const FEISHU_CODE_OF: Record<DomainErrorKind, FeishuCode> = {
  invalid_argument: 190002,
  calendar_not_found: 191000,
  invalid_calendar_id: 191001,
  calendar_deleted: 191003,
  no_calendar_access: 191002,
  invalid_calendar_type: 191004,
  subscription_limit: 191005,
  event_not_found: 193001,
  invalid_event_id: 193000,
  event_deleted: 193003,
  no_event_permission: 193002,
  user_not_found: 195100,
  acl_not_found: 190002,
  attendee_not_found: 194000,
  attachment_invalid: 193105,
  attachment_forbidden: 193107,
  attachment_too_large: 193106,
  bot_meeting_settings: 193101,
  assign_hosts_forbidden: 193102,
  invalid_meeting_password: 195112,
  password_forbidden: 195113,
  window_too_large: 193103,
  too_many_instances: 193104,
  sync_token_invalid: 190008,
  // "page_token or sync_token expired": clear the token and list again (reference, apifox).
  sync_token_expired: 190008,
  sync_token_conflict: 190009,
  page_token_invalid: 190008,
  conflict: 190002,
  // The seed's code for "shared resource contention; lower the rate and retry": the one Feishu code
  // that tells a client a retry is safe and expected (190003 says "ask support").
  store_unavailable: 190010,
};

/** The RFC 6749 `error` each v2 token code is sent with. */
export const OAUTH_ERROR_OF: Partial<Record<FeishuCode, 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'server_error'>> = {
  20001: 'invalid_request',
  20002: 'invalid_client',
  20003: 'invalid_grant',
  20004: 'invalid_grant',
  20026: 'invalid_grant',
  20037: 'invalid_grant',
  20049: 'invalid_grant',
  20050: 'server_error',
  20064: 'invalid_grant',
  20065: 'invalid_grant',
  20071: 'invalid_grant',
};

/** Why a code or refresh token was refused (OAuthService) → the v2 endpoint's code (HTTP 400). */
export const V2_TOKEN_CODE_OF: Record<CodeRefusal | RefreshRefusal, FeishuCode> = {
  code_invalid: 20003,
  code_expired: 20004,
  code_used: 20065,
  app_mismatch: 20003,
  redirect_mismatch: 20071,
  pkce_failed: 20049,
  pkce_missing: 20049,
  refresh_invalid: 20026,
  refresh_expired: 20037,
  refresh_revoked: 20064,
  wrong_flow: 20026,
};

/** The same refusals on the v1 OIDC and older v1 endpoints, which answer with HTTP 200. */
export const V1_TOKEN_CODE_OF: Record<CodeRefusal | RefreshRefusal, FeishuCode> = {
  code_invalid: 20036,
  code_expired: 20036,
  code_used: 20036,
  app_mismatch: 20024,
  redirect_mismatch: 20036,
  pkce_failed: 20036,
  pkce_missing: 20036,
  refresh_invalid: 20026,
  refresh_expired: 20037,
  refresh_revoked: 20064,
  wrong_flow: 20026,
};

/** v1 token endpoints send every refusal with HTTP 200, whatever the code's v2 status. */
export const V1_TOKEN_HTTP_STATUS = 200;
/** A bad app token on the v1 token endpoints. */
export const V1_BAD_APP_TOKEN: FeishuCode = 20014;
/** A user token without any of the scopes an endpoint accepts. */
export const SCOPE_NOT_GRANTED: FeishuCode = 99991679;
/** v2 token endpoint: a missing parameter, bad client credentials. */
export const V2_MISSING_PARAMETER: FeishuCode = 20001;
export const V2_BAD_CLIENT: FeishuCode = 20002;
/** v2 token endpoint: an unexpected failure. */
export const V2_SERVER_ERROR: FeishuCode = 20050;

/** A refusal already in Feishu's terms; `detail` says which field and why. */
export class FeishuError extends Error {
  override readonly name = 'FeishuError';
  constructor(
    readonly code: FeishuCode,
    readonly detail?: string,
    /** Overrides the table's HTTP status (v1 token endpoints answer 200). */
    readonly status?: number,
    /** Scopes the caller lacks, sent as `error.permission_violations`. */
    readonly missingScopes?: readonly string[],
  ) {
    super(detail ? `${FEISHU_ERRORS[code].msg}: ${detail}` : FEISHU_ERRORS[code].msg);
  }
}

export interface Refusal {
  readonly code: FeishuCode;
  readonly detail?: string;
  readonly field?: string;
  readonly status?: number;
  readonly missingScopes?: readonly string[];
}

/**
 * `--request-timeout` ran out: a body still arriving is 408 with 190002; a request whose answer is not
 * ready is 504 with 190003 (the handler may still be running, so a write it carries may yet land).
 */
export function feishuTimeoutRefusal(ms: number, receivingBody: boolean): Refusal {
  return receivingBody
    ? { code: 190002, status: 408, field: 'body', detail: `request body not received within ${ms} ms` }
    : { code: 190003, status: 504, detail: `request not answered within ${ms} ms; a write it carries may still complete` };
}

/** Turns anything thrown into a Feishu refusal; unexpected errors become 190003. */
export function refusalOf(error: unknown): Refusal {
  if (error instanceof FeishuError) return { code: error.code, detail: error.detail, status: error.status, missingScopes: error.missingScopes };
  if (error instanceof DomainError) return { code: FEISHU_CODE_OF[error.kind], detail: error.message, field: error.field };
  const e = error as FastifyError & { validation?: unknown };
  if (Array.isArray(e.validation)) {
    const { field, message } = describeValidation(e.validation, e.validationContext);
    return { code: 190002, detail: message, field };
  }
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { code: 190002, detail: 'request body too large', status: 413 };
  if (e.code === 'FST_REQ_FILE_TOO_LARGE') return { code: 190002, detail: 'file: the uploaded file is too large', field: 'file', status: 413 };
  if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e instanceof SyntaxError) {
    return { code: 190014, detail: 'request body is not valid JSON', field: 'body' };
  }
  if (e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return { code: 190014, detail: 'request body is empty', field: 'body' };
  if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return { code: 190002, detail: 'unsupported Content-Type', field: 'Content-Type' };
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return { code: 190002, detail: e.message };
  return { code: 190003 };
}

