import { describe, expect, it } from 'vitest';
import { alertText, classifyChanges, DEFAULT_ALERT_SETTINGS, groupByOwner, isQuiet, type AccountChange, type YearFact } from '../../../api/src/alerts/alert-rules';
import { ALERT_WORDS } from '../../../api/src/alerts/alert-texts';
import type { UiLocale } from '../../../common/i18n/ui-locale';

const settings = { ...DEFAULT_ALERT_SETTINGS, enabled: true };
const fact = (over: Partial<YearFact> & Pick<YearFact, 'accountId'>): YearFact => ({ name: over.accountId, owner: 'ann@contoso.example', daysSinceLastEmail: 1, daysSinceLastMeeting: 1, score: 50, withheld: false, ...over });
const change = (accountId: string, kind: AccountChange['kind'], owner = 'ann@contoso.example'): AccountChange => ({ accountId, name: accountId, owner, kind });

describe('the stale rule', () => {
  it('when neither an email nor a meeting happened within the threshold (never counts as long ago), then the account is quiet', () => {
    expect(isQuiet({ daysSinceLastEmail: 60, daysSinceLastMeeting: null }, 60)).toBe(true);
    expect(isQuiet({ daysSinceLastEmail: null, daysSinceLastMeeting: null }, 60)).toBe(true);
    expect(isQuiet({ daysSinceLastEmail: 59, daysSinceLastMeeting: 200 }, 60)).toBe(false);
    expect(isQuiet({ daysSinceLastEmail: 200, daysSinceLastMeeting: 10 }, 60)).toBe(false);
  });
});

describe('classifying changes between two runs', () => {
  it('when an account crosses into the stale rule, then it went quiet (even if its score also dropped)', () => {
    const out = classifyChanges([fact({ accountId: 'a', score: 80 })], [fact({ accountId: 'a', daysSinceLastEmail: 61, daysSinceLastMeeting: 70, score: 20 })], settings);
    expect(out).toEqual([change('a', 'quiet')]);
  });

  it('when the score drops by the threshold or more, then it dropped; by less, then nothing', () => {
    const out = classifyChanges(
      [fact({ accountId: 'a', score: 80 }), fact({ accountId: 'b', score: 80 })],
      [fact({ accountId: 'a', score: 65 }), fact({ accountId: 'b', score: 66 })],
      settings,
    );
    expect(out).toEqual([{ ...change('a', 'dropped'), drop: 15 }]);
  });

  it('when a quiet account has an email again, then it came back, unless came-back alerts are off', () => {
    const before = [fact({ accountId: 'a', daysSinceLastEmail: 100, daysSinceLastMeeting: null, score: 5 })];
    const after = [fact({ accountId: 'a', daysSinceLastEmail: 2, daysSinceLastMeeting: null, score: 30 })];
    expect(classifyChanges(before, after, settings)).toEqual([change('a', 'back')]);
    expect(classifyChanges(before, after, { ...settings, cameBack: false })).toEqual([]);
  });

  it('when an account has no owner, is new, or is withheld by the privacy threshold in either run, then nothing is said about it', () => {
    const quiet = { daysSinceLastEmail: 100, daysSinceLastMeeting: 100, score: 0 };
    const out = classifyChanges(
      [fact({ accountId: 'a' }), fact({ accountId: 'c', withheld: true, score: null }), fact({ accountId: 'd' })],
      [fact({ accountId: 'a', owner: null, ...quiet }), fact({ accountId: 'b', ...quiet }), fact({ accountId: 'c', ...quiet }), fact({ accountId: 'd', withheld: true, score: null, daysSinceLastEmail: null, daysSinceLastMeeting: null })],
      settings,
    );
    expect(out).toEqual([]);
  });

  it('when the quiet threshold changes, then the same figures classify differently', () => {
    const before = [fact({ accountId: 'a', daysSinceLastEmail: 20, daysSinceLastMeeting: 20 })];
    const after = [fact({ accountId: 'a', daysSinceLastEmail: 35, daysSinceLastMeeting: 35 })];
    expect(classifyChanges(before, after, settings)).toEqual([]);
    expect(classifyChanges(before, after, { ...settings, quietDays: 30 })).toEqual([change('a', 'quiet')]);
  });
});

