import { Badge, SimpleGrid, Stack } from '@mantine/core';
import { unwrap, useLoad, useSignedIn } from '@platform/web';
import { addScreenStrings, formatDate, useT } from '../i18n';
import { Detail, ItemCard, ItemName, ListScreen } from './common';
import { RemoveButton } from './confirm';

// The screen's strings, merged into the console's catalogue (en is the reference; de and fr complete).
const en = {
  nav: { devices: 'Trusted devices' },
  devices: {
    title: 'Trusted devices',
    intro:
      'Browsers you chose to remember at the two-step verification. They do not ask for your code until their trust ends. Remove one you do not recognise or no longer use.',
    current: 'This device',
    browser: 'Browser',
    unknownBrowser: 'Unknown browser',
    trust: 'Trust',
    remembered: 'Remembered',
    strong: 'Remembered with a passkey',
    lastSeen: 'Last sign-in',
    trustedUntil: 'Trusted until',
    removal: {
      label: 'Stop trusting',
      question: 'Stop trusting this device? Its next sign-in will ask for your two-step verification again.',
      done: 'This device is no longer trusted',
    },
    empty: 'No trusted devices. Tick "Remember this device" at the two-step verification to add one.',
  },
  errors: { device_not_found: 'This device is no longer trusted.' },
};

const de: typeof en = {
  nav: { devices: 'Vertrauenswürdige Geräte' },
  devices: {
    title: 'Vertrauenswürdige Geräte',
    intro:
      'Browser, die Sie bei der Bestätigung in zwei Schritten gemerkt haben. Sie fragen bis zum Ende des Vertrauens nicht nach Ihrem Code. Entfernen Sie Geräte, die Sie nicht kennen oder nicht mehr verwenden.',
    current: 'Dieses Gerät',
    browser: 'Browser',
    unknownBrowser: 'Unbekannter Browser',
    trust: 'Vertrauen',
    remembered: 'Gemerkt',
    strong: 'Mit Passkey gemerkt',
    lastSeen: 'Letzte Anmeldung',
    trustedUntil: 'Vertrauenswürdig bis',
    removal: {
      label: 'Nicht mehr vertrauen',
      question:
        'Diesem Gerät nicht mehr vertrauen? Bei seiner nächsten Anmeldung wird die Bestätigung in zwei Schritten wieder verlangt.',
      done: 'Diesem Gerät wird nicht mehr vertraut',
    },
    empty:
      'Keine vertrauenswürdigen Geräte. Kreuzen Sie bei der Bestätigung in zwei Schritten „Dieses Gerät merken“ an, um eines hinzuzufügen.',
  },
  errors: { device_not_found: 'Diesem Gerät wird nicht mehr vertraut.' },
};

const fr: typeof en = {
  nav: { devices: 'Appareils de confiance' },
  devices: {
    title: 'Appareils de confiance',
    intro:
      'Les navigateurs que vous avez mémorisés lors de la vérification en deux étapes. Ils ne demandent pas votre code tant que leur confiance dure. Retirez ceux que vous ne reconnaissez pas ou n’utilisez plus.',
    current: 'Cet appareil',
    browser: 'Navigateur',
    unknownBrowser: 'Navigateur inconnu',
    trust: 'Confiance',
    remembered: 'Mémorisé',
    strong: 'Mémorisé avec une clé d’accès',
    lastSeen: 'Dernière connexion',
    trustedUntil: 'De confiance jusqu’au',
    removal: {
      label: 'Ne plus faire confiance',
      question:
        'Ne plus faire confiance à cet appareil ? Sa prochaine connexion demandera de nouveau la vérification en deux étapes.',
      done: 'Cet appareil n’est plus de confiance',
    },
    empty:
      'Aucun appareil de confiance. Cochez « Se souvenir de cet appareil » lors de la vérification en deux étapes pour en ajouter un.',
  },
  errors: { device_not_found: 'Cet appareil n’est plus de confiance.' },
};

addScreenStrings({ en, de, fr });

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
