/**
 * The sign-in pages' HTML: a consent page listing the app's tenant's users, and an error page. Every
 * value is escaped; the page loads nothing and runs no script (see PAGE_HEADERS).
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for an HTML text node or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
}

/** Headers for every sign-in page: no script, no framing (clickjacking), no caching, no referrer leak. */
export const PAGE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const STYLE = `body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1f2329}
h1{font-size:1.3rem}ul{list-style:none;padding:0}li{margin:.4rem 0}
button{width:100%;padding:.6rem;font-size:1rem;border:1px solid #c9cdd4;border-radius:6px;background:#fff;cursor:pointer;text-align:left}
button.user:hover{background:#f0f4ff}button.deny{background:#fff1f0;text-align:center;margin-top:1rem}
.scopes{color:#646a73;font-size:.9rem}code{background:#f2f3f5;padding:0 .2rem}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">`
    + `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export interface ConsentView {
  readonly platformName: string;
  readonly appName: string;
  readonly scopes: readonly string[] | undefined;
  readonly users: readonly { readonly id: string; readonly name: string; readonly detail: string }[];
  /** Where the form posts (same origin), and the hidden fields it carries. */
  readonly action: string;
  readonly hidden: Readonly<Record<string, string>>;
}

/** The consent page: one button per user signs in as that user; Deny refuses. */
export function consentPage(view: ConsentView): string {
  const hidden = Object.entries(view.hidden).map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`).join('');
  const scopes = view.scopes === undefined
    ? '<p class="scopes">It asks for every permission the app has.</p>'
    : `<p class="scopes">It asks for: ${view.scopes.length === 0 ? 'no permissions' : view.scopes.map((s) => `<code>${escapeHtml(s)}</code>`).join(' ')}</p>`;
  const users = view.users.length === 0
    ? '<p>This tenant has no users.</p>'
    : `<ul>${view.users.map((u) => `<li><button class="user" type="submit" name="user" value="${escapeHtml(u.id)}">${escapeHtml(u.name)}`
      + `${u.detail ? ` <small>(${escapeHtml(u.detail)})</small>` : ''}</button></li>`).join('')}</ul>`;
  return page(`Sign in to ${view.appName}`, `<h1>Sign in to <q>${escapeHtml(view.appName)}</q> (${escapeHtml(view.platformName)}, rili sandbox)</h1>${scopes}`
    + `<form method="post" action="${escapeHtml(view.action)}">${hidden}<p>Choose who signs in:</p>${users}`
    + `<button class="deny" type="submit" name="decision" value="deny">Deny</button></form>`);
}

/** A refusal shown instead of redirecting (the redirect URI cannot be trusted, or the form was forged). */
export function errorPage(message: string): string {
  return page('Sign-in error', `<h1>Sign-in error</h1><p>${escapeHtml(message)}</p>`);
}
