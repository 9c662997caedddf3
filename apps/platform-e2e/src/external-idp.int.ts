import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { Browser, formAction, formValue } from '@platform/testing';
import * as oidc from 'openid-client';
import { Client } from 'pg';
import { downstreamClientAt, registerPartnerSso, UPSTREAM_ON_LOOPBACK } from './support/federation';
import { type Platform, startPlatform } from './support/platform';
import { authorizationRequest, REDIRECT, redeem, type RelyingParty, relyingParty } from './support/relying-party';
import { expectRule } from './support/rules';
import { pageAction } from './support/sign-in';
import { grantRole } from './support/user-tokens';

const PASSWORD = 'upstream users have passwords too';

/**
 * "Sign in with <IdP>": a second, independent platform is the upstream OpenID provider. The
 * downstream hosted login runs the upstream code flow (PKCE, state, nonce) and the identity
 * backend provisions the user just in time, then recognises the link on the next sign-in.
 */
describe('sign-in through an external OpenID Connect provider', () => {
  let upstream: Platform;
  let platform: Platform;
  let tenantId: string;
  let partnerId: string;
  let upstreamClient: { clientId: string; clientSecret: string | null };

  beforeAll(async () => {
    // The upstream is plain http on loopback: allowed only with private-network calls opened.
    [upstream, platform] = await Promise.all([
      startPlatform('idp_upstream'),
      startPlatform('idp_downstream', UPSTREAM_ON_LOOPBACK),
    ]);
    const partner = await upstream.createTenant('partner');
    partnerId = partner.id;
    await upstream.createUser(partner.id, 'eve@partner.example', PASSWORD);
    upstreamClient = await downstreamClientAt(upstream, partner.id, platform, 'Acme (downstream platform)');
    tenantId = (await platform.createTenant('acme')).id;
    const idp = await registerPartnerSso(platform, tenantId, upstream, upstreamClient, {
      scopes: ['openid', 'email', 'profile'],
      jitProvisioning: true,
    });
    if (idp.status !== 201) throw new Error(`idp: ${idp.status} ${JSON.stringify(idp.body)}`);
  }, 180_000); // two platforms (four services) on a possibly busy 2-core machine

  afterAll(async () => {
    await Promise.all([platform?.stop(), upstream?.stop()]);
  });

  /** Clicks "Sign in with Partner SSO", signs in upstream, and returns to the app's redirect URI. */
  async function signInUpstream(browser: Browser, authorizationUrl: string, account = 'eve@partner.example') {
    const login = await browser.follow(authorizationUrl);
    const link = login.body.match(/<a class="button secondary" href="([^"]+)">Sign in with Partner SSO<\/a>/)?.[1];
    expect(link).toBeTruthy();
    const upstreamLogin = await browser.follow(new URL(link!, login.url).toString());
    expect(upstreamLogin.url.startsWith(upstream.issuer)).toBe(true);
    const submitted = await browser.post(new URL(pageAction(upstreamLogin)!, upstreamLogin.url).toString(), {
      login: account,
      password: PASSWORD,
      csrf: formValue(upstreamLogin.body, 'csrf')!,
    });
    return browser.continue(submitted, (url) => url.startsWith(REDIRECT));
  }

  it('provisions the user on first sign-in and finds the same user on the next one', async () => {
    const rp = await relyingParty(platform, { type: 'spa', trusted: true, tenantId });
    const request = await authorizationRequest(rp, 'openid email');
    const back = await signInUpstream(new Browser(), request.url);
    expect(back.location).toMatch(/^https:\/\/app\.example\.test\/callback\?code=/);
    const tokens = await redeem(rp, back.location!, request);
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ tenant_id: tenantId, amr: ['fed'] });
    const userinfo = await oidc.fetchUserInfo(rp.config, tokens.access_token, claims.sub);
    expect(userinfo).toMatchObject({ email: 'eve@partner.example', email_verified: true });

    const local = await platform.identityAdmin('GET', `/api/v1/users/${claims.sub}?tenantId=${tenantId}`);
    expect(local.body).toMatchObject({ email: 'eve@partner.example', tenantId });

    const again = await authorizationRequest(rp, 'openid');
    const second = await signInUpstream(new Browser(), again.url);
    expect((await redeem(rp, second.location!, again)).claims()!.sub).toBe(claims.sub);
  });

  it('refuses a callback whose state does not belong to the browser', async () => {
    const browser = new Browser();
    const rp = await relyingParty(platform, { type: 'spa', trusted: true, tenantId });
    const login = await browser.follow((await authorizationRequest(rp, 'openid')).url);
    const uid = new URL(login.url).pathname.split('/')[2]!;
    const forged = await browser.get(
      `${platform.issuer}/interaction/callback/federated?code=stolen&state=${uid}.not-the-state`,
    );
    const landed = await browser.continue(forged);
    expect(landed.status).toBe(400);
    expect(landed.body).toContain('expired');
    // And a callback for an interaction this browser never started.
    const stranger = await new Browser().follow(
      `${platform.issuer}/interaction/callback/federated?code=x&state=${uid}.y`,
    );
    expect(stranger.status).toBe(400);
  });

  /**
   * Issue 16: the tenant policy passkeys: required-for-admins holds for federated sign-ins as for
   * passwords (passkey-policy.int.ts). Downstream accounts with the upstream accounts' verified
   * addresses, linked by email: an administrator (tenant-admin) with a passkey, one without, and a
   * member. The passkey is the suite's own software key (ES256), its public key stored in the
   * downstream backend as an enrolment would; its assertions are signed here for the MFA page's
   * challenge, as a browser's authenticator would.
   */
  describe('under the passkey policy required-for-admins', () => {
    const SLUG = 'acme-admins';
    let app: RelyingParty;
    let passkey: SoftwarePasskey;

    beforeAll(async () => {
      const adminsTenant = (await platform.createTenant(SLUG, { passkeys: 'required-for-admins' })).id;
      for (const name of ['keyholder', 'keyless', 'member']) {
        await upstream.createUser(partnerId, `${name}@partner.example`, PASSWORD);
        const local = await platform.createUser(adminsTenant, `${name}@partner.example`, PASSWORD);
        if (name !== 'member') await grantRole(platform, adminsTenant, local.id, 'tenant-admin');
        if (name === 'keyholder') passkey = await softwarePasskey(platform, adminsTenant, local.id);
      }
      const idp = await registerPartnerSso(platform, adminsTenant, upstream, upstreamClient, {
        scopes: ['openid', 'email', 'profile'],
        jitProvisioning: false,
        autoLinkVerifiedEmail: true,
      });
      if (idp.status !== 201) throw new Error(`idp: ${idp.status} ${JSON.stringify(idp.body)}`);
      app = await relyingParty(platform, { type: 'spa', trusted: true, tenantId: adminsTenant });
    });

    it('asks an administrator for their passkey after the upstream sign-in, and only then signs them in', async () => {
      const browser = new Browser();
      const request = await authorizationRequest(app, 'openid');
      const mfa = await signInUpstream(browser, request.url, 'keyholder@partner.example');
      const action = formAction(mfa.body, /\/mfa$/);
      expectRule("issue 16: required-for-admins: a federated administrator's second step is the passkey", [
        mfa.status,
        Boolean(action),
        mfa.body.includes('<input type="hidden" name="method" value="passkey">'),
        mfa.body.includes('name="code"'),
      ]).toEqual([200, true, true, false]);
      const options = JSON.parse(unescapeHtml(mfa.body.match(/data-options="([^"]*)"/)![1]!));
      const submitted = await browser.post(new URL(action!, mfa.url).toString(), {
        csrf: formValue(mfa.body, 'csrf')!,
        method: 'passkey',
        credential: passkey.assertion(options, new URL(platform.issuer).origin),
      });
      const back = await browser.continue(submitted, (url) => url.startsWith(REDIRECT));
      expect(back.location).toMatch(/^https:\/\/app\.example\.test\/callback\?code=/);
      // The first factor stays the upstream sign-in (fed), not a password the user never gave.
      expect((await redeem(app, back.location!, request)).claims()!.amr).toEqual(['fed', 'hwk', 'mfa']);
    });

    it('refuses a federated administrator without a passkey: the 403 page with passkey_required', async () => {
      const request = await authorizationRequest(app, 'openid');
      const landed = await signInUpstream(new Browser(), request.url, 'keyless@partner.example');
      expectRule('issue 16: required-for-admins refuses a federated admin without a passkey', [
        landed.status,
        landed.body.includes('passkey_required'),
      ]).toEqual([403, true]);
      expect(landed.body).toContain('Administrators of this organisation must sign in with a passkey');
    });

    it('leaves a federated user without a *:write permission alone: the upstream sign-in completes it', async () => {
      const request = await authorizationRequest(app, 'openid');
      const back = await signInUpstream(new Browser(), request.url, 'member@partner.example');
      expect(back.location).toMatch(/^https:\/\/app\.example\.test\/callback\?code=/);
      expect((await redeem(app, back.location!, request)).claims()!.amr).toEqual(['fed']);
    });
  });
});

