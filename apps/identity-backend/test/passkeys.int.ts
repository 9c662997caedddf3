import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { addPlatformAuthenticator } from '@platform/testing';
import { IdentityHousekeeping } from '../src/housekeeping';
import { startIdentityApi, type IdentityApi } from './identity-api.harness';

/**
 * Passkeys with a REAL authenticator: Chromium's virtual WebAuthn authenticator (DevTools
 * protocol), on a page served from http://localhost:<port> (WebAuthn refuses IP-address origins),
 * which is the configured WEBAUTHN_ORIGINS. The page runs navigator.credentials.create/get with the
 * API's options; the test posts the results back, as the account console and hosted login would.
 */

const PASSWORD = 'a long and unusual passphrase';

type Json = Record<string, unknown>;

/** The browser's WebAuthn Level 3 API as the page uses it (the tests compile without the DOM library). */
interface WebAuthnGlobals {
  PublicKeyCredential: {
    parseCreationOptionsFromJSON(json: Json): unknown;
    parseRequestOptionsFromJSON(json: Json): unknown;
  };
  navigator: {
    credentials: {
      create(options: { publicKey: unknown }): Promise<{ toJSON(): Json }>;
      get(options: { publicKey: unknown }): Promise<{ toJSON(): Json }>;
    };
  };
}

