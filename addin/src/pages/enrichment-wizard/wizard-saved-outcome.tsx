import { Button, MessageBar, MessageBarBody, MessageBarTitle, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowRightRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { ConsentRequestOutcome } from '../../components/consent-request-outcome';
import { ErrorState } from '../../components/error-state';
import type { ApiProblem } from '../../platform/api/api-problem';
import type { ConsentRequestResult, Enrichment } from '../../platform/api/contracts';
import { createRunsApi } from '../../platform/api/runs-api';
import { toProblem, useApiResource } from '../../platform/api/use-api-resource';
import { useAdminApi } from '../../platform/api/use-admin-api';
import { useI18n } from '../../platform/i18n/i18n-context';
import { useNavigation } from '../../platform/navigation/navigation';
import { useSession } from '../../platform/session/session-provider';
import { formatDateTimeWithZone } from '../enrichment-detail/run-format';

const useStyles = makeStyles({
  outcome: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '720px', minWidth: 0 },
  closeRow: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
});

/**
 * After saving: what happens next, truthfully. The first scheduled run starts some hours
 * after consent (the API says how long, or when, with the time zone), and Run now on the
 * enrichment's page starts one sooner.
 */
export function SavedOutcome({
  enrichment,
  consentRequest,
  created,
  onClose,
}: {
  enrichment: Enrichment;
  consentRequest: ConsentRequestResult | null;
  created: boolean;
  onClose(): void;
}) {
  const styles = useStyles();
  const { t, locale } = useI18n();
  const admin = useAdminApi();
  const { api } = useSession();
  const { navigate } = useNavigation();
  const [request, setRequest] = useState(consentRequest);
  const [resendProblem, setResendProblem] = useState<ApiProblem | null>(null);
  const consented = enrichment.consent.state === 'consented';
  const schedule = useApiResource((signal) => createRunsApi(api).getSchedule(enrichment.id, signal), [api, enrichment.id]);
  const sendTo = async (recipients: string[]) => {
    const result = await admin.requestConsent(enrichment.id, recipients);
    return result;
  };
  const resend = async () => {
    setResendProblem(null);
    try {
      setRequest(await admin.requestConsent(enrichment.id));
    } catch (error) {
      setResendProblem(toProblem(error));
    }
  };
  const plan =
    schedule.status !== 'ready'
      ? consented
        ? t('wizard.saved.consented')
        : null
      : consented && schedule.data.enabled && schedule.data.firstRunAt
        ? t('wizard.saved.firstRun', { date: formatDateTimeWithZone(schedule.data.nextRunAt ?? schedule.data.firstRunAt, locale.formatLocale) })
        : consented
          ? t('wizard.saved.consented')
          : t('wizard.saved.awaiting', { hours: schedule.data.firstRunDelayHours });
  return (
    <section className={styles.outcome} data-testid="wizard-saved" aria-labelledby="wizard-saved-title">
      <MessageBar intent="success" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle id="wizard-saved-title">
            {created ? t('wizard.saved.created', { name: enrichment.name }) : t('wizard.saved.updated', { name: enrichment.name })}
          </MessageBarTitle>
          <span data-testid="wizard-saved-plan">{plan}</span>
        </MessageBarBody>
      </MessageBar>
      {request ? <ConsentRequestOutcome result={request} onSendTo={sendTo} /> : null}
      {!request && !consented ? (
        <div>
          <Button icon={<ArrowRightRegular />} onClick={resend}>
            {t('enrichmentsAdmin.resend')}
          </Button>
        </div>
      ) : null}
      {resendProblem ? <ErrorState problem={resendProblem} /> : null}
      <div className={styles.closeRow}>
        <Button appearance="primary" onClick={onClose} data-testid="wizard-close">
          {t('wizard.close')}
        </Button>
        <Button onClick={() => navigate('enrichment', { enrichmentId: enrichment.id })} data-testid="wizard-open-enrichment">
          {t('wizard.saved.open')}
        </Button>
      </div>
    </section>
  );
}
