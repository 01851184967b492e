import { ProgressBar, makeStyles, tokens } from '@fluentui/react-components';
import { useId } from 'react';
import { EmptyState } from '../empty-state';
import { ErrorState } from '../error-state';
import { LoadingState } from '../loading-state';
import { useI18n } from '../../platform/i18n/i18n-context';
import { isFiltered } from './grid-filters';
import { RowsExplorerFilters } from './rows-explorer-filters';
import { RowsExplorerPager, RowsExplorerToolbar } from './rows-explorer-toolbar';
import { RowsGrid } from './rows-grid';
import { useRowsExplorer, type RowsExplorerProps } from './use-rows-explorer';

export type { RowsExplorerProps };

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  // Reserves the bar's height so the grid does not jump when an update starts or ends.
  progress: { minHeight: tokens.strokeWidthThicker },
});

/**
 * The output entity as a grid: server-side filters, sort, paging and column choice, and CSV
 * export of exactly the current view (same filters, sort and columns, every page). Only the
 * answer to the latest request is shown; while a newer one loads the previous rows stay,
 * dimmed under a progress bar. State and effects: `useRowsExplorer`.
 */
export function RowsExplorer(props: RowsExplorerProps) {
  const { label, loadPeriods, privacyThreshold, onOpenAccount, testId } = props;
  const styles = useStyles();
  const { t } = useI18n();
  const ids = useId();
  const state = useRowsExplorer(props);
  const { rows, shown, updating, sort, narrow } = state;

  return (
    <section className={styles.root} aria-label={label} data-testid={testId}>
      <RowsExplorerFilters state={state} withPeriods={!!loadPeriods} idBase={ids} />
      <RowsExplorerToolbar state={state} />

      <div className={styles.progress}>
        {updating ? <ProgressBar thickness="medium" aria-label={t('grid.updating')} data-testid="grid-progress" /> : null}
      </div>
      {rows.status === 'error' ? (
        <ErrorState problem={rows.problem} onRetry={rows.retry} />
      ) : !shown ? (
        <LoadingState label={t('state.loading')} lines={6} />
      ) : shown.items.length === 0 ? (
        <EmptyState testId="grid-empty" message={isFiltered(state.draft) ? t('grid.noMatches') : t('grid.noRows')} />
      ) : (
        <RowsGrid
          privacyThreshold={privacyThreshold}
          label={label}
          columns={state.gridColumns}
          rows={shown.items}
          level={shown.level}
          sort={sort.column}
          order={sort.order}
          onSort={state.onSort}
          {...(onOpenAccount ? { onOpenAccount } : {})}
          {...(narrow ? { narrowColumn: state.narrowColumn } : {})}
          busy={updating}
          testId="grid-table"
        />
      )}

      <RowsExplorerPager state={state} />
    </section>
  );
}
