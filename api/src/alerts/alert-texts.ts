import type { UiLocale } from '../../../common/i18n/ui-locale';

/**
 * The notification's words in the six languages, as plain data. Each counted phrase has a form
 * per CLDR plural category the language uses (Intl.PluralRules picks it; `other` is the
 * fallback); `{n}` is the count. French typography: U+00A0 before ":", as in the tab's strings.
 */
/** The kinds of change (alert-rules.ts AlertKind), spelled here so the rules may import this file without a circle. */
type AlertKind = 'quiet' | 'dropped' | 'back';

export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

export interface AlertWords {
  /** The first kind told: "3 of your accounts went quiet". */
  first: Record<AlertKind, PluralForms>;
  /** A further kind, the accounts already named: "1 came back". */
  further: Record<AlertKind, PluralForms>;
  /** Between the kinds, and between account names. */
  kindSeparator: string;
  nameSeparator: string;
  /** Between the summary and the names. */
  colon: string;
  /** After the names shown: " and 2 more". */
  more: PluralForms;
}

export const ALERT_WORDS: Record<UiLocale, AlertWords> = {
  en: {
    first: {
      quiet: { other: '{n} of your accounts went quiet' },
      dropped: { other: '{n} of your accounts dropped in score' },
      back: { other: '{n} of your accounts came back' },
    },
    further: { quiet: { other: '{n} went quiet' }, dropped: { other: '{n} dropped in score' }, back: { other: '{n} came back' } },
    kindSeparator: ', ',
    nameSeparator: ', ',
    colon: ': ',
    more: { other: ' and {n} more' },
  },
  fr: {
    first: {
      quiet: { one: '{n} de vos comptes est devenu silencieux', other: '{n} de vos comptes sont devenus silencieux' },
      dropped: { one: '{n} de vos comptes a vu son score baisser', other: '{n} de vos comptes ont vu leur score baisser' },
      back: { one: '{n} de vos comptes est redevenu actif', other: '{n} de vos comptes sont redevenus actifs' },
    },
    further: {
      quiet: { one: '{n} est devenu silencieux', other: '{n} sont devenus silencieux' },
      dropped: { one: '{n} a vu son score baisser', other: '{n} ont vu leur score baisser' },
      back: { one: '{n} est redevenu actif', other: '{n} sont redevenus actifs' },
    },
    kindSeparator: ', ',
    nameSeparator: ', ',
    colon: '\u00a0: ',
    more: { one: ' et {n} autre', other: ' et {n} autres' },
  },
  pl: {
    first: {
      quiet: { one: '{n} z Twoich kont ucichło', few: '{n} z Twoich kont ucichły', many: '{n} z Twoich kont ucichło', other: '{n} z Twoich kont ucichło' },
      dropped: { one: '{n} z Twoich kont straciło na wyniku', few: '{n} z Twoich kont straciły na wyniku', many: '{n} z Twoich kont straciło na wyniku', other: '{n} z Twoich kont straciło na wyniku' },
      back: { one: '{n} z Twoich kont wróciło do aktywności', few: '{n} z Twoich kont wróciły do aktywności', many: '{n} z Twoich kont wróciło do aktywności', other: '{n} z Twoich kont wróciło do aktywności' },
    },
    further: {
      quiet: { one: '{n} ucichło', few: '{n} ucichły', many: '{n} ucichło', other: '{n} ucichło' },
      dropped: { one: '{n} straciło na wyniku', few: '{n} straciły na wyniku', many: '{n} straciło na wyniku', other: '{n} straciło na wyniku' },
      back: { one: '{n} wróciło do aktywności', few: '{n} wróciły do aktywności', many: '{n} wróciło do aktywności', other: '{n} wróciło do aktywności' },
    },
    kindSeparator: ', ',
    nameSeparator: ', ',
    colon: ': ',
    more: { other: ' i jeszcze {n}' },
  },
  sv: {
    first: {
      quiet: { other: '{n} av dina konton har tystnat' },
      dropped: { other: '{n} av dina konton har fått lägre poäng' },
      back: { one: '{n} av dina konton är aktivt igen', other: '{n} av dina konton är aktiva igen' },
    },
    further: {
      quiet: { other: '{n} har tystnat' },
      dropped: { other: '{n} har fått lägre poäng' },
      back: { one: '{n} är aktivt igen', other: '{n} är aktiva igen' },
    },
    kindSeparator: ', ',
    nameSeparator: ', ',
    colon: ': ',
    more: { other: ' och {n} till' },
  },
  id: {
    first: {
      quiet: { other: '{n} akun Anda menjadi sepi' },
      dropped: { other: '{n} akun Anda skornya turun' },
      back: { other: '{n} akun Anda aktif kembali' },
    },
    further: { quiet: { other: '{n} menjadi sepi' }, dropped: { other: '{n} skornya turun' }, back: { other: '{n} aktif kembali' } },
    kindSeparator: ', ',
    nameSeparator: ', ',
    colon: ': ',
    more: { other: ' dan {n} lainnya' },
  },
  'zh-HK': {
    first: {
      quiet: { other: '你有 {n} 個客戶變得沉寂' },
      dropped: { other: '你有 {n} 個客戶分數下跌' },
      back: { other: '你有 {n} 個客戶恢復活躍' },
    },
    further: { quiet: { other: '{n} 個變得沉寂' }, dropped: { other: '{n} 個分數下跌' }, back: { other: '{n} 個恢復活躍' } },
    kindSeparator: '，',
    nameSeparator: '、',
    colon: '：',
    more: { other: ' 及另外 {n} 個' },
  },
};

/** One counted phrase in a language: the form its plural rules choose for `n`. */
export function counted(locale: UiLocale, forms: PluralForms, n: number): string {
  const category = new Intl.PluralRules(locale).select(n);
  return (forms[category] ?? forms.other).replace('{n}', new Intl.NumberFormat(locale).format(n));
}
