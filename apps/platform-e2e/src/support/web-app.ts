import express from 'express';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oidc from 'openid-client';
import type { Platform } from './platform';

interface Session {
  pending?: { verifier: string; state: string; nonce: string };
  idToken?: string;
  claims?: Record<string, unknown>;
  userinfo?: Record<string, unknown>;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
  `<body style="font-family: sans-serif; margin: 2rem"><h1>${title}</h1>${body}</body></html>`;

/**
 * A relying-party web application as a product team would write it (test fixture): Express,
 * openid-client, authorization code + PKCE + state + nonce, sessions in memory behind an
 * HttpOnly cookie, registered through the management API as a confidential web client of a
 * tenant, and RP-initiated logout. Served on 127.0.0.1 (http: oidc-provider accepts http
 * redirect URIs for web clients using the code flow; only implicit-flow web clients need https).
 */
export async function startWebApp(
  platform: Platform,
  tenantId: string,
  options: {
    trusted?: boolean;
    /** Registers the app some other way (e.g. in the admin console) given its base URL; returns its credentials. */
    register?: (base: string) => Promise<{ clientId: string; clientSecret: string | null }>;
  } = {},
) {
  const sessions = new Map<string, Session>();
  const app = express();
  let config!: oidc.Configuration;
  let base = '';

  const session = (req: express.Request, res: express.Response): Session => {
    const id = /(?:^|;\s*)app_session=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];
    if (id && sessions.has(id)) return sessions.get(id)!;
    const fresh = randomUUID();
    sessions.set(fresh, {});
    res.setHeader('set-cookie', `app_session=${fresh}; Path=/; HttpOnly; SameSite=Lax`);
    return sessions.get(fresh)!;
  };

  app.get('/', (req, res) => {
    const s = session(req, res);
    res
      .type('html')
      .send(
        s.claims
          ? page(
              'Acme Notes',
              `<p id="greeting">Signed in as ${escapeHtml(String(s.userinfo?.email ?? s.claims.sub))}</p>` +
                `<h2>ID token claims</h2><pre id="claims">${escapeHtml(JSON.stringify(s.claims, null, 2))}</pre>` +
                `<h2>UserInfo</h2><pre id="userinfo">${escapeHtml(JSON.stringify(s.userinfo ?? {}, null, 2))}</pre>` +
                `<p><a id="sign-out" href="/logout">Sign out</a></p>`,
            )
          : page('Acme Notes', `<p>You are not signed in.</p><p><a id="sign-in" href="/login">Sign in</a></p>`),
      );
  });

  app.get('/login', async (req, res) => {
    const s = session(req, res);
    s.pending = {
      verifier: oidc.randomPKCECodeVerifier(),
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${base}/callback`,
      scope: 'openid profile email',
      state: s.pending.state,
      nonce: s.pending.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(s.pending.verifier),
      code_challenge_method: 'S256',
    });
    res.redirect(url.toString());
  });

  app.get('/callback', async (req, res) => {
    const s = session(req, res);
    const pending = s.pending;
    s.pending = undefined;
    try {
      if (!pending) throw new Error('no sign-in in progress');
      const tokens = await oidc.authorizationCodeGrant(config, new URL(req.originalUrl, base), {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      s.idToken = tokens.id_token;
      s.claims = tokens.claims() as Record<string, unknown>;
      // OIDC Core §5.4: with an access token issued, profile and email claims come from /userinfo.
      s.userinfo = (await oidc.fetchUserInfo(config, tokens.access_token, String(s.claims.sub))) as Record<
        string,
        unknown
      >;
      res.redirect('/');
    } catch (error) {
      res
        .status(400)
        .type('html')
        .send(page('Sign-in failed', `<p id="error">${escapeHtml(String(error))}</p>`));
    }
  });

  app.get('/logout', (req, res) => {
    const s = session(req, res);
    const idToken = s.idToken;
    s.idToken = undefined;
    s.claims = undefined;
    s.userinfo = undefined;
    const url = oidc.buildEndSessionUrl(config, {
      post_logout_redirect_uri: `${base}/signed-out`,
      ...(idToken ? { id_token_hint: idToken } : {}),
    });
    res.redirect(url.toString());
  });

  app.get('/signed-out', (_req, res) => {
    res.type('html').send(page('Signed out', '<p id="signed-out">You have signed out of Acme Notes.</p>'));
  });

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const { clientId, clientSecret } = options.register
      ? await options.register(base)
      : await platform.createClient({
          name: 'Acme Notes',
          type: 'confidential',
          tenantId,
          trusted: options.trusted ?? false,
          redirectUris: [`${base}/callback`],
          postLogoutRedirectUris: [`${base}/signed-out`],
          scopes: ['openid', 'profile', 'email'],
        });
    config = await oidc.discovery(
      new URL(platform.issuer),
      clientId,
      clientSecret!,
      oidc.ClientSecretBasic(clientSecret!),
      { execute: [oidc.allowInsecureRequests] },
    );
    return {
      url: base,
      clientId,
      async stop() {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      },
    };
  } catch (error) {
    server.close();
    throw error;
  }
}
