import { Button, Caption1, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles, tokens } from '@fluentui/react-components';
import { ChevronLeftRegular, ChevronRightRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import { useI18n } from '../../platform/i18n/i18n-context';
import { useInsightsApi } from '../../platform/api/use-insights-api';
import { useLatestResource } from '../../platform/api/use-api-resource';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  scroller: {
    overflow: 'auto',
    maxHeight: '60vh',
    maxWidth: '720px',
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
  },
  cell: { overflowWrap: 'anywhere' },
  pager: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS, alignItems: 'center' },
});

const pageSize = 50;

/** The user entity of a run (the mailboxes read), paged by the API, sorted by address. */
export function UsersTable({ enrichmentId, label }: { enrichmentId: string; label: string }) {
  const styles = useStyles();
  const { t } = useI18n();
  const api = useInsightsApi();
  const [offset, setOffset] = useState(0);
  const users = useLatestResource((signal) => api.listUsers(enrichmentId, { offset, limit: pageSize }, signal), [api, enrichmentId, offset]);
  const shown = users.status === 'ready' ? users.data : users.previous;
  if (users.status === 'error') return <ErrorState problem={users.problem} onRetry={users.retry} />;
  if (!shown) return <LoadingState label={t('state.loading')} lines={5} />;
  if (shown.total === 0) return <EmptyState testId="users-empty" message={t('results.usersEmpty')} />;
  const last = Math.min(offset + pageSize, shown.total);
  return (
    <section className={styles.root} aria-label={label} data-testid="users-view">
      <Caption1 aria-live="polite">{t('grid.showing', { first: offset + 1, last, total: shown.total })}</Caption1>
      <div className={styles.scroller} role="region" aria-label={label} tabIndex={0}>
        <Table size="small" aria-label={label}>
          <TableHeader>
            <TableRow>
              <TableHeaderCell>{t('results.userMail')}</TableHeaderCell>
              <TableHeaderCell>{t('results.userId')}</TableHeaderCell>
            </TableRow>
          </TableHeader>
          <TableBody>
            {shown.items.map((user) => (
              <TableRow key={user.UserId}>
                <TableCell className={styles.cell}>{user.Mail}</TableCell>
                <TableCell className={styles.cell}>{user.UserId}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
      <div className={styles.pager} role="group" aria-label={t('grid.paging')}>
        <Button icon={<ChevronLeftRegular />} disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - pageSize))}>
          {t('grid.previous')}
        </Button>
        <Button icon={<ChevronRightRegular />} iconPosition="after" disabled={last >= shown.total} onClick={() => setOffset(offset + pageSize)}>
          {t('grid.next')}
        </Button>
      </div>
    </section>
  );
}
