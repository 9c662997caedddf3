import { Alert, Badge, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { type IdentitySchemas, unwrap, useLoad, useSignedIn } from '@platform/web';
import i18next from 'i18next';
import { useState } from 'react';
import { formatDate, useT } from '../i18n';
import { act, ItemCard, ItemName, ListScreen } from './common';
import { RemoveButton } from './confirm';
import { FormDialog } from './dialog';

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
