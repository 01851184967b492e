import { stringsEn, type Messages, type StringKey } from './strings-en';

/**
 * Translated string tables, keyed by the tag used for `lang` and for matching. Each is its
 * own chunk loaded on demand: a user reads one language, and the first page's JavaScript
 * budget has no room for six tables. Adding a locale = one file + one entry here (and a rule
 * in `matchUiLocale` if its tag is not a plain language code).
 */
const loaders: Record<string, () => Promise<Messages>> = {
  fr: () => import('./strings-fr').then((m) => m.stringsFr),
  pl: () => import('./strings-pl').then((m) => m.stringsPl),
  sv: () => import('./strings-sv').then((m) => m.stringsSv),
  id: () => import('./strings-id').then((m) => m.stringsId),
  'zh-HK': () => import('./strings-zh-hk').then((m) => m.stringsZhHk),
};

/** Tables already in memory; English ships with the entry chunk. */
const loaded: Record<string, Messages> = { en: stringsEn };

export const supportedUiLocales = ['en', ...Object.keys(loaders)];

/**
 * The string table of a supported UI locale, loading its chunk once; English when the locale
 * has no table or its chunk cannot be fetched (a half-translated screen is worse than English).
 */
export async function loadMessages(uiLocale: string): Promise<Messages> {
  const cached = loaded[uiLocale];
  if (cached) return cached;
  const load = loaders[uiLocale];
  if (!load) return stringsEn;
  try {
    const messages = await load();
    loaded[uiLocale] = messages;
    return messages;
  } catch {
    return stringsEn;
  }
}

/** The table of a locale if it is already loaded (no fetch), else undefined. */
export function loadedMessages(uiLocale: string): Messages | undefined {
  return loaded[uiLocale];
}

export interface ResolvedLocale {
  /** Tag of the string table used for UI text, e.g. `en` or `zh-HK`; also the document `lang`. */
  uiLocale: string;
  /**
   * Locale for Intl formatting. It keeps the user's own locale (e.g. `de-DE`) even when the
   * strings fall back to English, so dates and numbers still look familiar.
   */
  formatLocale: string;
}

/** Regions whose Chinese is written in Traditional characters, read by our zh-HK table. */
const traditionalChineseRegions = new Set(['HK', 'TW', 'MO']);

/**
 * The string table for one canonical BCP 47 tag, or null when none fits. Chinese needs the
 * script: Traditional (zh-Hant, or a Hong Kong/Taiwan/Macao region) reads zh-HK, while
 * Simplified or bare `zh` has no table, since showing Traditional text to those readers
 * would be worse than English.
 */
export function matchUiLocale(tag: string): string | null {
  let parsed: Intl.Locale;
  try {
    parsed = new Intl.Locale(tag);
  } catch {
    return null;
  }
  const language = parsed.language.toLowerCase();
  if (language === 'zh') {
    const script = parsed.script?.toLowerCase();
    if (script === 'hant') return 'zh-HK';
    if (script === 'hans') return null;
    return parsed.region && traditionalChineseRegions.has(parsed.region.toUpperCase()) ? 'zh-HK' : null;
  }
  // Norwegian or Danish readers are not served Swedish: only an exact language match counts.
  return supportedUiLocales.includes(language) ? language : null;
}

/**
 * The `?locale=` override of the page URL (standalone testing and support), or null. Only
 * read outside Teams, where no host context says which language the user chose.
 */
export function localeOverrideFromSearch(search: string): string | null {
  const value = new URLSearchParams(search).get('locale');
  return value && value.trim() ? value.trim() : null;
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
  const ui = valid.map(matchUiLocale).find((match): match is string => match !== null) ?? 'en';
  return { uiLocale: ui, formatLocale };
}

export type Translate = (key: StringKey, params?: Record<string, string | number>) => string;

/**
 * Build a translator for a UI locale from its table (by default the loaded one; English until
 * it is loaded). Numbers in params are formatted with the format locale;
 * an unknown placeholder is left visible rather than dropped so the gap is noticed.
 */
export function createTranslator(locale: ResolvedLocale, messages: Messages = loaded[locale.uiLocale] ?? stringsEn): Translate {
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
