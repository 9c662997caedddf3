import { releasedClaims } from './accounts';

describe('releasedClaims (tenant_id in ID tokens and userinfo)', () => {
  const claims = { sub: 'u1', email: 'ada@example.com', tenant_id: 't1' };

  it('releases the tenant to a tenant-bound client', () => {
    expect(releasedClaims(claims, true, undefined)).toEqual(claims);
  });

  it('keeps it from other clients unless the claims parameter asks for it', () => {
    expect(releasedClaims(claims, false, undefined)).toEqual({ sub: 'u1', email: 'ada@example.com' });
    expect(releasedClaims(claims, false, { id_token: { tenant_id: null } })).toEqual(claims);
    expect(releasedClaims(claims, false, { userinfo: { tenant_id: { essential: true } } })).toEqual(claims);
  });
});
