import { Badge, Button, Checkbox, Field, Input, SearchBox, Select, makeStyles, tokens } from '@fluentui/react-components';
import { FilterRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { Level } from '../../platform/api/contracts';
import { levels } from '../../platform/api/view-queries';
import { useI18n } from '../../platform/i18n/i18n-context';
import { rangeFields, rangeFilterCount, type FilterError } from './grid-filters';
import type { RowsExplorerState } from './use-rows-explorer';

const useStyles = makeStyles({
  row: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalM, alignItems: 'flex-end', minWidth: 0 },
  search: { flexGrow: 1, flexBasis: '220px', minWidth: 0, maxWidth: '360px' },
  select: { flexBasis: '140px', flexGrow: 0, minWidth: 0 },
  // Period labels are long ("Week of 24 Nov 2026"): the field takes its picker's width, wrapping to
  // the next line rather than running under the Filters button beside it.
  period: { flexBasis: 'auto', flexGrow: 0, flexShrink: 0, maxWidth: '100%', minWidth: 0 },
  rangeGroup: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(130px, 1fr))',
    gap: tokens.spacingHorizontalM,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
    maxWidth: '820px',
  },
  input: { minWidth: 0, width: '100%' },
});

/** Search, level and period (when the explorer has a period picker), and the range filters behind a toggle. */
export function RowsExplorerFilters({ state, withPeriods, idBase }: { state: RowsExplorerState; withPeriods: boolean; idBase: string }) {
  const styles = useStyles();
  const { t, format } = useI18n();
  const { draft, updateDraft, periods, liveErrors, errors } = state;
  const [showRanges, setShowRanges] = useState(false);
  const errorText = (error: FilterError | undefined) => (error ? t(`grid.filterError.${error}`) : undefined);
  const filterCount = rangeFilterCount(draft);
  return (
    <>
      <div className={styles.row}>
        <Field label={t('grid.search')} className={styles.search}>
          <SearchBox
            value={draft.search}
            onChange={(_, data) => updateDraft({ search: data.value })}
            maxLength={100}
            dismiss={{ 'aria-label': t('common.clearSearch') }}
            data-testid="grid-search"
          />
        </Field>
        {withPeriods ? (
          <>
            <Field label={t('grid.level')} className={styles.select}>
              <Select
                value={draft.level}
                onChange={(_, data) => updateDraft({ level: data.value as Level, period: '' })}
                data-testid="grid-level"
              >
                {levels.map((l) => (
                  <option key={l} value={l}>
                    {t(`level.${l}`)}
                  </option>
                ))}
              </Select>
            </Field>
            {draft.level !== 'Year' ? (
              <Field label={t('grid.period')} className={styles.period}>
                <Select value={draft.period} onChange={(_, data) => updateDraft({ period: data.value })} data-testid="grid-period">
                  <option value="">{t('grid.allPeriods')}</option>
                  {periods.status === 'ready'
                    ? periods.data.map((p) => (
                        <option key={p} value={p}>
                          {format.period(draft.level, p)}
                        </option>
                      ))
                    : null}
                </Select>
              </Field>
            ) : null}
          </>
        ) : null}
        <Button
          icon={<FilterRegular />}
          aria-expanded={showRanges}
          aria-controls={`${idBase}-ranges`}
          onClick={() => setShowRanges((v) => !v)}
          data-testid="grid-more-filters"
        >
          {t('grid.rangeFilters')}
          {filterCount > 0 ? (
            <Badge size="small" appearance="filled" aria-label={t('grid.activeFilters', { count: filterCount })} data-testid="grid-filter-count">
              {format.number(filterCount)}
            </Badge>
          ) : null}
        </Button>
      </div>
      {showRanges ? (
        <div id={`${idBase}-ranges`} className={styles.rangeGroup} role="group" aria-label={t('grid.rangeFilters')}>
          {rangeFields.map((field) => (
            <Field
              key={field}
              label={t(`grid.${field}`)}
              validationMessage={errorText(liveErrors[field] ?? errors[field])}
              validationState={liveErrors[field] ? 'error' : 'none'}
            >
              <Input
                className={styles.input}
                inputMode="decimal"
                value={draft[field]}
                onChange={(_, data) => updateDraft({ [field]: data.value })}
                data-testid={`grid-${field}`}
              />
            </Field>
          ))}
          <Checkbox
            checked={draft.cooling}
            onChange={(_, data) => updateDraft({ cooling: data.checked === true })}
            label={t('grid.cooling')}
            data-testid="grid-cooling"
          />
          <Button
            appearance="subtle"
            onClick={() => updateDraft({ ...Object.fromEntries(rangeFields.map((f) => [f, ''])), cooling: false })}
            data-testid="grid-clear-filters"
          >
            {t('grid.clearFilters')}
          </Button>
        </div>
      ) : null}
    </>
  );
}
