import { IdentityErrorCode } from '../../common/identity-error';
import { EventTypes } from '../../events/identity-events';
import { errorCode, idpWorld, linkEvent, OTHER, T } from './idps.spec-helper';
import { LinkExternalIdentityCommand, LinkExternalIdentityHandler } from './link-external-identity.command';

describe('LinkExternalIdentityHandler', () => {
  const setUp = () => {
    const { dataSource, repository, usersRepository, events, ...world } = idpWorld();
    return { ...world, handler: new LinkExternalIdentityHandler(dataSource, repository, usersRepository, events) };
  };
  const link = (changes: Partial<LinkExternalIdentityCommand> = {}) => {
    const { tenantId, userId, providerId, subject, claims } = {
      tenantId: T,
      userId: 'u-ada',
      providerId: 'idp-corp',
      subject: 'sub-ada',
      claims: { email: 'Ada@Corp.example' } as Record<string, unknown>,
      ...changes,
    };
    return new LinkExternalIdentityCommand(tenantId, userId, providerId, subject, claims);
  };

  it("links the signed-in user's upstream account with its canonical address, and announces it", async () => {
    const { handler, links, recorded } = setUp();
    await handler.execute(link());
    expect(links).toContainEqual(
      expect.objectContaining({
        userId: 'u-ada',
        providerId: 'idp-corp',
        subject: 'sub-ada',
        email: 'ada@corp.example',
      }),
    );
    expect(recorded).toEqual([linkEvent(EventTypes.userExternalIdentityLinked, 'u-ada')]);
  });

  it('reads the address through the claim mapping', async () => {
    const { handler, idps, links } = setUp();
    idps.get('idp-corp')!.claimMapping = { email: 'mail' };
    await handler.execute(link({ claims: { email: 'wrong@corp.example', mail: 'ada@corp.example' } }));
    expect(links.at(-1)).toMatchObject({ email: 'ada@corp.example' });
  });

  it('is a no-op for an account already linked to the same user, and refuses one linked to someone else', async () => {
    const { handler, links, recorded } = setUp();
    await handler.execute(link({ userId: 'u-sso', subject: 'sub-sso' }));
    expect(recorded).toEqual([]);
    expect(await errorCode(handler.execute(link({ subject: 'sub-sso' })))).toBe(
      IdentityErrorCode.ExternalIdentityTaken,
    );
    expect(links.filter((l) => l.subject === 'sub-sso')).toEqual([expect.objectContaining({ userId: 'u-sso' })]);
  });

  it("refuses a disabled provider, another tenant's provider or user, and an inactive user", async () => {
    const { handler, links } = setUp();
    expect(await errorCode(handler.execute(link({ providerId: 'idp-off' })))).toBe(IdentityErrorCode.IdpNotFound);
    expect(await errorCode(handler.execute(link({ providerId: 'idp-theirs' })))).toBe(IdentityErrorCode.IdpNotFound);
    expect(await errorCode(handler.execute(link({ userId: 'u-theirs' })))).toBe(IdentityErrorCode.UserNotFound);
    expect(await errorCode(handler.execute(link({ userId: 'u-gone' })))).toBe(IdentityErrorCode.UserNotFound);
    expect(await errorCode(handler.execute(link({ tenantId: OTHER, userId: 'u-theirs' })))).toBe(
      IdentityErrorCode.IdpNotFound,
    );
    expect(links).toHaveLength(2);
  });
});
