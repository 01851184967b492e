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
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useNavigation } from '../../platform/navigation/navigation';
import { useMe, useSession } from '../../platform/session/session-provider';
import { ConsentRequestOutcome } from '../../components/consent-request-outcome';
import { halfLifeProblem } from '../../components/half-life';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import { PageHeading } from '../../components/page-heading';
import { PageLayout } from '../../components/page-layout';
import { useAdminApi } from '../../platform/api/use-admin-api';
import type { ConsentRequestResult, Enrichment } from '../../platform/api/contracts';
import type { ApiProblem } from '../../platform/api/api-problem';
import { useI18n } from '../../platform/i18n/i18n-context';
import { createAdminViewsApi } from '../../platform/api/admin-views-api';
import { createRunsApi } from '../../platform/api/runs-api';
import { toProblem, useApiResource } from '../../platform/api/use-api-resource';
import { formatDateTimeWithZone } from '../enrichment-detail/run-format';
import { ConsentStep } from './consent-step';
import { DatasetStep } from './dataset-step';
import { ExclusionsStep } from './exclusions-step';
import { MailboxesStep } from './mailboxes-step';
import { MappingStep } from './mapping-step';
import { NameStep } from './name-step';
import { OverviewStep } from './overview-step';
import { ReviewStep } from './review-step';
import { useMailboxResolution } from './use-mailbox-resolution';
import { useNameAvailability } from './use-name-availability';
import {
  draftFromEnrichment,
  emptyDraft,
  entityNameProblem,
  furthestReachable,
  nameProblem,
  toEnrichmentInput,
  wizardSteps,
  type StepValidity,
  type WizardDraft,
} from './wizard-draft';
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
  outcome: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, maxWidth: '720px', minWidth: 0 },
  closeRow: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
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

type SaveState =
  | { status: 'idle' }
  | { status: 'saving' }
  | { status: 'error'; problem: ApiProblem }
  | { status: 'saved'; enrichment: Enrichment; consentRequest: ConsentRequestResult | null };

