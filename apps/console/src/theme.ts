import { createTheme } from '@mantine/core';

// Mantine's default blue fails WCAG AA contrast for white text on filled buttons; one shade darker passes.
export const theme = createTheme({ primaryColor: 'blue', primaryShade: { light: 8, dark: 7 } });
