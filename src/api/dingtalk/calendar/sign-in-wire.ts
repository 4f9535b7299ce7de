import { Type } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../../context.js';
import type { SignInRecord } from '../../../core/types.js';
import type { UserActor } from '../acting-user.js';
import { DingtalkError } from '../errors.js';
import { decodeToken, encodeToken } from '../page-token.js';

/** GetSignInList / GetSignOutList: `maxResults` and `type` are required (the SDK's model says so). */
export const SignListQuery = Type.Object({
  maxResults: Type.Optional(Type.Integer()),
  nextToken: Type.Optional(Type.String()),
  type: Type.Optional(Type.String()),
});

/** Largest page of a sign-in list. */
export const SIGN_LIST_MAX = 100;

const TYPES: Readonly<Record<SignInRecord['kind'], { done: string; waiting: string }>> = {
  sign_in: { done: 'check_in', waiting: 'not_yet_check_in' },
  sign_out: { done: 'check_out', waiting: 'not_yet_check_out' },
};

/**
 * A page of who signed (`type` check_in / check_out) or who may sign and has not (not_yet_check_in /
 * not_yet_check_out), for the event's organizer. Times are Unix milliseconds, as the SDK's numbers.
 */
export async function signList(
  ctx: AppContext, user: UserActor, ids: { calendarId: string; eventId: string }, kind: SignInRecord['kind'],
  query: { maxResults?: number; nextToken?: string; type?: string },
) {
  const types = TYPES[kind];
  if (query.type === undefined || query.type === '') throw new DingtalkError('invalidParameter', 'type is required');
  if (query.type !== types.done && query.type !== types.waiting) {
    throw new DingtalkError('invalidParameter', `type must be ${types.done} or ${types.waiting}, got ${query.type}`);
  }
  if (query.maxResults === undefined) throw new DingtalkError('invalidParameter', 'maxResults is required');
  if (query.maxResults < 1 || query.maxResults > SIGN_LIST_MAX) throw new DingtalkError('invalidParameter', `maxResults must be between 1 and ${SIGN_LIST_MAX}`);
  const tokenKind = `${kind}:${query.type}:${ids.eventId}`;
  const after = query.nextToken ? decodeToken<string>(tokenKind, query.nextToken, 'nextToken') : undefined;
  const page = await ctx.signIns.list(user, ids.calendarId, ids.eventId, kind, query.type === types.done, after, query.maxResults);
  const timeField = kind === 'sign_in' ? 'checkInTime' : 'checkOutTime';
  return {
    users: page.items.map((s) => ({
      userId: s.user.unionId, displayName: s.user.name, ...(s.record ? { [timeField]: s.record.at } : {}),
    })),
    ...(page.next !== undefined ? { nextToken: encodeToken(tokenKind, page.next) } : {}),
  };
}

/** Path names of the links' two kinds. */
export const LINK_KINDS: Readonly<Record<string, SignInRecord['kind']>> = { signIn: 'sign_in', signOut: 'sign_out' };

const linkMac = (ctx: AppContext, kind: SignInRecord['kind'], eventId: string) => ctx.tokens.mac('dingtalk-sign-link', `${kind}\u0000${eventId}`);

/** Whether a link's signature is this event's and kind's. */
export const linkIsValid = (ctx: AppContext, kind: SignInRecord['kind'], eventId: string, sig: string | undefined): boolean =>
  sig !== undefined && sig === linkMac(ctx, kind, eventId);

/**
 * A sign-in or sign-out link: a page rili serves (`signLinkPage`) where each of the event's people
 * signs by opening their own entry, as opening the link in DingTalk signs the user it knows.
 */
export function signLink(ctx: AppContext, request: FastifyRequest, kind: SignInRecord['kind'], eventId: string): string {
  const host = request.headers.host ?? 'localhost';
  const path = kind === 'sign_in' ? 'signIn' : 'signOut';
  return `${request.protocol}://${host}/v1.0/calendar/signLinks/${path}/${encodeURIComponent(eventId)}?sig=${linkMac(ctx, kind, eventId)}`;
}
