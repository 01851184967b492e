/**
 * The languages the product speaks, by the tag of their string table, and how a user's BCP 47
 * tag picks one. Shared by the tab (its string tables) and the API (CSV headers), so both
 * answer a given user in the same language.
 */
export const UI_LOCALES = ['en', 'fr', 'pl', 'sv', 'id', 'zh-HK'] as const;
export type UiLocale = (typeof UI_LOCALES)[number];

/** Regions whose Chinese is written in Traditional characters, read by our zh-HK table. */
const traditionalChineseRegions = new Set(['HK', 'TW', 'MO']);

/**
 * The string table for one canonical BCP 47 tag, or null when none fits. Chinese needs the
 * script: Traditional (zh-Hant, or a Hong Kong/Taiwan/Macao region) reads zh-HK, while
 * Simplified or bare `zh` has no table, since showing Traditional text to those readers
 * would be worse than English.
 */
export function matchUiLocale(tag: string): UiLocale | null {
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
  return (UI_LOCALES as readonly string[]).includes(language) ? (language as UiLocale) : null;
}

/**
 * The table an HTTP Accept-Language header asks for: its tags by weight (then by order), the
 * first one we speak; null when none (or no header).
 */
export function uiLocaleFromAcceptLanguage(header: string | undefined): UiLocale | null {
  if (!header) return null;
  const ranked = header
    .split(',')
    .slice(0, 20)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p)).find(Boolean);
      return { tag: tag.trim(), weight: q ? Number(q[1]) : 1, index };
    })
    .filter((x) => x.tag && x.tag !== '*' && x.weight > 0)
    .sort((a, b) => b.weight - a.weight || a.index - b.index);
  for (const { tag } of ranked) {
    const match = matchUiLocale(tag);
    if (match) return match;
  }
  return null;
}
