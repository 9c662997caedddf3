import {
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Image,
  List,
  Paper,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { ApiCallError, unwrap, useLoad, useSignedIn } from '@platform/web';
import { useState } from 'react';
import { useT } from '../i18n';
import { act, Screen } from './common';

const POLICY_RULE_OF: Record<string, string> = {
  too_short: 'length',
  too_long: 'length',
  common_password: 'breached',
  contains_user_identifier: 'personal',
  password_reused: 'history',
};

/** The rules a new password must meet, listed before submission; the ones the last attempt broke marked. */
function PasswordPolicy({ broken }: { broken: ReadonlySet<string> }) {
  const { identity } = useSignedIn();
  const { t } = useT();
  const policy = useLoad(async () => unwrap(await identity.GET('/api/v1/me/password-policy')));
  if (!policy.data) return null;
  const { minLength, maxLength, historySize, commonPasswordCheck, userIdentifierCheck } = policy.data;
  const candidates: ([string, string] | false)[] = [
    ['length', t('password.policyLength', { minLength, maxLength })],
    commonPasswordCheck && ['breached', t('password.policyBreached')],
    userIdentifierCheck && ['personal', t('password.policyPersonal')],
    historySize > 0 && ['history', t('password.policyHistory', { count: historySize })],
    ['characters', t('password.policyCharacters')],
  ];
  const rules = candidates.filter((rule): rule is [string, string] => rule !== false);
  return (
    <div id="new-password-policy" data-testid="password-policy">
      <Text size="sm">{t('password.policyTitle')}</Text>
      <List size="sm">
        {rules.map(([rule, text]) => (
          <List.Item key={rule} data-broken={broken.has(rule) || undefined} fw={broken.has(rule) ? 700 : undefined}>
            {text}
            {broken.has(rule) && ` (${t('password.policyBroken')})`}
          </List.Item>
        ))}
      </List>
    </div>
  );
}

/** The API's weak_password / password_reused answer as one message per broken rule. */
function violationsOf(error: unknown): string[] {
  if (!(error instanceof ApiCallError)) return [];
  if (error.code === 'password_reused') return ['password_reused'];
  const listed = (error.details as { violations?: unknown } | undefined)?.violations;
  return error.code === 'weak_password' && Array.isArray(listed)
    ? listed.filter((v): v is string => typeof v === 'string' && v in POLICY_RULE_OF)
    : [];
}

function PasswordChange() {
  const { identity } = useSignedIn();
  const { t } = useT();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  // The rules the last attempt broke, and the numbers its refusal named (minLength).
  const [refusal, setRefusal] = useState<{ violations: string[]; values: object }>({ violations: [], values: {} });
  const mismatch = repeat !== '' && next !== repeat;
  const broken = new Set(refusal.violations.map((v) => POLICY_RULE_OF[v]!));
  return (
    <Paper withBorder p="md">
      <form
        aria-labelledby="password-title"
        onSubmit={(event) => {
          event.preventDefault();
          if (mismatch) return;
          void (async () => {
            try {
              unwrap(
                await identity.POST('/api/v1/me/password', {
                  body: { currentPassword: current, newPassword: next },
                }),
              );
            } catch (error) {
              const violations = violationsOf(error);
              if (violations.length === 0) return act(() => Promise.reject(error));
              setRefusal({ violations, values: (error as ApiCallError).details as object });
              return;
            }
            setRefusal({ violations: [], values: {} });
            setCurrent('');
            setNext('');
            setRepeat('');
            await act(async () => undefined, t('password.changed'));
          })();
        }}
      >
        <Stack>
          <Title order={3} id="password-title">
            {t('password.title')}
          </Title>
          <PasswordInput
            label={t('password.current')}
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            required
          />
          <PasswordInput
            label={t('password.new')}
            autoComplete="new-password"
            value={next}
            onChange={(e) => setNext(e.currentTarget.value)}
            aria-invalid={refusal.violations.length > 0 || undefined}
            aria-describedby={
              refusal.violations.length > 0 ? 'new-password-refused new-password-policy' : 'new-password-policy'
            }
            required
          />
          {refusal.violations.length > 0 && (
            // An alert rather than the input's error style (Mantine's red on white is below AA contrast).
            <Alert color="red" role="alert" id="new-password-refused">
              {refusal.violations.map((v) => t(`password.violations.${v}`, { ...refusal.values })).join(' ')}
            </Alert>
          )}
          <PasswordPolicy broken={broken} />
          <PasswordInput
            label={t('password.confirm')}
            autoComplete="new-password"
            value={repeat}
            onChange={(e) => setRepeat(e.currentTarget.value)}
            error={mismatch ? t('password.mismatch') : undefined}
            required
          />
          <Group>
            <Button type="submit">{t('password.submit')}</Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** A TOTP code field and its button, for the steps that need a current code. */
function CodeForm({
  label,
  onSubmit,
  hint,
  color,
}: {
  label: string;
  hint?: string;
  color?: string;
  onSubmit: (code: string) => Promise<unknown>;
}) {
  const { t } = useT();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        setBusy(true);
        void onSubmit(code)
          .then(() => setCode(''))
          .finally(() => setBusy(false));
      }}
    >
      <Group align="end">
        <TextInput
          label={t('common.code')}
          description={hint ?? t('common.codeHint')}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]{6}"
          maxLength={6}
          value={code}
          onChange={(e) => setCode(e.currentTarget.value.trim())}
          required
          w={260}
        />
        <Button type="submit" color={color} loading={busy}>
          {label}
        </Button>
      </Group>
    </form>
  );
}

