import {
  ColorInput,
  type CSSVariablesResolver,
  createTheme,
  DEFAULT_THEME,
  type MantineColorsTuple,
  Modal,
  Notification,
  Table,
} from '@mantine/core';

/** A palette whose darkest shade reads at 4.5:1 or better on white and on its own light tint (WCAG AA). */
const darkest = (name: keyof typeof DEFAULT_THEME.colors, shade9: string): MantineColorsTuple => {
  const colors = [...DEFAULT_THEME.colors[name]];
  colors[9] = shade9;
  return colors as unknown as MantineColorsTuple;
};

// Mantine's default shades put white text on filled buttons and badges below AA contrast; the
// console uses shade 9 of palettes tuned so that it passes.
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 9, dark: 7 },
  colors: {
    green: darkest('green', '#1e6b30'),
    orange: darkest('orange', '#a8400c'),
    red: darkest('red', '#b42323'),
    teal: darkest('teal', '#0c5f55'),
    yellow: darkest('yellow', '#7a5600'),
  },
  components: {
    // Mantine's dialog close button has no accessible name of its own.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    // Its message under a title is gray 6 (3.3:1 on white): gray 7 reads at AA.
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss' } },
      styles: { description: { color: 'var(--mantine-color-gray-7)' } },
    }),
    // A colour field with a swatch: the picker's unlabelled sliders fail axe (and the hex is what the API stores).
    ColorInput: ColorInput.extend({ defaultProps: { withPicker: false, withEyeDropper: false } }),
    // A table wider than a phone scrolls inside its container: focusable, it scrolls by keyboard too
    // (axe scrollable-region-focusable, on a table without links or buttons in it).
    TableScrollContainer: Table.ScrollContainer.extend({
      defaultProps: { scrollAreaProps: { viewportProps: { tabIndex: 0 } } },
    }),
  },
});

/** Dimmed text (descriptions) and error red darker than Mantine's defaults: 4.5:1 on white (WCAG AA). */
export const cssVariables: CSSVariablesResolver = (t) => ({
  variables: {},
  light: { '--mantine-color-dimmed': t.colors.gray[7], '--mantine-color-error': t.colors.red[9] },
  dark: {},
});
