import { Badge, SimpleGrid, Stack } from '@mantine/core';
import { unwrap, useLoad, useSignedIn } from '@platform/web';
import { formatDate, useT } from '../i18n';
import { Detail, ItemCard, ItemName, ListScreen } from './common';
import { RemoveButton } from './confirm';

/** The browsers that skip the second factor (the authorization server's trusted-device store), each revocable. */
export function DevicesScreen() {
  const { authz } = useSignedIn();
  const { t } = useT();
  const devices = useLoad(async () => unwrap(await authz.GET('/api/v1/me/devices')));

  return (
    <ListScreen texts="devices" list={devices}>
      {(device) => (
        <ItemCard
          data-testid="device"
          data-current={device.current}
          actions={
            <RemoveButton
              texts="devices"
              remove={() =>
                authz.DELETE('/api/v1/me/devices/{deviceId}', { params: { path: { deviceId: device.id } } })
              }
              reload={devices.reload}
            />
          }
        >
          <Stack gap={4} style={{ flex: 1 }}>
            <ItemName
              name={device.userAgentFamily ?? t('devices.unknownBrowser')}
              badge={device.current && <Badge color="teal.9">{t('devices.current')}</Badge>}
            />
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
              <Detail label={t('devices.trust')}>{t(`devices.${device.trustLevel}`)}</Detail>
              <Detail label={t('devices.lastSeen')}>{formatDate(device.lastSeenAt)}</Detail>
              <Detail label={t('devices.trustedUntil')}>{formatDate(device.trustedUntil)}</Detail>
            </SimpleGrid>
          </Stack>
        </ItemCard>
      )}
    </ListScreen>
  );
}
