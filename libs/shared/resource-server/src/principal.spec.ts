import { principalFromClaims } from './principal';

describe('principalFromClaims: who is a platform administrator', () => {
  const client = (claims: Record<string, unknown>) =>
    principalFromClaims({ sub: 'svc', client_id: 'svc', iat: 1, exp: 2, ...claims });

  it("a platform client's own token with platform.admin is one", () => {
    expect(client({ scope: 'platform.admin identity.users.read' }).isPlatformAdmin).toBe(true);
  });

  it("a tenant client's token is never one, whatever scope it carries", () => {
    expect(client({ scope: 'platform.admin', tenant_id: 'a1b2' }).isPlatformAdmin).toBe(false);
  });

  it("a user's token is one only through the platform:admin permission, never through its app's scope", () => {
    const user = (claims: Record<string, unknown>) =>
      principalFromClaims({ sub: 'user-1', client_id: 'app', iat: 1, exp: 2, ...claims });
    expect(user({ scope: 'platform.admin' }).isPlatformAdmin).toBe(false);
    expect(user({ permissions: ['platform:admin'] }).isPlatformAdmin).toBe(true);
  });
});