function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const { t } = useT();
  return (
    <Alert color="yellow" title={t('totp.recoveryTitle')} role="status">
      <Stack>
        <Text size="sm">{t('totp.recoveryOnce')}</Text>
        <SimpleGrid
          cols={{ base: 2, sm: 4 }}
          component="ul"
          data-testid="recovery-codes"
          style={{ listStyle: 'none', padding: 0, margin: 0 }}
        >
          {codes.map((code) => (
            <li key={code}>
              <Code>{code}</Code>
            </li>
          ))}
        </SimpleGrid>
        <Group>
          <Button variant="default" onClick={onDone}>
            {t('totp.recoveryDone')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

function TwoFactor() {
  const { identity } = useSignedIn();
  const { t } = useT();
  const status = useLoad(async () => unwrap(await identity.GET('/api/v1/me/mfa')));
  const [enrolment, setEnrolment] = useState<{ qrCode: string; secret: string } | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);

  const start = () => act(async () => setEnrolment(unwrap(await identity.POST('/api/v1/me/mfa/totp'))));
  const confirm = (code: string) =>
    act(async () => {
      setCodes(unwrap(await identity.POST('/api/v1/me/mfa/totp/confirm', { body: { code } })).recoveryCodes);
      setEnrolment(null);
      status.reload();
    }, t('totp.enabled'));
  const regenerate = (code: string) =>
    act(async () => {
      setCodes(unwrap(await identity.POST('/api/v1/me/mfa/recovery-codes', { body: { code } })).recoveryCodes);
      status.reload();
    });
  const remove = (code: string) =>
    act(async () => {
      unwrap(await identity.DELETE('/api/v1/me/mfa/totp', { body: { code } }));
      setCodes(null);
      status.reload();
    }, t('totp.removed'));

  const enrolled = status.data?.totpEnrolled === true;
  return (
    <Paper withBorder p="md">
      <Stack>
        <Group justify="space-between">
          <Title order={3}>{t('totp.title')}</Title>
          {status.data && (
            <Badge color={enrolled ? 'teal.9' : 'gray.7'}>{enrolled ? t('totp.enabled') : t('totp.disabled')}</Badge>
          )}
        </Group>
        {codes && <RecoveryCodes codes={codes} onDone={() => setCodes(null)} />}
        {!enrolled && !enrolment && status.data && (
          <Group>
            <Button onClick={() => void start()}>{t('totp.start')}</Button>
          </Group>
        )}
        {enrolment && (
          <Stack>
            <Text size="sm">{t('totp.scan')}</Text>
            <Image src={enrolment.qrCode} alt={t('totp.qrAlt')} w={200} h={200} fit="contain" />
            <Text size="sm">
              {t('totp.manual')} <Code data-testid="totp-secret">{enrolment.secret}</Code>
            </Text>
            <CodeForm label={t('totp.confirm')} onSubmit={confirm} />
          </Stack>
        )}
        {enrolled && (
          <Stack>
            <Text size="sm">{t('totp.recoveryRegenerateHint')}</Text>
            <CodeForm label={t('totp.recoveryRegenerate')} onSubmit={regenerate} />
            <Text size="sm">{t('totp.removeHint')}</Text>
            <CodeForm label={t('totp.remove')} color="red" onSubmit={remove} />
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

export function SecurityScreen() {
  const { t } = useT();
  return (
    <Screen title={t('nav.security')}>
      <PasswordChange />
      <TwoFactor />
    </Screen>
  );
}
