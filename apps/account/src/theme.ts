import { Alert, createTheme } from '@mantine/core';

/**
 * Mantine's defaults, made AA (4.5:1): a primary shade dark enough for white button text, and
 * alert titles in the text colour (the light variant's coloured titles fail on pale backgrounds).
 */
export const theme = createTheme({
  primaryShade: { light: 8, dark: 8 },
  components: { Alert: Alert.extend({ styles: { title: { color: 'var(--mantine-color-text)' } } }) },
});
