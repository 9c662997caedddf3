import type { Tenant } from '../../tenants/tenant.entity';
import type { TenantsRepository } from '../../tenants/tenants.repository';
import { aUser, TENANT_ID, userCommandDeps } from '../../users/commands/commands.spec-helper';
import type { MailOutbox } from '../mail-outbox';
import { NotifyNewDeviceSignInCommand, NotifyNewDeviceSignInHandler } from './notify-new-device-sign-in.command';

describe('NotifyNewDeviceSignInHandler', () => {
  const FIREFOX_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.1; rv:133.0) Gecko/20100101 Firefox/133.0';
  const AT = new Date('2026-12-01T09:30:00Z');

  const setUp = (settings: Record<string, unknown> = { newDeviceAlerts: true }) => {
    const { users } = userCommandDeps([
      aUser({ id: 'u-ada' }),
      aUser({ id: 'u-locked', status: 'locked' }),
      aUser({ id: 'u-theirs', tenantId: 'tenant-b' }),
    ]);
    const tenant = { id: TENANT_ID, settings } as Tenant;
    const tenants = { findById: async (id: string) => (id === TENANT_ID ? tenant : null) };
    const queued: unknown[] = [];
    const mail = { enqueueNow: async (mails: unknown[]) => void queued.push(...mails) };
    const handler = new NotifyNewDeviceSignInHandler(
      tenants as unknown as TenantsRepository,
      users,
      mail as unknown as MailOutbox,
    );
    return { handler, queued };
  };
  const signIn = (userId: string, userAgent = FIREFOX_MAC, tenantId = TENANT_ID) =>
    new NotifyNewDeviceSignInCommand(tenantId, userId, userAgent, AT);

  it('queues the new sign-in mail with the time, browser and system, never the raw User-Agent', async () => {
    const { handler, queued } = setUp();
    await handler.execute(signIn('u-ada'));
    expect(queued).toEqual([
      {
        kind: 'new_device_sign_in',
        tenantId: TENANT_ID,
        userId: 'u-ada',
        params: { signedInAt: '2026-12-01T09:30:00.000Z', browser: 'Firefox', system: 'macOS' },
      },
    ]);
    expect(JSON.stringify(queued)).not.toContain('Gecko');
  });

  it('leaves out what an unrecognised client does not tell', async () => {
    const { handler, queued } = setUp();
    await handler.execute(signIn('u-ada', 'curl/8.5.0'));
    expect(queued).toEqual([expect.objectContaining({ params: { signedInAt: '2026-12-01T09:30:00.000Z' } })]);
  });

  it('mails nobody when the tenant has the alert off (the default), or for an inactive or unknown user', async () => {
    for (const settings of [{ newDeviceAlerts: false }, {}]) {
      const { handler, queued } = setUp(settings);
      await handler.execute(signIn('u-ada'));
      expect(queued).toEqual([]);
    }
    const { handler, queued } = setUp();
    await handler.execute(signIn('u-locked'));
    await handler.execute(signIn('u-theirs'));
    await handler.execute(signIn('u-theirs', FIREFOX_MAC, 'tenant-b'));
    expect(queued).toEqual([]);
  });
});