describe('grouping per owner and the words', () => {
  it('when one owner has several changed accounts, then they get one alert ordered by kind then name; owners compare without case', () => {
    const groups = groupByOwner([change('z', 'back'), change('b', 'quiet', 'ANN@contoso.example'), change('a', 'quiet'), change('m', 'dropped'), change('x', 'quiet', 'bo@contoso.example')]);
    expect(groups.map((g) => g.owner)).toEqual(['ann@contoso.example', 'bo@contoso.example']);
    expect(groups[0]!.accounts.map((a) => a.accountId)).toEqual(['a', 'b', 'm', 'z']);
  });

  it('when all changes are of one kind, then the text counts them and names up to three accounts', () => {
    const alert = groupByOwner(['Zenith Chemicals', 'Acme', 'Borealis', 'Delta'].map((n) => ({ ...change(n, 'quiet'), name: n })))[0]!;
    expect(alertText(alert).preview).toBe('4 of your accounts went quiet: Acme, Borealis, Delta and 1 more');
    expect(alertText(groupByOwner([{ ...change('z', 'dropped'), name: 'Zenith Chemicals' }])[0]!).preview).toBe('1 of your accounts dropped in score: Zenith Chemicals');
  });

  it('when kinds are mixed, then one text summarises each kind, within the 150 characters Teams shows', () => {
    const alert = groupByOwner([change('a', 'quiet'), change('b', 'quiet'), change('c', 'back'), { ...change('d', 'dropped'), name: 'D'.repeat(200) }])[0]!;
    const { summary, preview } = alertText(alert);
    expect(summary).toBe('2 of your accounts went quiet, 1 dropped in score, 1 came back');
    expect(preview.length).toBeLessThanOrEqual(150);
    expect(preview.startsWith(`${summary}: a, b, `)).toBe(true);
  });
});

describe('the notification in the owner\'s language', () => {
  const one = groupByOwner([{ ...change('z', 'quiet'), name: 'Zenith' }])[0]!;
  const three = groupByOwner(['Acme', 'Borealis', 'Zenith'].map((name) => ({ ...change(name, 'quiet'), name })))[0]!;
  const mixed = groupByOwner([change('a', 'quiet'), change('b', 'quiet'), change('c', 'quiet'), change('d', 'back')])[0]!;
  const cases: Array<[UiLocale, string, string, string]> = [
    ['en', '1 of your accounts went quiet: Zenith', '3 of your accounts went quiet: Acme, Borealis, Zenith', '3 of your accounts went quiet, 1 came back: a, b, c and 1 more'],
    ['fr', '1 de vos comptes est devenu silencieux\u00a0: Zenith', '3 de vos comptes sont devenus silencieux\u00a0: Acme, Borealis, Zenith', '3 de vos comptes sont devenus silencieux, 1 est redevenu actif\u00a0: a, b, c et 1 autre'],
    ['pl', '1 z Twoich kont ucichło: Zenith', '3 z Twoich kont ucichły: Acme, Borealis, Zenith', '3 z Twoich kont ucichły, 1 wróciło do aktywności: a, b, c i jeszcze 1'],
    ['sv', '1 av dina konton har tystnat: Zenith', '3 av dina konton har tystnat: Acme, Borealis, Zenith', '3 av dina konton har tystnat, 1 är aktivt igen: a, b, c och 1 till'],
    ['id', '1 akun Anda menjadi sepi: Zenith', '3 akun Anda menjadi sepi: Acme, Borealis, Zenith', '3 akun Anda menjadi sepi, 1 aktif kembali: a, b, c dan 1 lainnya'],
    ['zh-HK', '你有 1 個客戶變得沉寂：Zenith', '你有 3 個客戶變得沉寂：Acme、Borealis、Zenith', '你有 3 個客戶變得沉寂，1 個恢復活躍：a、b、c 及另外 1 個'],
  ];
  it.each(cases)('when the owner reads %s, then 1 and 3 accounts take that language\'s plural forms', (locale, forOne, forThree, forMixed) => {
    expect(alertText(one, locale).preview).toBe(forOne);
    expect(alertText(three, locale).preview).toBe(forThree);
    expect(alertText(mixed, locale).preview).toBe(forMixed);
  });

  it('when Polish counts five accounts, then the many form is used', () => {
    const five = groupByOwner(['a', 'b', 'c', 'd', 'e'].map((id) => change(id, 'quiet')))[0]!;
    expect(alertText(five, 'pl').summary).toBe('5 z Twoich kont ucichło');
  });

  it('when every language\'s words are read, then French puts U+00A0 before ":" and U+202F before ";?!", and none has a space before them otherwise', () => {
    const strings = (x: unknown): string[] => (typeof x === 'string' ? [x] : Object.values(x as object).flatMap(strings));
    for (const [locale, words] of Object.entries(ALERT_WORDS)) {
      const texts = strings(words).join('|');
      if (locale === 'fr') expect(texts).not.toMatch(/(^|[^\u00a0])[:]|(^|[^\u202f])[;?!]/);
      else expect(texts).not.toMatch(/[\u00a0\u202f]/);
    }
  });
});
