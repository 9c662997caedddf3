import { loadIdentityBackendConfig } from '../config';
import { relyingPartyOf } from './relying-party';

const DATABASE_URL = 'postgres://identity:pw@127.0.0.1:5432/identity';
const rp = (env: Record<string, string>) => relyingPartyOf(loadIdentityBackendConfig({ DATABASE_URL, ...env }));

describe('the passkeys relying party', () => {
  it("is the authorization server's public origin by default (ACCOUNT_URL), its host the RP id", () => {
    expect(rp({ ACCOUNT_URL: 'https://login.example.com/account' })).toEqual({
      id: 'login.example.com',
      origins: ['https://login.example.com'],
    });
    expect(rp({ AUTHORIZATION_SERVER_URL: 'https://auth.example.com' })).toEqual({
      id: 'auth.example.com',
      origins: ['https://auth.example.com'],
    });
  });

  it('takes WEBAUTHN_ORIGINS, and a parent domain of all of them as WEBAUTHN_RP_ID', () => {
    expect(
      rp({
        WEBAUTHN_ORIGINS: 'https://login.example.com, https://account.example.com',
        WEBAUTHN_RP_ID: 'example.com',
      }),
    ).toEqual({ id: 'example.com', origins: ['https://login.example.com', 'https://account.example.com'] });
  });

  it('refuses at boot an RP id browsers would refuse for an origin, and origins with paths', () => {
    expect(() => rp({ WEBAUTHN_ORIGINS: 'https://login.example.com', WEBAUTHN_RP_ID: 'other.com' })).toThrow(
      /WEBAUTHN_RP_ID must be the host \(or a parent domain\) of every WEBAUTHN_ORIGINS origin/,
    );
    expect(() => rp({ WEBAUTHN_ORIGINS: 'https://notexample.com', WEBAUTHN_RP_ID: 'example.com' })).toThrow(
      /WEBAUTHN_RP_ID/,
    );
    expect(() => rp({ WEBAUTHN_ORIGINS: 'https://login.example.com/path' })).toThrow(/WEBAUTHN_ORIGINS/);
  });
});
