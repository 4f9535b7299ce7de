/**
 * Domain errors: the few ways a calendar operation can be refused. Each dialect maps a
 * `DomainErrorKind` to its own platform code in its errors table; the core never names a code.
 */

export type DomainErrorKind =
  /** A request value breaks a rule; `field` names it. */
  | 'invalid_argument'
  | 'calendar_not_found'
  | 'invalid_calendar_id'
  | 'calendar_deleted'
  | 'no_calendar_access'
  | 'invalid_calendar_type'
  | 'subscription_limit'
  | 'event_not_found'
  | 'invalid_event_id'
  | 'event_deleted'
  | 'no_event_permission'
  | 'user_not_found'
  | 'acl_not_found'
  | 'attendee_not_found'
  | 'attachment_invalid'
  | 'attachment_forbidden'
  | 'attachment_too_large'
  | 'bot_meeting_settings'
  | 'assign_hosts_forbidden'
  | 'invalid_meeting_password'
  | 'password_forbidden'
  | 'window_too_large'
  | 'too_many_instances'
  | 'sync_token_invalid'
  | 'sync_token_conflict'
  | 'page_token_invalid'
  | 'conflict';

/** The one domain error class; `kind` says what went wrong, `field` which input caused it. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const invalidArgument = (field: string, message: string): DomainError =>
  new DomainError('invalid_argument', `${field}: ${message}`, field);
