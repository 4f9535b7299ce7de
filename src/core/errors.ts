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
  /** A sync token older than the kept change log: the client must drop it and list afresh. */
  | 'sync_token_expired'
  | 'sync_token_conflict'
  | 'page_token_invalid'
  | 'conflict'
  /**
   * The database failed the request for a passing reason (a lost connection, a lock held past the
   * wait, an I/O error): nothing of it committed unless a write's commit itself was cut off, so the
   * same request, sent again (a create with its idempotency key), is safe and likely to succeed.
   */
  | 'store_unavailable';

/** The one domain error class; `kind` says what went wrong, `field` which input caused it. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly field?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The store layer's answer to a database fault that a retry may get past; `cause` is the driver's error. */
export const storeUnavailable = (reason: string, cause: unknown): DomainError =>
  new DomainError('store_unavailable', `the calendar store is briefly unavailable (${reason}); send the request again`, undefined, { cause });

export const isStoreUnavailable = (error: unknown): error is DomainError & { kind: 'store_unavailable' } =>
  error instanceof DomainError && error.kind === 'store_unavailable';

export const invalidArgument = (field: string, message: string): DomainError =>
  new DomainError('invalid_argument', `${field}: ${message}`, field);
