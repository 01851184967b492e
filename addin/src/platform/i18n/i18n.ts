import { stringsEn, type Messages, type StringKey } from './strings-en';

/** Locales with a full string table. Adding one = one file + one entry here. */
const catalogues: Record<string, Messages> = { en: stringsEn };

export const supportedUiLocales = Object.keys(catalogues);

export interface ResolvedLocale {
  /** Language of the string table used for UI text, e.g. `en`. */
  uiLocale: string;
  /**
   * Locale for Intl formatting. It keeps the user's own locale (e.g. `de-DE`) even when the
   * strings fall back to English, so dates and numbers still look familiar.
   */
  formatLocale: string;
}

/** Canonicalise a BCP 47 tag, or return null when the platform rejects it. */
function canonical(tag: string): string | null {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null;
  } catch {
    return null;
  }
}

/**
 * Pick the UI and formatting locales from candidates in order of preference (Teams context
 * locale first, then navigator.language). Empty or invalid tags are skipped.
 */
export function resolveLocale(candidates: ReadonlyArray<string | null | undefined>): ResolvedLocale {
  const valid = candidates.map((c) => (c ? canonical(c.trim()) : null)).filter((c): c is string => !!c);
  const formatLocale = valid[0] ?? 'en-US';
  const ui =
    valid.map((tag) => tag.split('-')[0]!.toLowerCase()).find((lang) => lang in catalogues) ?? 'en';
  return { uiLocale: ui, formatLocale };
}

export type Translate = (key: StringKey, params?: Record<string, string | number>) => string;

/**
 * Build a translator for a UI locale. Numbers in params are formatted with the format locale;
 * an unknown placeholder is left visible rather than dropped so the gap is noticed.
 */
export function createTranslator(locale: ResolvedLocale): Translate {
  const messages = catalogues[locale.uiLocale] ?? stringsEn;
  const numberFormat = new Intl.NumberFormat(locale.formatLocale);
  return (key, params) => {
    const template = messages[key];
    if (!params) return template;
    return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
      const value = params[name];
      if (value === undefined) return whole;
      return typeof value === 'number' ? numberFormat.format(value) : value;
    });
  };
}

export interface Formatters {
  number(value: number): string;
  date(value: string | Date): string;
  /** Country or region name for an ISO 3166 code, falling back to the code itself. */
  region(code: string): string;
}

export function createFormatters(locale: ResolvedLocale): Formatters {
  const numberFormat = new Intl.NumberFormat(locale.formatLocale);
  const dateFormat = new Intl.DateTimeFormat(locale.formatLocale, { dateStyle: 'medium' });
  let regions: Intl.DisplayNames | null = null;
  try {
    regions = new Intl.DisplayNames([locale.formatLocale], { type: 'region' });
  } catch {
    regions = null;
  }
  return {
    number: (value) => numberFormat.format(value),
    date: (value) => {
      const d = typeof value === 'string' ? new Date(value) : value;
      return Number.isNaN(d.getTime()) ? String(value) : dateFormat.format(d);
    },
    region: (code) => {
      const upper = code.trim().toUpperCase();
      if (!/^[A-Z]{2}$/.test(upper) || !regions) return code;
      return regions.of(upper) ?? upper;
    },
  };
}
