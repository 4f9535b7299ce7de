import { Type } from 'typebox';
import { defineRoute } from '../../route.js';
import { DingtalkError } from '../errors.js';
import { LINK_KINDS, linkIsValid } from './sign-in-wire.js';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Where GetSignInLink and GetSignOutLink point (no SDK method: a page people open). DingTalk's link
 * signs in the user its app knows; rili knows nobody from a browser, so the page lists the event's
 * organizer and attendees and opening one's own entry (`userId`, a unionId) signs them, with the same
 * rules as SignIn / SignOut. The `sig` rili put in the link must match.
 */
export const signLinkPage = defineRoute({
  method: 'GET',
  url: '/calendar/signLinks/:kind/:eventId',
  schema: {
    params: Type.Object({ kind: Type.String(), eventId: Type.String() }),
    querystring: Type.Object({ sig: Type.Optional(Type.String()), userId: Type.Optional(Type.String()) }),
  },
  auth: 'none',
  async handle({ params, query, reply }, ctx) {
    const kind = LINK_KINDS[params.kind];
    if (!kind || !linkIsValid(ctx, kind, params.eventId, query.sig)) throw new DingtalkError('resourceNotFound', 'no such sign-in link');
    const page = await ctx.signIns.linkPage(params.eventId, kind);
    const verb = kind === 'sign_in' ? 'Sign in' : 'Sign out';
    let body: string;
    if (query.userId !== undefined) {
      const signer = page.signers.find((s) => s.user.unionId === query.userId);
      if (!signer) throw new DingtalkError('permissionDeny', 'userId is not the organizer or an attendee of this event');
      const record = await ctx.signIns.signByLink(params.eventId, kind, signer.user.id);
      body = `<p id="signed" data-user="${escape(signer.user.unionId)}" data-at="${record.at}">${escape(signer.user.name)}: ${verb.toLowerCase()} recorded at ${new Date(record.at).toISOString()}</p>`;
    } else {
      const items = page.signers.map((s) => {
        const href = `?sig=${encodeURIComponent(query.sig!)}&userId=${encodeURIComponent(s.user.unionId)}`;
        const done = s.record ? ` (done ${new Date(s.record.at).toISOString()})` : '';
        return `<li><a href="${escape(href)}">${escape(s.user.name)}</a>${done}</li>`;
      });
      body = `<p>${verb}: choose yourself.</p><ul>${items.join('')}</ul>`;
    }
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>${verb}: ${escape(page.event.summary)}</title></head>`
      + `<body><h1>${escape(page.event.summary)}</h1>${body}</body></html>`;
    return reply.type('text/html; charset=utf-8').send(html);
  },
});
