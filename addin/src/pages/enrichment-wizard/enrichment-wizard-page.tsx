import {
  Body1,
  Button,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { ArrowLeftRegular, ArrowRightRegular, SaveRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { halfLifeProblem } from '../../components/half-life';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import { PageHeading } from '../../components/page-heading';
import { PageLayout } from '../../components/page-layout';
import type { Enrichment } from '../../platform/api/contracts';
import { useApiResource } from '../../platform/api/use-api-resource';
import { useAdminApi } from '../../platform/api/use-admin-api';
import { useI18n } from '../../platform/i18n/i18n-context';
import { useNavigation } from '../../platform/navigation/navigation';
import { useMe } from '../../platform/session/session-provider';
import { useEnrichmentWizard } from './use-enrichment-wizard';
import { wizardSteps } from './wizard-draft';
import { SavedOutcome } from './wizard-saved-outcome';
import { WizardStepBody } from './wizard-step-body';
import { WizardStepHeader } from './wizard-step-header';

const useStyles = makeStyles({
  actions: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalS,
    alignItems: 'center',
    maxWidth: '720px',
    paddingBlockStart: tokens.spacingVerticalM,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
  spacer: { flexGrow: 1 },
  pending: { color: tokens.colorNeutralForeground2 },
});

function enrichmentIdFromUrl(): string | null {
  return new URLSearchParams(window.location.search).get('enrichmentId');
}

/**
 * The enrichment wizard: a new enrichment, or `?enrichmentId=` to edit one with the same steps
 * prefilled. Only EngagementAdmins may use it; others are told why and sent back.
 */
export function EnrichmentWizardPage() {
  const { t } = useI18n();
  const me = useMe();
  const admin = useAdminApi();
  const { navigate } = useNavigation();
  const [enrichmentId] = useState(enrichmentIdFromUrl);
  const existing = useApiResource(
    (signal) => (enrichmentId ? admin.getEnrichment(enrichmentId, signal) : Promise.resolve(null)),
    [admin, enrichmentId],
  );
  const title = enrichmentId ? t('wizard.titleEdit') : t('wizard.titleNew');
  const back = () => navigate('enrichments', { enrichmentId: null, consent: null });

  let body: React.JSX.Element;
  if (!me.isAdmin) {
    body = (
      <MessageBar intent="warning" layout="multiline" data-testid="wizard-admin-only">
        <MessageBarBody>
          <MessageBarTitle>{t('wizard.adminOnlyTitle')}</MessageBarTitle>
          {t('admin.onlyAdmins')}
        </MessageBarBody>
      </MessageBar>
    );
  } else if (existing.status === 'loading') {
    body = <LoadingState label={t('state.loading')} lines={6} />;
  } else if (existing.status === 'error') {
    body = <ErrorState problem={existing.problem} onRetry={existing.retry} />;
  } else {
    body = <Wizard key={existing.data?.id ?? 'new'} editing={existing.data} onClose={back} />;
  }
  return (
    <PageLayout label={title}>
      <PageHeading>{existing.status === 'ready' && existing.data ? t('wizard.titleEditNamed', { name: existing.data.name }) : title}</PageHeading>
      {body}
      {!me.isAdmin || existing.status === 'error' ? (
        <div>
          <Button icon={<ArrowLeftRegular />} onClick={back}>
            {t('wizard.backToList')}
          </Button>
        </div>
      ) : null}
    </PageLayout>
  );
}

/** The steps, their header and the actions; state and effects live in `useEnrichmentWizard`. */
function Wizard({ editing, onClose }: { editing: Enrichment | null; onClose(): void }) {
  const styles = useStyles();
  const { t } = useI18n();
  const { navigate } = useNavigation();
  const w = useEnrichmentWizard(editing);
  const { save, step, current, furthest } = w;
  // Straight to the import form; the new dataset is then one click from a new enrichment.
  const importData = () => navigate('datasets', { action: 'import' });

  if (save.status === 'saved') {
    return <SavedOutcome enrichment={save.enrichment} consentRequest={save.consentRequest} created={!editing} onClose={onClose} />;
  }

  return (
    <>
      <WizardStepHeader current={step} furthest={furthest} completed={w.completed} onGo={w.go} disabled={save.status === 'saving'} />
      <WizardStepBody wizard={w} editing={editing} onImportData={importData} />
      {save.status === 'error' ? <ErrorState problem={save.problem} /> : null}
      <div className={styles.actions}>
        <Button appearance="secondary" onClick={onClose} disabled={save.status === 'saving'}>
          {t('wizard.cancel')}
        </Button>
        <span className={styles.spacer} />
        {w.stepPending && w.showErrors ? (
          <Body1 className={styles.pending} role="status">
            {t('wizard.stillChecking')}
          </Body1>
        ) : null}
        <Button icon={<ArrowLeftRegular />} onClick={() => w.go(step - 1)} disabled={step === 0 || save.status === 'saving'}>
          {t('wizard.back')}
        </Button>
        {current === 'review' ? (
          <Button
            appearance="primary"
            icon={save.status === 'saving' ? <Spinner size="tiny" /> : <SaveRegular />}
            onClick={w.onSave}
            disabled={save.status === 'saving' || furthest < wizardSteps.length - 1 || halfLifeProblem(w.draft.halfLifeDays) !== null}
            data-testid="save-enrichment"
          >
            {save.status === 'saving' ? t('wizard.saving') : t('wizard.save')}
          </Button>
        ) : (
          <Button appearance="primary" icon={<ArrowRightRegular />} iconPosition="after" onClick={w.next} data-testid="wizard-next">
            {t('wizard.next')}
          </Button>
        )}
      </div>
    </>
  );
}
