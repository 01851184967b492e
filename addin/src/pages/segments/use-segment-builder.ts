import { useMemo, useState } from 'react';
import { useDebouncedValue } from '../../components/use-debounced-value';
import type { Segment } from '../../platform/api/contracts';
import { toProblem, useApiResource, useLatestResource } from '../../platform/api/use-api-resource';
import { useInsightsApi } from '../../platform/api/use-insights-api';
import { useI18n } from '../../platform/i18n/i18n-context';
import { buildDefinition, countConditions, updateNode, type ConditionDraft, type GroupDraft, type SegmentDraft } from './segment-draft';
import { segmentName } from './segment-names';

/**
 * The segment builder's state and effects: the draft definition, its name and description, the
 * live member count of the latest definition (debounced), the periods of the chosen level, and
 * the save.
 */
export function useSegmentBuilder({ enrichmentId, initial, editing, onSaved }: { enrichmentId: string; initial: SegmentDraft; editing: Segment | null; onSaved(segment: Segment): void }) {
  const { t } = useI18n();
  const api = useInsightsApi();
  const [draft, setDraft] = useState<SegmentDraft>(initial);
  const [name, setName] = useState(editing ? segmentName(t, editing) : '');
  const [description, setDescription] = useState(editing?.description ?? '');
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);

  const { definition, errors } = useMemo(() => buildDefinition(draft), [draft]);
  const settled = useDebouncedValue(definition, 250);
  const settledKey = JSON.stringify(settled);
  // Only the count for the latest definition is shown, however the answers arrive.
  const count = useLatestResource(
    (signal) => (settled ? api.countSegment(enrichmentId, settled, signal) : Promise.resolve(null)),
    [api, enrichmentId, settledKey],
  );
  const periods = useApiResource(
    (signal) => (draft.level === 'Year' ? Promise.resolve([] as string[]) : api.listPeriods(enrichmentId, draft.level, signal).then((p) => p.periods)),
    [api, enrichmentId, draft.level],
  );

  const update = (id: string, fn: (node: ConditionDraft | GroupDraft) => ConditionDraft | GroupDraft | null) =>
    setDraft((d) => ({ ...d, root: updateNode(d.root, id, fn) }));

  const save = async () => {
    if (!definition || !name.trim()) return;
    setSaving(true);
    setSaveError(null);
    try {
      const body = { name: name.trim(), description: description.trim(), definition };
      const saved = editing ? await api.updateSegment(enrichmentId, editing.id, body) : await api.createSegment(enrichmentId, body);
      onSaved(saved);
    } catch (error) {
      setSaveError(toProblem(error).detail);
    } finally {
      setSaving(false);
    }
  };

  return {
    draft,
    setDraft,
    update,
    definition,
    errors,
    /** Whether the count answered is for an older definition than the one on screen (still settling). */
    countStale: settledKey !== JSON.stringify(definition),
    count,
    periods,
    conditionCount: countConditions(draft.root),
    name,
    setName,
    description,
    setDescription,
    saving,
    saveError,
    save,
  };
}
