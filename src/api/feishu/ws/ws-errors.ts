/**
 * The codes `POST /callback/ws/endpoint` answers with, as the node SDK's `ws-client/enum.ts` names
 * them: 0 ok, 1 system busy, 403 forbidden, 514 auth failed, 1000040343 internal error (the SDK
 * retries it), 1000040350 connection limit. Every code but 0 and 1000040343 makes the SDK give up.
 */
export const WS_CODES = {
  ok: 0,
  forbidden: 403,
  authFailed: 514,
  internalError: 1000040343,
  exceedConnLimit: 1000040350,
} as const;
