import { useCallback, useEffect, useMemo, useState } from 'react';
import { createAdminViewsApi } from '../../platform/api/admin-views-api';
import type { ApiProblem } from '../../platform/api/api-problem';
import type { ConsentRequestResult, Enrichment } from '../../platform/api/contracts';
import { toProblem, useApiResource } from '../../platform/api/use-api-resource';
import { useAdminApi } from '../../platform/api/use-admin-api';
import { useSession } from '../../platform/session/session-provider';
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

export type SaveState =
  | { status: 'idle' }
  | { status: 'saving' }
  | { status: 'error'; problem: ApiProblem }
  | { status: 'saved'; enrichment: Enrichment; consentRequest: ConsentRequestResult | null };

/**
 * The wizard's state and effects: the draft, the step shown, what each step needs from the API
 * (prerequisites, datasets, mailbox resolution, name check, mapping preview), which steps are
 * valid, and the save. The components only render what this returns.
 */
export function useEnrichmentWizard(editing: Enrichment | null) {
  const admin = useAdminApi();
  const { api } = useSession();
  const adminViews = useMemo(() => createAdminViewsApi(api), [api]);
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

  const mappingPreview =
    !fieldsChosen
      ? null
      : preview.status !== 'ready'
        ? preview
        : preview.data
          ? { status: 'ready' as const, data: preview.data, retry: preview.retry }
          : null;

  return {
    admin,
    adminViews,
    draft,
    update,
    step,
    current,
    furthest,
    completed,
    stepPending,
    showErrors: attempted.has(step),
    focusOnMount: moved,
    go,
    next,
    save,
    onSave,
    prerequisites,
    datasets,
    datasetItems,
    dataset,
    resolution,
    nameCheck,
    preview,
    mappingPreview,
  };
}

export type EnrichmentWizard = ReturnType<typeof useEnrichmentWizard>;
