import type { Enrichment } from '../../platform/api/contracts';
import { ConsentStep } from './consent-step';
import { DatasetStep } from './dataset-step';
import { ExclusionsStep } from './exclusions-step';
import { MailboxesStep } from './mailboxes-step';
import { MappingStep } from './mapping-step';
import { NameStep } from './name-step';
import { OverviewStep } from './overview-step';
import { ReviewStep } from './review-step';
import type { EnrichmentWizard } from './use-enrichment-wizard';

/** The wizard's current step, given what the wizard's hook knows. */
export function WizardStepBody({ wizard: w, editing, onImportData }: { wizard: EnrichmentWizard; editing: Enrichment | null; onImportData(): void }) {
  const { draft, update, showErrors, focusOnMount } = w;
  switch (w.current) {
    case 'overview':
      return (
        <OverviewStep
          key="overview"
          prerequisites={w.prerequisites}
          datasetCount={w.datasetItems ? w.datasetItems.length : null}
          focusOnMount={focusOnMount}
          onImportData={onImportData}
        />
      );
    case 'mailboxes':
      return (
        <MailboxesStep
          key="mailboxes"
          admin={w.admin}
          picked={draft.picked}
          onChange={(picked) => update({ picked })}
          resolution={w.resolution}
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
          datasets={w.datasets}
          datasetId={draft.datasetId}
          onChange={(d) => {
            // A different dataset has different columns: start from the columns it was imported with.
            const keep = d.contactFields.includes(draft.emailField) && d.contactFields.includes(draft.accountIdField);
            update({
              datasetId: d.id,
              ...(keep ? {} : { emailField: d.emailField, accountIdField: d.accountIdField }),
              // The owner column is an account column: kept only when the new dataset has it.
              ownerField: draft.ownerField && d.accountAttributes.includes(draft.ownerField) ? draft.ownerField : null,
            });
          }}
          showErrors={showErrors}
          onImportData={onImportData}
          focusOnMount={focusOnMount}
        />
      );
    case 'mapping':
      return (
        <MappingStep
          key="mapping"
          dataset={w.dataset}
          emailField={draft.emailField}
          accountIdField={draft.accountIdField}
          ownerField={draft.ownerField}
          matchAccountDomains={draft.matchAccountDomains}
          onChange={update}
          preview={w.mappingPreview}
          showErrors={showErrors}
          focusOnMount={focusOnMount}
        />
      );
    case 'exclusions':
      return (
        <ExclusionsStep
          key="exclusions"
          admin={w.admin}
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
          nameCheck={w.nameCheck}
          showErrors={showErrors}
          focusOnMount={focusOnMount}
        />
      );
    case 'review':
      return (
        <ReviewStep
          key="review"
          adminViews={w.adminViews}
          draft={draft}
          prerequisites={w.prerequisites.status === 'ready' ? w.prerequisites.data : null}
          resolution={w.resolution}
          dataset={w.dataset}
          preview={w.preview.status === 'ready' ? w.preview.data : null}
          onEdit={w.go}
          onHalfLifeChange={(halfLifeDays) => update({ halfLifeDays })}
          onPrivacyThresholdChange={(privacyThreshold) => update({ privacyThreshold })}
          focusOnMount={focusOnMount}
        />
      );
  }
}
