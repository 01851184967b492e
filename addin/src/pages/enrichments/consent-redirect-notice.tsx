import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, makeStyles } from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useI18n } from '../../platform/i18n/i18n-context';

const useStyles = makeStyles({
  root: { maxWidth: '720px' },
});

export type ConsentOutcomeParam = 'granted' | 'refused' | 'invalid';

/** What the consent callback told the tab through `?consent=` (and which enrichment), if anything. */
export function readConsentRedirect(search: string): { outcome: ConsentOutcomeParam; enrichmentId: string | null } | null {
  const params = new URLSearchParams(search);
  const outcome = params.get('consent');
  if (outcome !== 'granted' && outcome !== 'refused' && outcome !== 'invalid') return null;
  return { outcome, enrichmentId: params.get('enrichmentId') };
}

/** Drop the one-time redirect parameters so a reload or a tab switch does not repeat the notice. */
function forgetConsentRedirect(): void {
  const url = new URL(window.location.href);
  url.searchParams.delete('consent');
  url.searchParams.delete('enrichmentId');
  window.history.replaceState(window.history.state, '', url.toString());
}

/**
 * After the admin-consent round trip the API sends the browser back to
 * `?page=enrichments&consent=granted|refused|invalid`; this says what happened, once.
 */
export function ConsentRedirectNotice({ enrichmentName }: { enrichmentName: (id: string | null) => string | null }) {
  const styles = useStyles();
  const { t } = useI18n();
  const [redirect, setRedirect] = useState(() => readConsentRedirect(window.location.search));
  if (!redirect) return null;
  const name = enrichmentName(redirect.enrichmentId);
  const dismiss = () => {
    forgetConsentRedirect();
    setRedirect(null);
  };
  const intent = redirect.outcome === 'granted' ? 'success' : redirect.outcome === 'refused' ? 'warning' : 'error';
  const title =
    redirect.outcome === 'granted'
      ? t('consentRedirect.grantedTitle')
      : redirect.outcome === 'refused'
        ? t('consentRedirect.refusedTitle')
        : t('consentRedirect.invalidTitle');
  const body =
    redirect.outcome === 'granted'
      ? name
        ? t('consentRedirect.grantedNamed', { name })
        : t('consentRedirect.granted')
      : redirect.outcome === 'refused'
        ? t('consentRedirect.refused')
        : t('consentRedirect.invalid');
  return (
    <MessageBar intent={intent} layout="multiline" className={styles.root} data-testid="consent-redirect" data-outcome={redirect.outcome}>
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle>
        {body}
      </MessageBarBody>
      <MessageBarActions
        containerAction={<Button appearance="transparent" icon={<DismissRegular />} aria-label={t('consentRedirect.dismiss')} onClick={dismiss} />}
      />
    </MessageBar>
  );
}
