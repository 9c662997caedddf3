import { Avatar, Button, Group, SimpleGrid, TextInput } from '@mantine/core';
import { unwrap, useLoad, useSignedIn } from '@platform/web';
import { useEffect, useState } from 'react';
import { useT } from '../i18n';
import { act, Screen } from './common';

const FIELDS = [
  ['given_name', 'profile.givenName'],
  ['family_name', 'profile.familyName'],
  ['name', 'profile.name'],
  ['nickname', 'profile.nickname'],
  ['picture', 'profile.picture'],
  ['website', 'profile.website'],
  ['phone_number', 'profile.phone'],
  ['locale', 'profile.locale'],
  ['zoneinfo', 'profile.zoneinfo'],
] as const;
type Field = (typeof FIELDS)[number][0];

export function ProfileScreen() {
  const { identity } = useSignedIn();
  const { t } = useT();
  const me = useLoad(async () => unwrap(await identity.GET('/api/v1/me')));
  const [values, setValues] = useState<Partial<Record<Field, string>>>({});
  useEffect(() => {
    if (me.data) setValues(me.data.profile as Partial<Record<Field, string>>);
  }, [me.data]);

  const save = async () => {
    // Empty fields are left out: the API validates each claim that is present.
    const profile = Object.fromEntries(
      Object.entries(values).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
    );
    await act(async () => unwrap(await identity.PUT('/api/v1/me/profile', { body: profile })), t('common.saved'));
  };

  return (
    <Screen title={t('profile.title')} loaded={me}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <Group mb="md">
          <Avatar src={values.picture || null} alt="" size="lg" radius="xl" />
          <TextInput label={t('profile.email')} value={me.data?.email ?? ''} readOnly w={320} maw="100%" />
        </Group>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {FIELDS.map(([field, label]) => (
            <TextInput
              key={field}
              label={t(label)}
              description={field === 'picture' ? t('profile.pictureHint') : undefined}
              type={field === 'picture' || field === 'website' ? 'url' : 'text'}
              value={values[field] ?? ''}
              onChange={(event) => {
                const value = event.currentTarget.value;
                setValues((v) => ({ ...v, [field]: value }));
              }}
            />
          ))}
        </SimpleGrid>
        <Button type="submit" mt="md">
          {t('common.save')}
        </Button>
      </form>
    </Screen>
  );
}