function Wizard({ editing, onClose }: { editing: Enrichment | null; onClose(): void }) {
  const styles = useStyles();
  const { t } = useI18n();
  const admin = useAdminApi();
  const { api } = useSession();
  const adminViews = useMemo(() => createAdminViewsApi(api), [api]);
  const { navigate } = useNavigation();
  const [draft, setDraft] = useState<WizardDraft>(() => (editing ? draftFromEnrichment(editing) : emptyDraft));
  const [step, setStep] = useState(0);
  // Whether the step header has been used yet: the first step shown keeps page focus on the h1.
  const [moved, setMoved] = useState(false);
  const [attempted, setAttempted] = useState<ReadonlySet<number>>(new Set());
  const [save, setSave] = useState<SaveState>({ status: 'idle' });
  const update = useCallback((patch: Partial<WizardDraft>) => setDraft((d) => ({ ...d, ...patch })), []);

  const prerequisites = useApiResource((signal) => admin.getPrerequisites(signal), [admin]);
  const datasets = useApiResource((signal) => admin.listDatasets(signal), [admin]);
  const resolution = useMailboxResolution(admin, draft.picked);
  const nameCheck = useNameAvailability(admin, draft.name, editing?.id ?? null);
  const dataset = datasets.status === 'ready' ? (datasets.data.items.find((d) => d.id === draft.datasetId) ?? null) : null;

  // A new enrichment starts on the dataset the admin just imported (`?datasetId=`), or on the
  // only one there is: nobody should have to pick from a list of one.
  const datasetItems = datasets.status === 'ready' ? datasets.data.items : null;
  useEffect(() => {
    if (editing || !datasetItems || draft.datasetId !== null) return;
    const wanted = new URLSearchParams(window.location.search).get('datasetId');
    const pick = datasetItems.find((d) => d.id === wanted) ?? (datasetItems.length === 1 ? datasetItems[0] : undefined);
    if (pick) setDraft((d) => (d.datasetId === null ? { ...d, datasetId: pick.id, emailField: pick.emailField, accountIdField: pick.accountIdField } : d));
  }, [editing, datasetItems, draft.datasetId]);
  const fieldsChosen =
    !!dataset &&
    draft.emailField !== '' &&
    draft.accountIdField !== '' &&
    draft.emailField !== draft.accountIdField &&
    dataset.contactFields.includes(draft.emailField) &&
    dataset.contactFields.includes(draft.accountIdField);
  const previewDeps = fieldsChosen ? `${dataset.id}|${dataset.version}|${draft.emailField}|${draft.accountIdField}` : null;
  const preview = useApiResource(
    (signal) =>
      previewDeps && dataset
        ? admin.mappingPreview(dataset.id, { emailField: draft.emailField, accountIdField: draft.accountIdField }, signal)
        : Promise.resolve(null),
    [admin, previewDeps],
  );

  const validity: StepValidity = {
    overview: prerequisites.status === 'ready' && prerequisites.data.canCreate,
    mailboxes: resolution.status === 'ready' && resolution.data.withinLimits,
    consent: draft.consentAgreed,
    dataset: !!dataset,
    mapping: fieldsChosen && preview.status === 'ready' && !!preview.data && preview.data.usableAddressCount > 0,
    exclusions: true,
    name:
      nameProblem(draft.name) === null &&
      entityNameProblem(draft.entityName) === null &&
      nameCheck.status === 'ready' &&
      nameCheck.data.available,
  };
  const furthest = furthestReachable(validity);
  const completed = wizardSteps.map((s, i) => (s === 'review' ? false : validity[s as keyof StepValidity] && i < furthest + 1));
  const current = wizardSteps[step]!;
  const stepValid = current === 'review' ? true : validity[current];
  const stepPending =
    (current === 'overview' && prerequisites.status === 'loading') ||
    (current === 'mailboxes' && resolution.status === 'loading') ||
    (current === 'mapping' && fieldsChosen && preview.status === 'loading') ||
    (current === 'name' && nameCheck.status === 'checking');

  const go = (index: number) => {
    setMoved(true);
    setStep(Math.max(0, Math.min(index, wizardSteps.length - 1)));
  };
  const next = () => {
    setAttempted((a) => new Set(a).add(step));
    if (stepValid) go(step + 1);
  };
  // Straight to the import form; the new dataset is then one click from a new enrichment.
  const importData = () => navigate('datasets', { action: 'import' });

  const onSave = async () => {
    setSave({ status: 'saving' });
    try {
      const input = toEnrichmentInput(draft);
      if (editing) {
        const saved = await admin.updateEnrichment(editing.id, input, editing.version);
        setSave({ status: 'saved', enrichment: saved, consentRequest: null });
      } else {
        const created = await admin.createEnrichment(input);
        setSave({ status: 'saved', enrichment: created.enrichment, consentRequest: created.consentRequest });
      }
    } catch (error) {
      setSave({ status: 'error', problem: toProblem(error) });
    }
  };

  const showErrors = attempted.has(step);
  const focusOnMount = moved;
  const mappingPreview =
    !fieldsChosen
      ? null
      : preview.status !== 'ready'
        ? preview
        : preview.data
          ? { status: 'ready' as const, data: preview.data, retry: preview.retry }
          : null;
  const renderStep = () => {
    switch (current) {
      case 'overview':
        return (
          <OverviewStep
            key="overview"
            prerequisites={prerequisites}
            datasetCount={datasetItems ? datasetItems.length : null}
            focusOnMount={focusOnMount}
            onImportData={importData}
          />
        );
      case 'mailboxes':
        return (
          <MailboxesStep
            key="mailboxes"
            admin={admin}
            picked={draft.picked}
            onChange={(picked) => update({ picked })}
            resolution={resolution}
            showErrors={showErrors}
            focusOnMount={focusOnMount}
          />
        );
      case 'consent':
        return (
          <ConsentStep
            key="consent"
            agreed={draft.consentAgreed}
            onChange={(consentAgreed) => update({ consentAgreed })}
            showErrors={showErrors}
            agreedBefore={editing?.consentAgreement ?? null}
            focusOnMount={focusOnMount}
          />
        );
      case 'dataset':
        return (
          <DatasetStep
            key="dataset"
            datasets={datasets}
            datasetId={draft.datasetId}
            onChange={(d) => {
              // A different dataset has different columns: start from the columns it was imported with.
              const keep = d.contactFields.includes(draft.emailField) && d.contactFields.includes(draft.accountIdField);
              update({
                datasetId: d.id,
                ...(keep ? {} : { emailField: d.emailField, accountIdField: d.accountIdField }),
              });
            }}
            showErrors={showErrors}
            onImportData={importData}
            focusOnMount={focusOnMount}
          />
        );
      case 'mapping':
        return (
          <MappingStep
            key="mapping"
            dataset={dataset}
            emailField={draft.emailField}
            accountIdField={draft.accountIdField}
            matchAccountDomains={draft.matchAccountDomains}
            onChange={update}
            preview={mappingPreview}
            showErrors={showErrors}
            focusOnMount={focusOnMount}
          />
        );
      case 'exclusions':
        return (
          <ExclusionsStep
            key="exclusions"
            admin={admin}
            addresses={draft.excludedAddresses}
            domains={draft.excludedDomains}
            onChange={update}
            focusOnMount={focusOnMount}
          />
        );
      case 'name':
        return (
          <NameStep
            key="name"
            name={draft.name}
            entityName={draft.entityName}
            onChange={update}
            nameCheck={nameCheck}
            showErrors={showErrors}
            focusOnMount={focusOnMount}
          />
        );
      case 'review':
        return (
          <ReviewStep
            key="review"
            adminViews={adminViews}
            draft={draft}
            prerequisites={prerequisites.status === 'ready' ? prerequisites.data : null}
            resolution={resolution}
            dataset={dataset}
            preview={preview.status === 'ready' ? preview.data : null}
            onEdit={go}
            onHalfLifeChange={(halfLifeDays) => update({ halfLifeDays })}
            onPrivacyThresholdChange={(privacyThreshold) => update({ privacyThreshold })}
            focusOnMount={focusOnMount}
          />
        );
    }
  };

  if (save.status === 'saved') {
    return (
      <SavedOutcome
        enrichment={save.enrichment}
        consentRequest={save.consentRequest}
        created={!editing}
        onClose={onClose}
      />
    );
  }

  return (
    <>
      <WizardStepHeader current={step} furthest={furthest} completed={completed} onGo={go} disabled={save.status === 'saving'} />
      {renderStep()}
      {save.status === 'error' ? <ErrorState problem={save.problem} /> : null}
      <div className={styles.actions}>
        <Button appearance="secondary" onClick={onClose} disabled={save.status === 'saving'}>
          {t('wizard.cancel')}
        </Button>
        <span className={styles.spacer} />
        {stepPending && showErrors ? (
          <Body1 className={styles.pending} role="status">
            {t('wizard.stillChecking')}
          </Body1>
        ) : null}
        <Button icon={<ArrowLeftRegular />} onClick={() => go(step - 1)} disabled={step === 0 || save.status === 'saving'}>
          {t('wizard.back')}
        </Button>
        {current === 'review' ? (
          <Button
            appearance="primary"
            icon={save.status === 'saving' ? <Spinner size="tiny" /> : <SaveRegular />}
            onClick={onSave}
            disabled={save.status === 'saving' || furthest < wizardSteps.length - 1 || halfLifeProblem(draft.halfLifeDays) !== null}
            data-testid="save-enrichment"
          >
            {save.status === 'saving' ? t('wizard.saving') : t('wizard.save')}
          </Button>
        ) : (
          <Button appearance="primary" icon={<ArrowRightRegular />} iconPosition="after" onClick={next} data-testid="wizard-next">
            {t('wizard.next')}
          </Button>
        )}
      </div>
    </>
  );
}

/**
 * After saving: what happens next, truthfully. The first scheduled run starts some hours
 * after consent (the API says how long, or when, with the time zone), and Run now on the
 * enrichment's page starts one sooner.
 */
function SavedOutcome({
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
