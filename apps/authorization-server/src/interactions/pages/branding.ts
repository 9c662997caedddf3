/** What a tenant may change on its hosted pages (and emails). Unknown or unsafe values are ignored. */
export interface Branding {
  name: string;
  logoUrl?: string | null;
  primaryColor?: string | null;
  /** A stylesheet of the tenant's own, https only; its origin alone joins the page's style-src. */
  customCssUrl?: string | null;
}

export const PLATFORM_BRANDING: Branding = { name: 'Identity Platform' };

const COLOR = /^#[0-9a-fA-F]{6}$/;
const DEFAULT_ACCENT = '#1f4fd1';
const LIGHT_SURFACE = '#ffffff';
const DARK_SURFACE = '#1c1f25';

/** WCAG 2 relative luminance of a #rrggbb colour. */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** An https URL without credentials, as a string, else null (no javascript:, data:, http: or user:pass@). */
export function httpsUrl(value: string | null | undefined): URL | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && !url.username && !url.password ? url : null;
  } catch {
    return null;
  }
}

/** The theme the layout applies: colours that keep WCAG AA contrast whatever the tenant chose. */
export interface Theme {
  accent: string;
  accentText: string;
  link: string;
  linkDark: string;
  logoUrl: string | null;
  customCss: URL | null;
}

export function themeOf(branding: Branding): Theme {
  const accent = branding.primaryColor && COLOR.test(branding.primaryColor) ? branding.primaryColor : DEFAULT_ACCENT;
  return {
    accent,
    // Button text: whichever of white and near-black reads better on the accent.
    accentText: contrast(accent, '#ffffff') >= contrast(accent, '#111111') ? '#ffffff' : '#111111',
    // Links and outlines take the accent only where it stays readable (4.5:1) on the page's surface.
    link: contrast(accent, LIGHT_SURFACE) >= 4.5 ? accent : DEFAULT_ACCENT,
    linkDark: contrast(accent, DARK_SURFACE) >= 4.5 ? accent : '#9db8ff',
    logoUrl: httpsUrl(branding.logoUrl)?.href ?? null,
    customCss: httpsUrl(branding.customCssUrl),
  };
}
