import { matchUiLocale, UI_LOCALES, type UiLocale } from '../../../../common/i18n/ui-locale';
import { stringsEn, type Messages, type StringKey } from './strings-en';

/**
 * Translated string tables, keyed by the tag used for `lang` and for matching. Each is its
 * own chunk loaded on demand: a user reads one language, and the first page's JavaScript
 * budget has no room for six tables. Adding a locale = one file + one entry here, its tag in
 * `UI_LOCALES` (common/i18n/ui-locale.ts, shared with the API) and its column names there.
 */
const loaders: Record<Exclude<UiLocale, 'en'>, () => Promise<Messages>> = {
  fr: () => import('./strings-fr').then((m) => m.stringsFr),
  pl: () => import('./strings-pl').then((m) => m.stringsPl),
  sv: () => import('./strings-sv').then((m) => m.stringsSv),
  id: () => import('./strings-id').then((m) => m.stringsId),
  'zh-HK': () => import('./strings-zh-hk').then((m) => m.stringsZhHk),
};

/** Tables already in memory; English ships with the entry chunk. */
const loaded: Record<string, Messages> = { en: stringsEn };

export const supportedUiLocales: readonly string[] = UI_LOCALES;
export { matchUiLocale };

/**
 * The string table of a supported UI locale, loading its chunk once; English when the locale
 * has no table or its chunk cannot be fetched (a half-translated screen is worse than English).
 */
export async function loadMessages(uiLocale: string): Promise<Messages> {
  const cached = loaded[uiLocale];
  if (cached) return cached;
  const load = loaders[uiLocale as keyof typeof loaders];
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
  const ui = valid.map(matchUiLocale).find((match): match is UiLocale => match !== null) ?? 'en';
  return { uiLocale: ui, formatLocale };
}

export type Translate = (key: StringKey, params?: Record<string, string | number>) => string;

/**
 * A plural block of a string, `{name, plural, one {# day} other {# days}}`: the subset of
 * ICU MessageFormat the tables use. Each branch names a CLDR plural category of the string's
 * language (Polish needs one/few/many/other; Indonesian and Chinese only other) and may hold
 * `#` (the count, formatted for the locale) and other `{placeholders}`.
 */
export interface PluralBlock {
  /** The parameter whose number picks the branch. */
  name: string;
  /** Branch text by category, in the order written. */
  forms: Record<string, string>;
  /** Where the block starts and ends (exclusive) in the template. */
  start: number;
  end: number;
}

const pluralHead = /\{\s*(\w+)\s*,\s*plural\s*,/;

/** The text between the brace at `open` and its matching close brace, or null when unbalanced. */
function braced(text: string, open: number): { body: string; end: number } | null {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    if (text[i] === '{') depth += 1;
    else if (text[i] === '}') {
      depth -= 1;
      if (depth === 0) return { body: text.slice(open + 1, i), end: i + 1 };
    }
  }
  return null;
}

/**
 * The top-level plural blocks of a template. A malformed block is an error: the tables are
 * code, and the unit test reads every string through this, so a typo fails the build's tests
 * rather than showing braces to a user.
 */
export function pluralBlocks(template: string): PluralBlock[] {
  const blocks: PluralBlock[] = [];
  const heads = new RegExp(pluralHead.source, 'g');
  let head: RegExpExecArray | null;
  while ((head = heads.exec(template))) {
    const start = head.index;
    const forms: Record<string, string> = {};
    let i = heads.lastIndex;
    for (;;) {
      while (/\s/.test(template[i] ?? '')) i += 1;
      if (template[i] === '}') break;
      const category = /^\w+/.exec(template.slice(i))?.[0];
      if (!category) throw new Error(`Malformed plural block in "${template}"`);
      i += category.length;
      while (/\s/.test(template[i] ?? '')) i += 1;
      const branch = template[i] === '{' ? braced(template, i) : null;
      if (!branch || Object.hasOwn(forms, category)) throw new Error(`Malformed plural block in "${template}"`);
      forms[category] = branch.body;
      i = branch.end;
    }
    if (!Object.hasOwn(forms, 'other')) throw new Error(`Plural block without "other" in "${template}"`);
    blocks.push({ name: head[1]!, forms, start, end: i + 1 });
    heads.lastIndex = i + 1;
  }
  return blocks;
}

/** A parameter as a number for plural selection; a pre-formatted string counts as "other". */
function countOf(value: string | number | undefined): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return null;
}

