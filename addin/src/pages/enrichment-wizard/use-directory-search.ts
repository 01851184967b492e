import type { TagPickerProps } from '@fluentui/react-components';
import { useMemo, useState } from 'react';
import { useDebouncedValue } from '../../components/use-debounced-value';
import type { AdminApi } from '../../platform/api/admin-api';
import { useLatestResource } from '../../platform/api/use-api-resource';
import { pickKey, type PickedEntry } from './wizard-draft';

/**
 * The people picker's state and effects: what is typed (debounced into a directory search),
 * whether the list is open, the answer for the text typed now, the options not picked yet, and
 * picking or unpicking one.
 */
export function useDirectorySearch(admin: AdminApi, picked: PickedEntry[], onChange: (next: PickedEntry[]) => void) {
  const [query, setQuery] = useState('');
  const q = useDebouncedValue(query.trim(), 250);
  // Controlled: results arrive after the typing pauses, and the list must stay open for them.
  const [open, setOpen] = useState(false);
  // The people picker shows the answer for what is typed now, never a slower earlier one.
  const found = useLatestResource(
    (signal) => (q === '' ? Promise.resolve(null) : admin.searchDirectory(q.slice(0, 100), signal).then((result) => ({ q, ...result }))),
    [admin, q],
  );
  const search =
    q === ''
      ? ({ status: 'idle' } as const)
      : found.status === 'ready' && found.data
        ? ({ status: 'ready', q: found.data.q, items: found.data.items, groupsSearched: found.data.groupsSearched } as const)
        : found.status === 'error'
          ? ({ status: 'error', q, problem: found.problem } as const)
          : ({ status: 'loading', q } as const);

  const pickedKeys = useMemo(() => picked.map(pickKey), [picked]);
  const options = search.status === 'ready' ? search.items.filter((e) => !pickedKeys.includes(pickKey(e))) : [];

  const onOptionSelect: TagPickerProps['onOptionSelect'] = (_, data) => {
    if (data.value === 'no-matches' || data.value === 'searching') return;
    if (pickedKeys.includes(data.value)) {
      onChange(picked.filter((p) => pickKey(p) !== data.value));
      return;
    }
    const entry = search.status === 'ready' ? search.items.find((e) => pickKey(e) === data.value) : undefined;
    if (!entry) return;
    onChange([...picked, { kind: entry.kind, id: entry.id, displayName: entry.displayName, mail: entry.mail }]);
    setQuery('');
  };


  return { query, setQuery, q, open, setOpen, search, options, pickedKeys, onOptionSelect };
}
