import { describe, expect, it } from 'vitest';
import { landingPage, navPagesFor, pageFor, parsePageParam, urlForPage } from '../../addin/src/platform/navigation/page-id';
import { createFormatters, createTranslator, resolveLocale } from '../../addin/src/platform/i18n/i18n';
import { stringsEn } from '../../addin/src/platform/i18n/strings-en';
import { isFramed, withTimeout } from '../../addin/src/platform/teams/use-teams-host';
import { parseThemeParam, standaloneTheme, themeFromTeams } from '../../addin/src/platform/theme/theme-name';

/** The tab's small pure pieces: locale choice, strings, themes, page ids, host detection. */

describe('resolveLocale', () => {
  it('when Teams gives a locale, then it wins over the browser language for formatting', () => {
    expect(resolveLocale(['de-DE', 'en-GB'])).toEqual({ uiLocale: 'en', formatLocale: 'de-DE' });
  });

  it('when the first candidate is empty or invalid, then the next valid one is used', () => {
    expect(resolveLocale([undefined, '', 'not a locale!', 'fr-ca'])).toEqual({ uiLocale: 'fr', formatLocale: 'fr-CA' });
  });

  it('when nothing usable is given, then it falls back to en-US', () => {
    expect(resolveLocale([null, undefined])).toEqual({ uiLocale: 'en', formatLocale: 'en-US' });
  });
});

describe('createTranslator', () => {
  it('when a string has placeholders, then they are filled and numbers use the format locale', () => {
    const t = createTranslator({ uiLocale: 'en', formatLocale: 'de-DE' });
    expect(t('customers.total', { count: 12345 })).toBe('12.345 customers');
    expect(t('header.signedInAs', { name: 'Ada' })).toBe('Signed in as Ada');
  });

  it('when a placeholder has no value, then it stays visible', () => {
    const t = createTranslator({ uiLocale: 'en', formatLocale: 'en-US' });
    expect(t('header.signedInAs', {})).toBe('Signed in as {name}');
  });

  it('when the UI locale has no table, then English strings are used', () => {
    const t = createTranslator({ uiLocale: 'xx', formatLocale: 'en-US' });
    expect(t('app.name')).toBe(stringsEn['app.name']);
  });
});

describe('createFormatters', () => {
  it('when a country code is formatted, then its name in the format locale is returned', () => {
    expect(createFormatters({ uiLocale: 'en', formatLocale: 'en-US' }).region('gb')).toBe('United Kingdom');
    expect(createFormatters({ uiLocale: 'en', formatLocale: 'de-DE' }).region('DE')).toBe('Deutschland');
  });

  it('when the country code is not two letters, then it is shown as given', () => {
    expect(createFormatters({ uiLocale: 'en', formatLocale: 'en-US' }).region('Atlantis')).toBe('Atlantis');
  });

  it('when a date string is invalid, then it is shown as given instead of "Invalid Date"', () => {
    const format = createFormatters({ uiLocale: 'en', formatLocale: 'en-GB' });
    expect(format.date('soon')).toBe('soon');
    expect(format.date('2026-03-02T09:30:00Z')).toBe('2 Mar 2026');
  });
});

describe('themes', () => {
  it('when Teams reports default, dark, contrast or glass, then they map to light, dark, contrast, light', () => {
    expect(['default', 'dark', 'contrast', 'glass', 'unknown'].map(themeFromTeams)).toEqual([
      'light',
      'dark',
      'contrast',
      'light',
      'light',
    ]);
  });

  it('when ?theme= is given, then only the three known names are accepted', () => {
    expect([' Dark ', 'contrast', 'light', 'glass', null].map(parseThemeParam)).toEqual(['dark', 'contrast', 'light', null, null]);
  });

  it('when standalone, then the override beats forced colours, which beat the colour scheme', () => {
    expect(standaloneTheme({ override: 'light', prefersDark: true, forcedColors: true })).toBe('light');
    expect(standaloneTheme({ override: null, prefersDark: true, forcedColors: true })).toBe('contrast');
    expect(standaloneTheme({ override: null, prefersDark: true, forcedColors: false })).toBe('dark');
    expect(standaloneTheme({ override: null, prefersDark: false, forcedColors: false })).toBe('light');
  });
});

