import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, makeStyles } from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useI18n } from '../../platform/i18n/i18n-context';

const useStyles = makeStyles({
  root: { maxWidth: '720px' },
});

export type ConsentOutcomeParam = 'granted' | 'unconfirmed' | 'refused' | 'invalid';
const outcomes: readonly string[] = ['granted', 'unconfirmed', 'refused', 'invalid'] satisfies ConsentOutcomeParam[];

/** What the consent callback told the tab through `?consent=` (and which enrichment), if anything. */
export function readConsentRedirect(search: string): { outcome: ConsentOutcomeParam; enrichmentId: string | null } | null {
  const params = new URLSearchParams(search);
  const outcome = params.get('consent');
  if (!outcome || !outcomes.includes(outcome)) return null;
  return { outcome: outcome as ConsentOutcomeParam, enrichmentId: params.get('enrichmentId') };
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
 * `?page=enrichments&consent=granted|unconfirmed|refused|invalid`; this says what happened, once.
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
  const text = {
    granted: { intent: 'success', title: t('consentRedirect.grantedTitle'), body: name ? t('consentRedirect.grantedNamed', { name }) : t('consentRedirect.granted') },
    // The callback came back but a fresh app-only token and a Graph read did not confirm a grant.
    unconfirmed: { intent: 'warning', title: t('consentRedirect.unconfirmedTitle'), body: t('consentRedirect.unconfirmed') },
    refused: { intent: 'warning', title: t('consentRedirect.refusedTitle'), body: t('consentRedirect.refused') },
    invalid: { intent: 'error', title: t('consentRedirect.invalidTitle'), body: t('consentRedirect.invalid') },
  } as const;
  const { intent, title, body } = text[redirect.outcome];
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
