import { Alert, Badge, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { type IdentitySchemas, unwrap, useLoad, useSignedIn } from '@platform/web';
import i18next from 'i18next';
import { useState } from 'react';
import { addScreenStrings, formatDate, useT } from '../i18n';
import { act, ItemCard, ItemName, ListScreen } from './common';
import { RemoveButton } from './confirm';
import { FormDialog } from './dialog';

// The screen's strings, merged into the console's catalogue (en is the reference; de and fr complete).
const en = {
  nav: { passkeys: 'Passkeys' },
  passkeys: {
    title: 'Passkeys',
    intro:
      'Sign in without a password, with your fingerprint, face or device PIN. A passkey also counts as the second step after your password.',
    name: 'Name of the new passkey',
    nameHint: 'For example the device it is on',
    add: 'Add a passkey',
    added: 'Passkey added',
    empty: 'No passkeys yet.',
    created: 'Added',
    lastUsed: 'Last used',
    never: 'Not used yet',
    synced: 'Synced',
    deviceBound: 'On this device only',
    rename: 'Rename',
    renameTitle: 'Rename passkey',
    newName: 'Name',
    save: 'Save',
    renamed: 'Passkey renamed',
    removal: {
      label: 'Remove',
      question: 'Remove the passkey "{{name}}"? It will no longer sign you in.',
      done: 'Passkey removed',
    },
    unsupported: 'This browser cannot create passkeys.',
    cancelled: 'The passkey was not created: the request was cancelled or timed out.',
    exists: 'This device already holds a passkey for your account.',
  },
  sessions: { amr: { hwk: 'Passkey (this device)', swk: 'Passkey (synced)' } },
  errors: {
    passkey_registration_failed: 'The passkey could not be added. Start again.',
    passkey_already_registered: 'This device already holds a passkey for your account.',
    passkeys_disabled: 'Your organisation does not allow passkeys.',
    passkey_not_found: 'This passkey was already removed.',
    passkey_required:
      'Administrators of your organisation must keep a passkey: add another one before removing this one.',
  },
};

const de: typeof en = {
  nav: { passkeys: 'Passkeys' },
  passkeys: {
    title: 'Passkeys',
    intro:
      'Melden Sie sich ohne Passwort an, mit Fingerabdruck, Gesicht oder Geräte-PIN. Ein Passkey zählt auch als zweiter Schritt nach Ihrem Passwort.',
    name: 'Name des neuen Passkeys',
    nameHint: 'Zum Beispiel das Gerät, auf dem er liegt',
    add: 'Passkey hinzufügen',
    added: 'Passkey hinzugefügt',
    empty: 'Noch keine Passkeys.',
    created: 'Hinzugefügt',
    lastUsed: 'Zuletzt verwendet',
    never: 'Noch nicht verwendet',
    synced: 'Synchronisiert',
    deviceBound: 'Nur auf diesem Gerät',
    rename: 'Umbenennen',
    renameTitle: 'Passkey umbenennen',
    newName: 'Name',
    save: 'Speichern',
    renamed: 'Passkey umbenannt',
    removal: {
      label: 'Entfernen',
      question: 'Den Passkey „{{name}}“ entfernen? Er meldet Sie dann nicht mehr an.',
      done: 'Passkey entfernt',
    },
    unsupported: 'Dieser Browser kann keine Passkeys erstellen.',
    cancelled: 'Der Passkey wurde nicht erstellt: Die Anfrage wurde abgebrochen oder ist abgelaufen.',
    exists: 'Auf diesem Gerät liegt bereits ein Passkey für Ihr Konto.',
  },
  sessions: { amr: { hwk: 'Passkey (dieses Gerät)', swk: 'Passkey (synchronisiert)' } },
  errors: {
    passkey_registration_failed: 'Der Passkey konnte nicht hinzugefügt werden. Beginnen Sie erneut.',
    passkey_already_registered: 'Auf diesem Gerät liegt bereits ein Passkey für Ihr Konto.',
    passkeys_disabled: 'Ihre Organisation erlaubt keine Passkeys.',
    passkey_not_found: 'Dieser Passkey wurde bereits entfernt.',
    passkey_required:
      'Administratoren Ihrer Organisation müssen einen Passkey behalten: Fügen Sie einen weiteren hinzu, bevor Sie diesen entfernen.',
  },
};

const fr: typeof en = {
  nav: { passkeys: 'Clés d’accès' },
  passkeys: {
    title: 'Clés d’accès',
    intro:
      'Connectez-vous sans mot de passe, avec votre empreinte, votre visage ou le code de votre appareil. Une clé d’accès compte aussi comme deuxième étape après votre mot de passe.',
    name: 'Nom de la nouvelle clé d’accès',
    nameHint: 'Par exemple l’appareil sur lequel elle se trouve',
    add: 'Ajouter une clé d’accès',
    added: 'Clé d’accès ajoutée',
    empty: 'Aucune clé d’accès pour l’instant.',
    created: 'Ajoutée',
    lastUsed: 'Dernière utilisation',
    never: 'Pas encore utilisée',
    synced: 'Synchronisée',
    deviceBound: 'Sur cet appareil uniquement',
    rename: 'Renommer',
    renameTitle: 'Renommer la clé d’accès',
    newName: 'Nom',
    save: 'Enregistrer',
    renamed: 'Clé d’accès renommée',
    removal: {
      label: 'Retirer',
      question: 'Retirer la clé d’accès « {{name}} » ? Elle ne vous connectera plus.',
      done: 'Clé d’accès retirée',
    },
    unsupported: 'Ce navigateur ne peut pas créer de clés d’accès.',
    cancelled: 'La clé d’accès n’a pas été créée : la demande a été annulée ou a expiré.',
    exists: 'Cet appareil contient déjà une clé d’accès pour votre compte.',
  },
  sessions: { amr: { hwk: 'Clé d’accès (cet appareil)', swk: 'Clé d’accès (synchronisée)' } },
  errors: {
    passkey_registration_failed: 'La clé d’accès n’a pas pu être ajoutée. Recommencez.',
    passkey_already_registered: 'Cet appareil contient déjà une clé d’accès pour votre compte.',
    passkeys_disabled: 'Votre organisation n’autorise pas les clés d’accès.',
    passkey_not_found: 'Cette clé d’accès a déjà été retirée.',
    passkey_required:
      'Les administrateurs de votre organisation doivent garder une clé d’accès : ajoutez-en une autre avant de retirer celle-ci.',
  },
};

addScreenStrings({ en, de, fr });

type Passkey = IdentitySchemas['schemas']['PasskeyView'];
type RegistrationCredential = IdentitySchemas['schemas']['RegistrationCredentialDto'];
type Transport = NonNullable<IdentitySchemas['schemas']['AttestationResponseDto']['transports']>[number];

const TRANSPORTS: readonly string[] = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'];
const isTransport = (value: string): value is Transport => TRANSPORTS.includes(value);

/** The WebAuthn Level 3 JSON methods every current browser has (the API speaks their JSON forms). */
const supported = () => typeof globalThis.PublicKeyCredential?.parseCreationOptionsFromJSON === 'function';

/** The API's registration options (its OpenAPI document does not describe them): checked, not trusted. */
function creationOptions(value: unknown): PublicKeyCredentialCreationOptionsJSON {
  const options = value as Partial<PublicKeyCredentialCreationOptionsJSON> | null;
  if (!options || typeof options.challenge !== 'string' || !options.rp || !options.user) {
    throw new Error(i18next.t('errors.passkey_registration_failed'));
  }
  return options as PublicKeyCredentialCreationOptionsJSON;
}

/** A new credential, as the API takes it (PublicKeyCredential#toJSON(), known transports only). */
function registrationCredential(credential: PublicKeyCredential): RegistrationCredential {
  const json = credential.toJSON();
  const response = json.response;
  if (!('attestationObject' in response)) throw new Error(i18next.t('errors.passkey_registration_failed'));
  return {
    id: json.id,
    rawId: json.rawId,
    type: 'public-key',
    authenticatorAttachment:
      json.authenticatorAttachment === 'platform' || json.authenticatorAttachment === 'cross-platform'
        ? json.authenticatorAttachment
        : undefined,
    clientExtensionResults: {},
    response: {
      clientDataJSON: response.clientDataJSON,
      attestationObject: response.attestationObject,
      authenticatorData: response.authenticatorData,
      publicKey: response.publicKey,
      publicKeyAlgorithm: response.publicKeyAlgorithm,
      transports: response.transports.filter(isTransport),
    },
  };
}

/** navigator.credentials.create(); the browser's refusals in the user's language. */
async function createCredential(options: PublicKeyCredentialCreationOptionsJSON): Promise<PublicKeyCredential> {
  let credential: Credential | null;
  try {
    credential = await navigator.credentials.create({
      publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options),
    });
  } catch (error) {
    const name = error instanceof DOMException ? error.name : '';
    if (name === 'InvalidStateError') throw new Error(i18next.t('passkeys.exists'), { cause: error });
    if (name === 'NotAllowedError' || name === 'AbortError') {
      throw new Error(i18next.t('passkeys.cancelled'), { cause: error });
    }
    throw error;
  }
  if (!(credential instanceof PublicKeyCredential)) throw new Error(i18next.t('passkeys.cancelled'));
  return credential;
}

