import { Alert, createTheme, Notification } from '@mantine/core';

/**
 * Mantine's defaults, made AA (4.5:1): a primary shade dark enough for white button text, and
 * alert titles in the text colour (the light variant's coloured titles fail on pale backgrounds),
 * and a titled notification's message in the text colour too (Mantine dims it below AA).
 */
export const theme = createTheme({
  primaryShade: { light: 8, dark: 8 },
  components: {
    Alert: Alert.extend({ styles: { title: { color: 'var(--mantine-color-text)' } } }),
    Notification: Notification.extend({ styles: { description: { color: 'var(--mantine-color-text)' } } }),
  },
});
