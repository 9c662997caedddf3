import { describeAccess, describeDeviceRequest, type FindResourceServer, requestedResources } from './access-request';

const IDENTITY_API = 'urn:identity-platform:identity-api';
const find: FindResourceServer = async (identifier) =>
  identifier === IDENTITY_API
    ? {
        name: 'Identity Platform API',
        scopes: ['identity.users.read', 'identity.users.write'],
        scopeDescriptions: { 'identity.users.read': 'Read the users of your organisation' },
      }
    : null;

describe('describeAccess', () => {
  it('names each API and describes each scope, defaulting to the scope name', async () => {
    await expect(
      describeAccess(find, ['openid', 'profile', 'identity.users.read'], {
        [IDENTITY_API]: ['identity.users.read', 'identity.users.write'],
      }),
    ).resolves.toEqual({
      account: [
        { scope: 'openid', description: 'Sign you in with your account' },
        { scope: 'profile', description: 'See your name and profile' },
      ],
      apis: [
        {
          identifier: IDENTITY_API,
          name: 'Identity Platform API',
          scopes: [
            { scope: 'identity.users.read', description: 'Read the users of your organisation' },
            { scope: 'identity.users.write', description: 'identity.users.write' },
          ],
        },
      ],
    });
  });

  it('names an unknown API by its identifier, and an unknown scope by its name', async () => {
    const access = await describeAccess(find, ['my.custom'], { 'https://gone.example': [] });
    expect(access).toEqual({
      account: [{ scope: 'my.custom', description: 'my.custom' }],
      apis: [{ identifier: 'https://gone.example', name: 'https://gone.example', scopes: [] }],
    });
  });
});

describe('describeDeviceRequest', () => {
  it('lists the requested API with its own scopes only', async () => {
    const access = await describeDeviceRequest(find, {
      scope: 'openid profile identity.users.read',
      resource: IDENTITY_API,
    });
    expect(access.account.map((s) => s.scope)).toEqual(['openid', 'profile']);
    expect(access.apis).toEqual([
      {
        identifier: IDENTITY_API,
        name: 'Identity Platform API',
        scopes: [{ scope: 'identity.users.read', description: 'Read the users of your organisation' }],
      },
    ]);
  });

  it('names the API even when none of its scopes is asked for', async () => {
    const access = await describeDeviceRequest(find, { scope: 'openid', resource: IDENTITY_API });
    expect(access.apis).toEqual([{ identifier: IDENTITY_API, name: 'Identity Platform API', scopes: [] }]);
  });
});

describe('requestedResources', () => {
  it('reads one or several resource parameters', () => {
    expect(requestedResources('https://a.example')).toEqual(['https://a.example']);
    expect(requestedResources(['https://a.example', 'https://b.example'])).toHaveLength(2);
    expect(requestedResources(undefined)).toEqual([]);
  });
});