/**
 * Build a translator for a UI locale from its table (by default the loaded one; English until
 * it is loaded). Plural forms follow the rules of the table's language (`uiLocale`: the words
 * are in that language), while numbers in params are formatted with the format locale; an
 * unknown placeholder is left visible rather than dropped so the gap is noticed.
 */
export function createTranslator(locale: ResolvedLocale, messages: Messages = loaded[locale.uiLocale] ?? stringsEn): Translate {
  const numberFormat = new Intl.NumberFormat(locale.formatLocale);
  const pluralRules = new Intl.PluralRules(locale.uiLocale);
  const parsed = new Map<string, PluralBlock[]>();
  const blocksOf = (template: string) => {
    let blocks = parsed.get(template);
    if (!blocks) parsed.set(template, (blocks = pluralBlocks(template)));
    return blocks;
  };
  const show = (value: string | number) => (typeof value === 'number' ? numberFormat.format(value) : value);
  // Text outside plural blocks gets its placeholders (and, inside a branch, `#`) filled; each
  // block's chosen branch is filled the same way with its own count as `#`. Filling piece by
  // piece means a value that happens to contain braces is never read as a placeholder.
  const fill = (template: string, params: Record<string, string | number>, hash?: string): string => {
    const plain = (piece: string) =>
      piece.replace(/\{(\w+)\}|#/g, (whole, name: string | undefined) => {
        if (name === undefined) return hash ?? whole;
        const value = params[name];
        return value === undefined ? whole : show(value);
      });
    let text = '';
    let from = 0;
    for (const block of blocksOf(template)) {
      const value = params[block.name];
      const count = countOf(value);
      const form = (count === null ? undefined : block.forms[pluralRules.select(count)]) ?? block.forms.other!;
      text += plain(template.slice(from, block.start)) + fill(form, params, value === undefined ? '#' : show(value));
      from = block.end;
    }
    return text + plain(template.slice(from));
  };
  return (key, params) => {
    const template = messages[key];
    if (!params) return template;
    return fill(template, params);
  };
}

export interface Formatters {
  number(value: number): string;
  date(value: string | Date): string;
  /** Country or region name for an ISO 3166 code, falling back to the code itself. */
  region(code: string): string;
  /**
   * A duration given in minutes, in the unit a person would use and the locale's own words:
   * minutes under an hour, hours under two days, then days (reply times can run to weeks).
   * The one rule for every duration the tab shows: grid, card, measures.
   */
  duration(minutes: number): string;
  /**
   * The period a Week or Month row covers, as people say it: "Week of 24 Nov 2025",
   * "November 2025" (periods start at midnight UTC, so they are read in UTC).
   */
  period(level: 'Year' | 'Month' | 'Week', start: string): string;
}

/** `weekOf` turns a formatted date into the locale's "Week of {date}". */
export function createFormatters(locale: ResolvedLocale, weekOf: (date: string) => string = (date) => date): Formatters {
  const numberFormat = new Intl.NumberFormat(locale.formatLocale);
  const dateFormat = new Intl.DateTimeFormat(locale.formatLocale, { dateStyle: 'medium' });
  const utcDate = new Intl.DateTimeFormat(locale.formatLocale, { dateStyle: 'medium', timeZone: 'UTC' });
  const monthYear = new Intl.DateTimeFormat(locale.formatLocale, { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const units = new Map<string, Intl.NumberFormat>();
  const unit = (value: number, name: 'minute' | 'hour' | 'day', digits: number) => {
    const key = `${name}:${digits}`;
    let f = units.get(key);
    if (!f) units.set(key, (f = new Intl.NumberFormat(locale.formatLocale, { style: 'unit', unit: name, unitDisplay: 'long', maximumFractionDigits: digits })));
    return f.format(value);
  };
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
    duration: (minutes) => {
      if (minutes < 60) return unit(Math.round(minutes), 'minute', 0);
      if (minutes < 48 * 60) return unit(minutes / 60, 'hour', 1);
      return unit(minutes / (24 * 60), 'day', 1);
    },
    period: (level, start) => {
      const d = new Date(start);
      if (Number.isNaN(d.getTime())) return start;
      if (level === 'Month') return monthYear.format(d);
      if (level === 'Week') return weekOf(utcDate.format(d));
      return utcDate.format(d);
    },
  };
}
