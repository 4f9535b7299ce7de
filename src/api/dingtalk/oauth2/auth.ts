import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { answerSignIn, parseForm, showSignIn } from '../../oauth/sign-in.js';
import type { SignInDialect } from '../../oauth/sign-in.js';

/** DingTalk's login page (login.dingtalk.com/oauth2/auth): codes come back as `authCode`. */
export const DINGTALK_SIGN_IN: SignInDialect = { platform: 'dingtalk', platformName: 'DingTalk', codeParam: 'authCode', action: '/oauth2/auth' };

/**
 * `GET /oauth2/auth?redirect_uri&response_type=code&client_id&scope=openid&state&prompt=consent`: the
 * consent page (served at the root, as login.dingtalk.com serves it), and its form's POST. DingTalk's
 * scopes here (`openid`, `corpid`) name identity, not permissions: the token's permissions are the app's.
 */
export async function dingtalkLoginPlugin(app: FastifyInstance, opts: { ctx: AppContext }): Promise<void> {
  const { ctx } = opts;
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_request, body, done) => {
    done(null, parseForm(body as string));
  });
  app.get('/oauth2/auth', async (request, reply) => {
    const q = request.query as Record<string, unknown>;
    return showSignIn(ctx, request, reply, DINGTALK_SIGN_IN, {
      clientId: q.client_id, redirectUri: q.redirect_uri, state: q.state, responseType: q.response_type, loginHint: q.login_hint,
      codeChallenge: q.code_challenge, codeChallengeMethod: q.code_challenge_method,
    });
  });
  app.post('/oauth2/auth', async (request, reply) => answerSignIn(ctx, request, reply, DINGTALK_SIGN_IN, request.body));
}