describe('passkeys (WebAuthn) with a virtual authenticator in Chromium', () => {
  let api: IdentityApi;
  let pageServer: Server;
  let origin: string;
  let browser: Browser;
  let page: Page;
  let cdp: CDPSession;
  let authenticatorId: string | null = null;
  let tenantA: { id: string; slug: string };
  let tenantB: { id: string; slug: string };

  beforeAll(async () => {
    pageServer = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>passkeys</title><p>test page');
    });
    await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
    origin = `http://localhost:${(pageServer.address() as AddressInfo).port}`;
    api = await startIdentityApi('identity_passkeys', { WEBAUTHN_ORIGINS: origin });
    tenantA = await api.createTenant('pk-a');
    tenantB = await api.createTenant('pk-b');
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    page = await browser.newPage();
    await page.goto(`${origin}/`);
    cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    pageServer?.close();
  });

  /** A fresh platform authenticator (the previous one is removed, so the browser uses only this one). */
  async function newAuthenticator(): Promise<string> {
    if (authenticatorId) await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    authenticatorId = await addPlatformAuthenticator(cdp);
    return authenticatorId;
  }

  /** navigator.credentials.create (registration) or .get (sign-in) on the page, with the API's options as JSON. */
  const ceremony = (kind: 'create' | 'get', options: Json): Promise<Json> =>
    page.evaluate(
      async ([kind, json]) => {
        const w = globalThis as unknown as WebAuthnGlobals;
        const publicKey =
          kind === 'create'
            ? w.PublicKeyCredential.parseCreationOptionsFromJSON(json)
            : w.PublicKeyCredential.parseRequestOptionsFromJSON(json);
        return (await w.navigator.credentials[kind]({ publicKey })).toJSON();
      },
      [kind, options] as const,
    );
  const create = (options: Json) => ceremony('create', options);
  const get = (options: Json) => ceremony('get', options);

  async function user(tenant: { id: string }, email: string) {
    const admin = await api.tenantAdminToken(tenant.id);
    const res = await api.call('POST', '/api/v1/users', admin, { email, password: PASSWORD });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, token: await api.userToken(res.body.id, tenant.id) };
  }

  /** A user of tenant A with one passkey on a fresh authenticator. */
  async function enrolled(email: string, tenant = tenantA) {
    const u = await user(tenant, email);
    await newAuthenticator();
    const options = await api.call('POST', '/api/v1/me/passkeys/registration-options', u.token);
    expect(options.status).toBe(201);
    const credential = await create(options.body);
    const added = await api.call('POST', '/api/v1/me/passkeys', u.token, { name: 'Laptop', credential });
    expect(added.status).toBe(201);
    return { ...u, passkeyId: added.body.id as string, credential };
  }

  const authenticationOptions = (tenant: string, target: Json = {}) =>
    api.call('POST', '/internal/v1/passkeys/authentication-options', api.internalToken, { tenant, ...target });

  const verify = (tenant: string, credential: Json) =>
    api.call('POST', '/internal/v1/passkeys/verify', api.internalToken, { tenant, credential });

  /** The passkey as a second sign-in step of `userId` in `tenantId`, with an assertion made for `passkey`. */
  const verifyAsMfa = (tenantId: string, userId: string, passkey: Json) =>
    api.call('POST', '/internal/v1/mfa/verify', api.internalToken, { tenantId, userId, method: 'passkey', passkey });

  /** A discoverable (username-less) sign-in with whatever passkey the authenticator holds. */
  async function passwordless(tenant: string) {
    const options = await authenticationOptions(tenant);
    expect(options.status).toBe(200);
    return verify(tenant, await get(options.body));
  }

  const audit = async (tenantId: string, action: string) =>
    (await api.call('GET', `/api/v1/audit-events?action=${action}`, await api.tenantAdminToken(tenantId))).body
      .items as { targetId: string; details: Json }[];

  it('enrols a discoverable, user-verified passkey: listed with its name, announced by an event', async () => {
    const u = await user(tenantA, 'enrol@example.com');
    await newAuthenticator();
    const options = await api.call('POST', '/api/v1/me/passkeys/registration-options', u.token);
    expect(options.status).toBe(201);
    expect(options.body).toMatchObject({
      rp: { id: 'localhost', name: 'PK-A' },
      user: { name: 'enrol@example.com' },
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      excludeCredentials: [],
    });
    const credential = await create(options.body);
    const added = await api.call('POST', '/api/v1/me/passkeys', u.token, { name: 'Work laptop', credential });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ name: 'Work laptop', lastUsedAt: null, synced: false });

    // The challenge was used up: the same attestation cannot register twice.
    const replay = await api.call('POST', '/api/v1/me/passkeys', u.token, { name: 'Again', credential });
    expect(replay.status).toBe(400);
    expect(replay.body.error.code).toBe('passkey_registration_failed');

    const again = await api.call('POST', '/api/v1/me/passkeys/registration-options', u.token);
    expect(again.body.excludeCredentials).toEqual([expect.objectContaining({ id: credential.id })]);

    const renamed = await api.call('PATCH', `/api/v1/me/passkeys/${added.body.id}`, u.token, { name: 'Old laptop' });
    expect(renamed.status).toBe(204);
    const list = await api.call('GET', '/api/v1/me/passkeys', u.token);
    expect(list.body).toEqual([
      expect.objectContaining({ id: added.body.id, name: 'Old laptop', createdAt: expect.any(String) }),
    ]);
    expect((await audit(tenantA.id, 'identity.user.passkey_added.v1')).map((e) => e.details.passkeyId)).toContain(
      added.body.id,
    );
  });

  it('signs in passwordless (discoverable): amr hwk + mfa, last use recorded, an assertion works once', async () => {
    const u = await enrolled('passwordless@example.com');
    const options = await authenticationOptions(tenantA.slug);
    expect(options.body).toMatchObject({ rpId: 'localhost', userVerification: 'required', allowCredentials: [] });
    const assertion = await get(options.body);
    const signedIn = await verify(tenantA.slug, assertion);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toEqual({
      userId: u.id,
      tenantId: tenantA.id,
      status: 'active',
      mfaRequired: false,
      mfaMethods: [],
      amr: ['hwk', 'mfa'],
      mustChangePassword: false,
    });
    const replay = await verify(tenantA.slug, assertion);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('invalid_passkey');
    const [listed] = (await api.call('GET', '/api/v1/me/passkeys', u.token)).body;
    expect(listed.lastUsedAt).toEqual(expect.any(String));
  });

  it('is a second factor after the password, for its own user only', async () => {
    const u = await enrolled('second-factor@example.com');
    const password = await api.call('POST', '/internal/v1/credentials/verify', api.internalToken, {
      tenant: tenantA.slug,
      login: 'second-factor@example.com',
      password: PASSWORD,
      clientIp: '203.0.113.7',
    });
    expect(password.status).toBe(200);
    // Offered at the second step, without making one due (no authenticator app, MFA optional).
    expect(password.body).toMatchObject({ mfaRequired: false, mfaMethods: ['passkey'], amr: ['pwd'] });
    const options = await authenticationOptions(tenantA.slug, { userId: u.id });
    expect(options.body.allowCredentials).toEqual([expect.objectContaining({ id: u.credential.id })]);
    const mfa = await verifyAsMfa(tenantA.id, u.id, await get(options.body));
    expect(mfa.status).toBe(200);
    expect(mfa.body.amr).toEqual(['pwd', 'hwk', 'mfa']);

    // Someone else's second step cannot be completed with this user's passkey.
    const other = await user(tenantA, 'someone-else@example.com');
    const foreign = await verifyAsMfa(
      tenantA.id,
      other.id,
      await get((await authenticationOptions(tenantA.slug, { userId: u.id })).body),
    );
    expect(foreign.status).toBe(401);
    expect(foreign.body.error.code).toBe('invalid_passkey');
  });

  it('refuses a cloned credential with a lower sign counter, and audits it', async () => {
    const u = await enrolled('cloned@example.com');
    expect((await passwordless(tenantA.slug)).status).toBe(200);
    expect((await passwordless(tenantA.slug)).status).toBe(200);
    const {
      credentials: [original],
    } = await cdp.send('WebAuthn.getCredentials', { authenticatorId: authenticatorId! });
    expect(original!.signCount).toBeGreaterThanOrEqual(2);

    // The same private key on another authenticator that counts from 0: the copy an attacker made.
    const clone = await newAuthenticator();
    await cdp.send('WebAuthn.addCredential', { authenticatorId: clone, credential: { ...original!, signCount: 0 } });
    const refused = await passwordless(tenantA.slug);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('passkey_counter_regression');
    const [entry] = await audit(tenantA.id, 'identity.user.passkey_counter_regressed.v1');
    expect(entry).toMatchObject({ targetId: u.id, details: { passkeyId: u.passkeyId } });
  });

  it("cannot be used in the user's other tenant", async () => {
    const inA = await enrolled('two-tenants@example.com');
    const inB = await user(tenantB, 'two-tenants@example.com');
    // The browser offers the credential (one RP id for every tenant), but tenant B does not know it.
    const refused = await passwordless(tenantB.slug);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('invalid_passkey');
    const asSecondFactor = await verifyAsMfa(
      tenantB.id,
      inB.id,
      await get((await authenticationOptions(tenantB.slug, { userId: inB.id })).body),
    );
    expect(asSecondFactor.status).toBe(401);
    // Nor can tenant B's user list or remove it.
    expect((await api.call('GET', '/api/v1/me/passkeys', inB.token)).body).toEqual([]);
    expect((await api.call('DELETE', `/api/v1/me/passkeys/${inA.passkeyId}`, inB.token)).status).toBe(404);
    expect((await passwordless(tenantA.slug)).status).toBe(200);
  });

  it('stops working once deleted', async () => {
    const u = await enrolled('deleted@example.com');
    expect((await api.call('DELETE', `/api/v1/me/passkeys/${u.passkeyId}`, u.token)).status).toBe(204);
    expect((await api.call('GET', '/api/v1/me/passkeys', u.token)).body).toEqual([]);
    const refused = await passwordless(tenantA.slug);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('invalid_passkey');
    expect((await audit(tenantA.id, 'identity.user.passkey_removed.v1')).map((e) => e.details.passkeyId)).toContain(
      u.passkeyId,
    );
  });

  it('counts bad signatures in the account lockout shared with passwords; a locked account is told so', async () => {
    const tenant = await api.createTenant('pk-lock', {
      lockoutPolicy: { maxFailedAttempts: 3, lockSeconds: 300, maxLockSeconds: 300 },
    });
    const u = await enrolled('lockout@example.com', tenant);
    for (let attempt = 0; attempt < 3; attempt++) {
      const assertion = await get((await authenticationOptions(tenant.slug)).body);
      const response = assertion.response as Json;
      // One flipped byte: the signature no longer matches.
      const signature = Buffer.from(response.signature as string, 'base64url');
      signature[signature.length - 1]! ^= 0x01;
      const forged = { ...assertion, response: { ...response, signature: signature.toString('base64url') } };
      const refused = await verify(tenant.slug, forged);
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('invalid_passkey');
    }
    const [locked] = await audit(tenant.id, 'identity.user.locked.v1');
    expect(locked).toMatchObject({ targetId: u.id, details: { reason: 'too_many_failed_passkey_attempts' } });
    const genuine = await passwordless(tenant.slug);
    expect(genuine.status).toBe(401);
    expect(genuine.body.error.code).toBe('account_locked');
  });

  it('refuses an answer to an expired challenge; housekeeping prunes unanswered ones', async () => {
    await enrolled('expired@example.com');
    const options = await authenticationOptions(tenantA.slug);
    const expire = (challenge: string) =>
      api.sql(`UPDATE passkey_challenges SET expires_at = now() - interval '1 second' WHERE challenge = $1`, [
        challenge,
      ]);
    await expire(options.body.challenge);
    const late = await verify(tenantA.slug, await get(options.body));
    expect(late.status).toBe(401);
    expect(late.body.error.code).toBe('invalid_passkey');
    const unanswered = (await authenticationOptions(tenantA.slug)).body.challenge;
    await expire(unanswered);
    await api.app.get(IdentityHousekeeping).runOnce();
    const left = await api.sql('SELECT 1 FROM passkey_challenges WHERE challenge = ANY($1)', [
      [options.body.challenge, unanswered],
    ]);
    expect(left).toHaveLength(0);
  });

  it('is part of the GDPR export (names and dates, no key material) and gone when the user is erased', async () => {
    const u = await enrolled('gdpr@example.com');
    const exported = await api.call('GET', '/api/v1/me/export', u.token);
    expect(exported.status).toBe(200);
    expect(exported.body.passkeys).toEqual([
      { name: 'Laptop', createdAt: expect.any(String), lastUsedAt: null, synced: false },
    ]);
    expect(JSON.stringify(exported.body)).not.toContain(u.credential.id as string);
    const admin = await api.tenantAdminToken(tenantA.id);
    expect((await api.call('POST', `/api/v1/users/${u.id}/erase`, admin)).status).toBe(204);
    expect(await api.sql('SELECT 1 FROM passkeys WHERE user_id = $1', [u.id])).toHaveLength(0);
  });

  it('satisfies a tenant that requires two steps: the passkey is then the second step after the password', async () => {
    const tenant = await api.createTenant('pk-mfa', { mfaPolicy: 'required' });
    const u = await enrolled('required@example.com', tenant);
    const signIn = await api.call('POST', '/internal/v1/credentials/verify', api.internalToken, {
      tenant: tenant.slug,
      login: 'required@example.com',
      password: PASSWORD,
      clientIp: '203.0.113.9',
    });
    expect(signIn.body).toMatchObject({ userId: u.id, mfaRequired: true, mfaMethods: ['passkey'], amr: ['pwd'] });
  });

  it("follows the tenant's policy: off refuses enrolment and sign-in", async () => {
    const u = await enrolled('policy@example.com');
    const patched = await api.call('PUT', `/api/v1/tenants/${tenantA.id}/settings`, api.platformAdminToken, {
      passkeys: 'off',
    });
    expect(patched.status).toBe(200);
    try {
      const enrol = await api.call('POST', '/api/v1/me/passkeys/registration-options', u.token);
      expect(enrol.status).toBe(403);
      expect(enrol.body.error.code).toBe('passkeys_disabled');
      expect((await authenticationOptions(tenantA.slug)).body.error.code).toBe('passkeys_disabled');
      // Nor is it offered as a second factor after the password.
      const signIn = await api.call('POST', '/internal/v1/credentials/verify', api.internalToken, {
        tenant: tenantA.slug,
        login: 'policy@example.com',
        password: PASSWORD,
        clientIp: '203.0.113.8',
      });
      expect(signIn.body).toMatchObject({ mfaRequired: false, mfaMethods: [] });
    } finally {
      await api.call('PUT', `/api/v1/tenants/${tenantA.id}/settings`, api.platformAdminToken, { passkeys: 'allowed' });
    }
  });
});
