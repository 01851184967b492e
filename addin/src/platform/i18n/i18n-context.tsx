import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { createFormatters, createTranslator, type Formatters, type ResolvedLocale, type Translate } from './i18n';

interface I18nValue {
  locale: ResolvedLocale;
  t: Translate;
  format: Formatters;
}

const I18nContext = createContext<I18nValue | null>(null);

export function I18nProvider({ locale, children }: { locale: ResolvedLocale; children: ReactNode }) {
  const value = useMemo(
    () => ({ locale, t: createTranslator(locale), format: createFormatters(locale) }),
    [locale.uiLocale, locale.formatLocale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n needs an I18nProvider above it');
  return value;
}
