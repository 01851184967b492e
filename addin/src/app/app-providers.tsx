import { FluentProvider, makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';
import { I18nProvider } from '../platform/i18n/i18n-context';
import type { ResolvedLocale } from '../platform/i18n/i18n';
import { fluentThemeFor } from '../platform/theme/fluent-theme';
import type { ThemeName } from '../platform/theme/theme-name';

const useStyles = makeStyles({
  root: {
    // Fluent copies the provider's classes onto every portal node (popovers, listboxes, dialogs);
    // a full-height portal node would paint the whole page over with the background.
    ':not([data-portal-node])': { minHeight: '100vh' },
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
    boxSizing: 'border-box',
  },
});

/** Theme and strings for everything below; `data-theme` lets tests and CSS see the choice. */
export function AppProviders({
  theme,
  locale,
  children,
}: {
  theme: ThemeName;
  locale: ResolvedLocale;
  children: ReactNode;
}) {
  const styles = useStyles();
  return (
    <FluentProvider theme={fluentThemeFor(theme)} className={styles.root} data-theme={theme} lang={locale.uiLocale}>
      <I18nProvider locale={locale}>{children}</I18nProvider>
    </FluentProvider>
  );
}