function AddPasskey({ onAdded }: { onAdded: () => void }) {
  const { identity } = useSignedIn();
  const { t } = useT();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const add = () =>
    act(async () => {
      const options = creationOptions(unwrap(await identity.POST('/api/v1/me/passkeys/registration-options')));
      const credential = registrationCredential(await createCredential(options));
      unwrap(await identity.POST('/api/v1/me/passkeys', { body: { name: name.trim(), credential } }));
      setName('');
      onAdded();
    }, t('passkeys.added'));
  return (
    <Card withBorder>
      <form
        aria-labelledby="passkey-add-title"
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          void add().finally(() => setBusy(false));
        }}
      >
        <Stack>
          <Title order={3} id="passkey-add-title">
            {t('passkeys.add')}
          </Title>
          <Group align="end">
            <TextInput
              label={t('passkeys.name')}
              description={t('passkeys.nameHint')}
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              maxLength={100}
              required
              w={320}
              maw="100%"
            />
            <Button type="submit" loading={busy}>
              {t('passkeys.add')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function RenameButton({ passkey, onRenamed }: { passkey: Passkey; onRenamed: () => void }) {
  const { identity } = useSignedIn();
  const { t } = useT();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(passkey.name);
  return (
    <>
      <Button
        variant="default"
        size="xs"
        onClick={() => {
          setName(passkey.name);
          setOpen(true);
        }}
      >
        {t('passkeys.rename')}
      </Button>
      <FormDialog
        opened={open}
        onClose={() => setOpen(false)}
        title={t('passkeys.renameTitle')}
        onSubmit={() =>
          void act(async () => {
            unwrap(
              await identity.PATCH('/api/v1/me/passkeys/{id}', {
                params: { path: { id: passkey.id } },
                body: { name: name.trim() },
              }),
            );
            setOpen(false);
            onRenamed();
          }, t('passkeys.renamed'))
        }
        submitLabel={t('passkeys.save')}
      >
        <TextInput
          label={t('passkeys.newName')}
          value={name}
          onChange={(event) => setName(event.currentTarget.value)}
          maxLength={100}
          required
          data-autofocus
        />
      </FormDialog>
    </>
  );
}

/** The user's passkeys: enrol one on this device, rename, remove (each with when it was added and last used). */
export function PasskeysScreen() {
  const { identity } = useSignedIn();
  const { t } = useT();
  const passkeys = useLoad(async () => unwrap(await identity.GET('/api/v1/me/passkeys')));
  return (
    <ListScreen
      texts="passkeys"
      list={passkeys}
      before={
        supported() ? (
          <AddPasskey onAdded={passkeys.reload} />
        ) : (
          <Alert color="yellow" role="status">
            {t('passkeys.unsupported')}
          </Alert>
        )
      }
    >
      {(passkey) => (
        <ItemCard
          data-testid="passkey"
          data-name={passkey.name}
          actions={
            <Group gap="xs">
              <RenameButton passkey={passkey} onRenamed={passkeys.reload} />
              <RemoveButton
                texts="passkeys"
                values={{ name: passkey.name }}
                remove={() => identity.DELETE('/api/v1/me/passkeys/{id}', { params: { path: { id: passkey.id } } })}
                reload={passkeys.reload}
              />
            </Group>
          }
        >
          <Stack gap={2}>
            <ItemName
              name={passkey.name}
              badge={
                <Badge color={passkey.synced ? 'blue.9' : 'gray.7'}>
                  {passkey.synced ? t('passkeys.synced') : t('passkeys.deviceBound')}
                </Badge>
              }
            />
            <Text size="sm">
              {t('passkeys.created')}: {formatDate(passkey.createdAt)}
            </Text>
            <Text size="sm">
              {t('passkeys.lastUsed')}: {passkey.lastUsedAt ? formatDate(passkey.lastUsedAt) : t('passkeys.never')}
            </Text>
          </Stack>
        </ItemCard>
      )}
    </ListScreen>
  );
}
