import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Messages } from './strings-en';
import {
  createFormatters,
  createTranslator,
  loadedMessages,
  loadMessages,
  type Formatters,
  type ResolvedLocale,
  type Translate,
} from './i18n';

interface I18nValue {
  locale: ResolvedLocale;
  t: Translate;
  format: Formatters;
}

const I18nContext = createContext<I18nValue | null>(null);

/**
 * Strings and formatters for everything below. A translated table is fetched as its own
 * chunk; until it arrives nothing is rendered (a few milliseconds), so the user never sees
 * English flash before their language.
 */
export function I18nProvider({ locale, children }: { locale: ResolvedLocale; children: ReactNode }) {
  const [table, setTable] = useState<{ uiLocale: string; messages: Messages } | null>(() => {
    const ready = loadedMessages(locale.uiLocale);
    return ready ? { uiLocale: locale.uiLocale, messages: ready } : null;
  });

  useEffect(() => {
    let current = true;
    if (table?.uiLocale === locale.uiLocale) return;
    void loadMessages(locale.uiLocale).then((messages) => {
      if (current) setTable({ uiLocale: locale.uiLocale, messages });
    });
    return () => {
      current = false;
    };
  }, [locale.uiLocale, table?.uiLocale]);

  const messages = table?.uiLocale === locale.uiLocale ? table.messages : null;
  const value = useMemo(
    () => {
      if (!messages) return null;
      const t = createTranslator(locale, messages);
      return { locale, t, format: createFormatters(locale, (date) => t('period.weekOf', { date })) };
    },
    [messages, locale.uiLocale, locale.formatLocale],
  );
  // Screen readers pick their voice and browsers their hyphenation from the document's lang,
  // which must name the language of the text shown, not the formatting locale.
  useEffect(() => {
    document.documentElement.lang = locale.uiLocale;
  }, [locale.uiLocale]);

  if (!value) return null;
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n needs an I18nProvider above it');
  return value;
}
