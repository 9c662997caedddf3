import { Table } from '@mantine/core';
import { type AuthzSchemas, unwrap } from '@platform/web';
import { formatDate, RevokeAccess, UserAccessTable } from '../lib/components';
import { ACTIONS } from '../lib/data-table';
import { useAdmin, useTenantLoad } from '../lib/use-admin';

type TrustedDeviceView = AuthzSchemas['schemas']['TrustedDeviceView'];

const TRUST_LEVELS: Record<TrustedDeviceView['trustLevel'], string> = {
  strong: 'Strong (passkey)',
  remembered: 'Remembered (code)',
};

/** The browsers that skip the user's second factor; revoking one asks for it there again. */
export function UserDevices({ userId, status }: { userId: string; status: string }) {
  const { authz, has, query } = useAdmin();
  const devices = useTenantLoad(
    async (query) =>
      unwrap<TrustedDeviceView[]>(
        await authz.GET('/api/v1/users/{userId}/devices', { params: { path: { userId }, query } }),
      ),
    [userId, status],
  );
  return (
    <UserAccessTable
      list={devices}
      status={status}
      what="trusted devices"
      label="Trusted devices of the user"
      columns={['Browser', 'Trust', 'Last seen', 'Trusted until', has('users:write') && ACTIONS]}
      empty="No trusted devices."
    >
      {(device) => (
        <>
          <Table.Td>{device.userAgentFamily ?? 'Unknown browser'}</Table.Td>
          <Table.Td>{TRUST_LEVELS[device.trustLevel]}</Table.Td>
          <Table.Td>{formatDate(device.lastSeenAt)}</Table.Td>
          <Table.Td>{formatDate(device.trustedUntil)}</Table.Td>
          {has('users:write') && (
            <Table.Td>
              <RevokeAccess
                list={devices}
                title="Stop trusting this device?"
                message="The second factor is asked again at the user's next sign-in on it."
                revoke={() =>
                  authz.DELETE('/api/v1/users/{userId}/devices/{deviceId}', {
                    params: { path: { userId, deviceId: device.id }, query },
                  })
                }
              />
            </Table.Td>
          )}
        </>
      )}
    </UserAccessTable>
  );
}
