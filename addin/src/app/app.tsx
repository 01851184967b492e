import { makeStyles, tokens } from '@fluentui/react-components';
import { Suspense, useEffect, useMemo } from 'react';
import { ErrorState } from '../components/error-state';
import { LoadingState } from '../components/loading-state';
import { localeOverrideFromSearch, resolveLocale } from '../platform/i18n/i18n';
import { useI18n } from '../platform/i18n/i18n-context';
import { TeamsSignInError } from '../platform/teams/teams-sign-in-error';
import { useTeamsHost, type TeamsHost } from '../platform/teams/use-teams-host';
import { ssoFailedCode } from '../platform/auth/teams-token-source';
import { isTabConfigRequest } from '../pages/tab-config/tab-config';
import type { ThemeName } from '../platform/theme/theme-name';
import { useStandaloneTheme } from '../platform/theme/use-standalone-theme';
import { AppHeader } from './app-header';
import { AppNavigation } from './app-navigation';
import { AppProviders } from './app-providers';
import { DevSignInPage, OpenInTeamsPage, TabConfigPage, pageComponents } from './lazy-pages';
import { NavigationProvider, useNavigation } from '../platform/navigation/navigation';
import { SessionProvider, useSession } from '../platform/session/session-provider';

function SignedInShell() {
  const { t } = useI18n();
  const { page } = useNavigation();
  const Page = pageComponents[page];
  return (
    <>
      <AppNavigation />
      <Suspense fallback={<LoadingState label={t('state.loading')} />}>
        <Page />
      </Suspense>
    </>
  );
}

const useStyles = makeStyles({
  failure: {
    paddingBlock: tokens.spacingVerticalL,
    paddingInline: tokens.spacingHorizontalL,
  },
});

function ShellBody({ host }: { host: TeamsHost }) {
  const styles = useStyles();
  const { t } = useI18n();
  const { state, retry } = useSession();
  switch (state.status) {
    case 'loading':
      return <LoadingState label={t('app.signingIn')} />;
    case 'error':
      return (
        <div role="region" aria-label={t('state.errorTitle')} className={styles.failure}>
          {state.problem.code === ssoFailedCode ? (
            <TeamsSignInError problem={state.problem} onRetry={retry} />
          ) : (
            <ErrorState problem={state.problem} onRetry={retry} />
          )}
        </div>
      );
    case 'signed-out':
      return (
        <Suspense fallback={<LoadingState label={t('state.loading')} />}>
          {state.devSignIn ? <DevSignInPage /> : <OpenInTeamsPage />}
        </Suspense>
      );
    case 'signed-in': {
      // Teams opens the configurable tab's setup in the `settings` frame (or `?page=config`).
      const context = host.mode === 'teams' ? host.context : undefined;
      if (isTabConfigRequest(context?.frameContext, window.location.search)) {
        return (
          <Suspense fallback={<LoadingState label={t('state.loading')} />}>
            <TabConfigPage
              inSettingsFrame={context?.frameContext === 'settings'}
              {...(context?.teamName ? { teamName: context.teamName } : {})}
              {...(context?.channelName ? { channelName: context.channelName } : {})}
            />
          </Suspense>
        );
      }
      return <SignedInShell />;
    }
  }
}

function DocumentTitle() {
  const { t } = useI18n();
  useEffect(() => {
    document.title = t('app.name');
  }, [t]);
  return null;
}

/**
 * Root: decide Teams or standalone, pick theme and locale from the host (or the browser),
 * then render sign-in or the signed-in shell.
 */
export function App() {
  const host = useTeamsHost();
  const [standaloneTheme, setStandaloneTheme] = useStandaloneTheme();
  const theme: ThemeName = host.mode === 'teams' ? host.theme : standaloneTheme;
  const teamsLocale = host.mode === 'teams' ? host.context.locale : undefined;
  // Outside Teams, `?locale=` overrides the browser language (testing, support screenshots).
  const overrideLocale = host.mode === 'teams' ? undefined : localeOverrideFromSearch(window.location.search);
  const locale = useMemo(
    () =>
      resolveLocale([teamsLocale, overrideLocale, typeof navigator !== 'undefined' ? navigator.language : undefined]),
    [teamsLocale, overrideLocale],
  );

  return (
    <AppProviders theme={theme} locale={locale}>
      <DocumentTitle />
      {host.mode === 'detecting' ? (
        <DetectingHost />
      ) : (
        <SessionProvider host={host}>
          <NavigationProvider>
            <AppHeader theme={theme} onThemeChange={setStandaloneTheme} />
            <ShellBody host={host} />
          </NavigationProvider>
        </SessionProvider>
      )}
    </AppProviders>
  );
}

function DetectingHost() {
  const { t } = useI18n();
  return <LoadingState label={t('app.loading')} />;
}
