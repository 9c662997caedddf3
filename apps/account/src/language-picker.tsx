import { NativeSelect } from '@mantine/core';
import { LANGUAGES, setLanguage, useT } from './i18n';

export function LanguagePicker() {
  const { t, language } = useT();
  return (
    <NativeSelect
      size="xs"
      label={t('app.language')}
      data={LANGUAGES.map((l) => ({ value: l.value, label: l.label }))}
      value={language}
      onChange={(event) => setLanguage(event.currentTarget.value)}
    />
  );
}