interface SoftwarePasskey {
  /** An assertion (PublicKeyCredential#toJSON(), as JSON) for a page's request options, from `origin`. */
  assertion(options: { challenge: string; rpId: string }, origin: string): string;
}

/**
 * A device-bound ES256 passkey of the user: its COSE public key written to the backend's passkeys
 * table (as registration stores it), its private key kept here. Each assertion has user presence
 * and verification, and the next sign counter.
 */
async function softwarePasskey(platform: Platform, tenantId: string, userId: string): Promise<SoftwarePasskey> {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const credentialId = randomBytes(16).toString('base64url');
  const db = new Client({ connectionString: platform.identityDb.url });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO passkeys (tenant_id, user_id, credential_id, public_key, transports, aaguid, device_type, name)
       VALUES ($1, $2, $3, $4, '{internal}', '00000000-0000-0000-0000-000000000000', 'singleDevice', 'Test key')`,
      [tenantId, userId, credentialId, coseKey(publicKey)],
    );
  } finally {
    await db.end();
  }
  let counter = 0;
  return {
    assertion(options, origin) {
      const clientData = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin }));
      const count = Buffer.alloc(4);
      count.writeUInt32BE(++counter);
      // rpIdHash, flags UP | UV, signCount.
      const authenticatorData = Buffer.concat([sha256(options.rpId), Buffer.from([0x05]), count]);
      const signature = sign('sha256', Buffer.concat([authenticatorData, sha256(clientData)]), privateKey);
      return JSON.stringify({
        id: credentialId,
        rawId: credentialId,
        type: 'public-key',
        response: {
          clientDataJSON: clientData.toString('base64url'),
          authenticatorData: authenticatorData.toString('base64url'),
          signature: signature.toString('base64url'),
        },
        authenticatorAttachment: 'platform',
        clientExtensionResults: {},
      });
    },
  };
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest();

/** COSE_Key {1: 2 (EC2), 3: -7 (ES256), -1: 1 (P-256), -2: x, -3: y}, CBOR-encoded by hand. */
function coseKey(publicKey: KeyObject): Buffer {
  const { x, y } = publicKey.export({ format: 'jwk' });
  const coordinate = (label: number, value: string) => [label, 0x58, 0x20, ...Buffer.from(value, 'base64url')];
  return Buffer.from([0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, ...coordinate(0x21, x!), ...coordinate(0x22, y!)]);
}

/** An attribute value as the page's template escaped it. */
const unescapeHtml = (value: string) =>
  value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
