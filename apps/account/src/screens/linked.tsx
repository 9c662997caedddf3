import { Alert, Button, Group, Stack, Text, Title } from '@mantine/core';
import { unwrap, useLoad, useSignedIn } from '@platform/web';
import { useState } from 'react';
import { useLocation } from 'react-router';
import { formatDate, useT } from '../i18n';
import { act, ItemCard, ListScreen } from './common';
import { RemoveButton } from './confirm';

const LINK_ERRORS = ['expired', 'cancelled', 'failed', 'taken'] as const;

/** How the last "Link" round trip ended: the authorization server comes back with ?linked=<slug> or ?link_error=<code>. */
function useLinkOutcome() {
  const query = new URLSearchParams(useLocation().search);
  const linked = query.get('linked');
  const error = LINK_ERRORS.find((code) => code === query.get('link_error'));
  return { linked, error };
}

export function LinkedScreen() {
  const { identity, authz } = useSignedIn();
  const { t } = useT();
  const links = useLoad(async () => unwrap(await identity.GET('/api/v1/me/external-identities')));
  const providers = useLoad(async () => unwrap(await authz.GET('/api/v1/me/external-identities/providers')));
  const outcome = useLinkOutcome();
  const [starting, setStarting] = useState<string | null>(null);
  const linkedSlugs = new Set((links.data ?? []).map((link) => link.providerSlug));
  const linkable = (providers.data ?? []).filter((p) => !linkedSlugs.has(p.slug));
  const nameOf = (slug: string) => providers.data?.find((p) => p.slug === slug)?.displayName ?? slug;

  /** Off to the provider (a page navigation); the authorization server brings the browser back here. */
  const link = (slug: string) =>
    act(async () => {
      setStarting(slug);
      try {
        const { url } = unwrap(await authz.POST('/api/v1/me/external-identities/link', { body: { provider: slug } }));
        location.assign(url);
      } catch (error) {
        setStarting(null);
        throw error;
      }
    });

  return (
    <ListScreen
      texts="linked"
      list={links}
      before={
        <>
          {outcome.linked && (
            <Alert color="green" role="status">
              {t('linked.linkedNow', { provider: nameOf(outcome.linked) })}
            </Alert>
          )}
          {outcome.error && (
            <Alert color="red" role="alert">
              {t(`linked.linkErrors.${outcome.error}`)}
            </Alert>
          )}
        </>
      }
      after={
        <>
          <Title order={3}>{t('linked.linkTitle')}</Title>
          {linkable.length > 0 ? (
            <>
              <Text size="sm">{t('linked.linkIntro')}</Text>
              <Group>
                {linkable.map((provider) => (
                  <Button
                    key={provider.slug}
                    variant="default"
                    loading={starting === provider.slug}
                    onClick={() => void link(provider.slug)}
                  >
                    {t('linked.linkWith', { provider: provider.displayName })}
                  </Button>
                ))}
              </Group>
            </>
          ) : (
            !providers.loading && <Text size="sm">{t('linked.noProviders')}</Text>
          )}
        </>
      }
    >
      {(link) => (
        <ItemCard
          align="center"
          actions={
            <RemoveButton
              texts="linked"
              remove={() =>
                identity.DELETE('/api/v1/me/external-identities/{linkId}', { params: { path: { linkId: link.id } } })
              }
              reload={links.reload}
            />
          }
        >
          <Stack gap={2}>
            <Text fw={600}>{link.providerName}</Text>
            <Text size="sm">
              {t('linked.email')}: {link.email ?? '—'}
            </Text>
            <Text size="xs" c="dimmed">
              {t('linked.since')} {formatDate(link.linkedAt)}
            </Text>
          </Stack>
        </ItemCard>
      )}
    </ListScreen>
  );
}