describe('page ids', () => {
  it('when ?page= is unknown or missing, then no page is named (the landing page is chosen by role)', () => {
    expect([null, 'admin', 'CUSTOMERS', 'segments'].map(parsePageParam)).toEqual([null, null, 'customers', 'segments']);
  });

  it('when a seller opens the tab, then they land on Customers and see no admin page', () => {
    expect(landingPage(false)).toBe('customers');
    expect(navPagesFor(false)).toEqual(['customers', 'results', 'segments']);
    expect(pageFor(null, false)).toBe('customers');
    for (const admin of ['enrichments', 'datasets', 'enrichment-wizard', 'enrichment'] as const) expect(pageFor(admin, false)).toBe('customers');
    expect(pageFor('results', false)).toBe('results');
  });

  it('when an admin opens the tab, then they land on Enrichments with every page in the navigation', () => {
    expect(landingPage(true)).toBe('enrichments');
    expect(navPagesFor(true)).toEqual(['customers', 'results', 'segments', 'enrichments', 'datasets']);
    expect(pageFor('datasets', true)).toBe('datasets');
  });

  it('when navigating, then the tab-wide parameters are kept and the previous page\'s own are dropped', () => {
    expect(urlForPage('https://tab.example/?theme=dark&page=customers&accountId=A1&q=north&locale=fr', 'segments')).toBe(
      'https://tab.example/?theme=dark&locale=fr&page=segments',
    );
    expect(urlForPage('https://tab.example/?page=results&view=data&enrichmentId=e1', 'customers', { accountId: 'A1', enrichmentId: 'e1', from: null })).toBe(
      'https://tab.example/?page=customers&accountId=A1&enrichmentId=e1',
    );
  });
});

describe('formatters', () => {
  const en = createFormatters({ uiLocale: 'en', formatLocale: 'en-GB' }, (date) => `Week of ${date}`);
  it('when a duration is given in minutes, then minutes under an hour, hours under two days, then days', () => {
    expect(en.duration(42.4)).toBe('42 minutes');
    expect(en.duration(750)).toBe('12.5 hours');
    expect(en.duration(1029.047)).toBe('17.2 hours');
    expect(en.duration(47 * 60)).toBe('47 hours');
    expect(en.duration(48 * 60)).toBe('2 days');
    expect(en.duration(5 * 24 * 60 + 720)).toBe('5.5 days');
  });

  it('when a Week or Month period is shown, then it reads "Week of 24 Nov 2025" or "November 2025" in UTC', () => {
    expect(en.period('Week', '2025-11-24T00:00:00.000Z')).toBe('Week of 24 Nov 2025');
    expect(en.period('Month', '2025-11-01T00:00:00.000Z')).toBe('November 2025');
    const fr = createFormatters({ uiLocale: 'fr', formatLocale: 'fr-FR' }, (date) => `Semaine du ${date}`);
    expect(fr.period('Month', '2025-11-01T00:00:00.000Z')).toBe('novembre 2025');
    expect(fr.duration(90)).toBe('1,5\u00a0heure');
  });
});

describe('host detection helpers', () => {
  it('when a window is its own top, then it is not framed; when top differs or throws, it is', () => {
    const self = {} as Window;
    expect(isFramed({ self, top: self } as unknown as Window)).toBe(false);
    expect(isFramed({ self, top: {} } as unknown as Window)).toBe(true);
    const crossOrigin = {
      self,
      get top(): Window {
        throw new Error('SecurityError');
      },
    };
    expect(isFramed(crossOrigin as unknown as Window)).toBe(true);
  });

  it('when a promise never settles, then withTimeout rejects after the limit', async () => {
    await expect(withTimeout(new Promise(() => {}), 20)).rejects.toThrow('timed out after 20 ms');
    await expect(withTimeout(Promise.resolve(7), 20)).resolves.toBe(7);
  });
});
