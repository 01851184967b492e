import { Badge, Body1, Button, Caption1, MessageBar, MessageBarBody, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow } from '@fluentui/react-components';
import { ArrowDownloadRegular, ProhibitedRegular } from '@fluentui/react-icons';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import type { AdminViewsApi } from '../../platform/api/admin-views-api';
import type { Enrichment } from '../../platform/api/contracts';
import { useI18n } from '../../platform/i18n/i18n-context';
import { formatDateTime } from '../enrichment-detail/run-format';
import { useAdminViewStyles } from './admin-views.styles';
import { useUnmatchedDomains } from './use-unmatched-domains';

/**
 * Busy external domains that match no account, busiest first, as counts only: the share of
 * external email they take, an export ready to import as accounts, and a one-click exclusion.
 */
export function UnmatchedDomainsTab({ api, enrichment }: { api: AdminViewsApi; enrichment: Enrichment }) {
  const styles = useAdminViewStyles();
  const { t, format, locale } = useI18n();
  const view = useUnmatchedDomains(api, enrichment.id, enrichment.version);

  if (view.status === 'loading') return <LoadingState label={t('state.loading')} lines={4} />;
  if (view.status === 'error') return <ErrorState problem={view.problem} onRetry={view.retry} />;
  const d = view.data;
  const percent = (share: number) => new Intl.NumberFormat(locale.formatLocale, { style: 'percent', maximumFractionDigits: 0 }).format(share);

  return (
    <section className={styles.root} aria-labelledby="domains-title" data-testid="domains-tab">
      <h2 id="domains-title" className={styles.title}>
        {t('domains.title')}
      </h2>
      <Body1 className={styles.muted}>{t('domains.intro')}</Body1>
      {d.unmatchedShare !== null ? (
        <Body1 className={styles.summary} data-testid="domains-share">
          {t('domains.share', { share: percent(d.unmatchedShare) })}
        </Body1>
      ) : null}
      {d.domains.length === 0 ? (
        <EmptyState testId="domains-empty" message={t('domains.none')} next={t('domains.noneNext')} />
      ) : (
        <>
          <div className={styles.toolbar}>
            <Button icon={<ArrowDownloadRegular />} disabled={view.pending !== null} onClick={() => void view.exportCsv()} data-testid="domains-export">
              {t('domains.export')}
            </Button>
            {d.asOf ? <Caption1 className={styles.muted}>{t('domains.asOf', { date: formatDateTime(d.asOf, locale.formatLocale) })}</Caption1> : null}
          </div>
          <div className={styles.scroller} tabIndex={0} role="region" aria-label={t('domains.title')}>
            <Table size="small" className={styles.table} data-testid="domains-table">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>{t('domains.col.domain')}</TableHeaderCell>
                  <TableHeaderCell className={styles.number}>{t('domains.col.emailsTo')}</TableHeaderCell>
                  <TableHeaderCell className={styles.number}>{t('domains.col.emailsFrom')}</TableHeaderCell>
                  <TableHeaderCell className={styles.number}>{t('domains.col.meetings')}</TableHeaderCell>
                  <TableHeaderCell className={styles.number}>{t('domains.col.theirs')}</TableHeaderCell>
                  <TableHeaderCell className={styles.number}>{t('domains.col.ours')}</TableHeaderCell>
                  <TableHeaderCell>{t('domains.col.lastContact')}</TableHeaderCell>
                  <TableHeaderCell>{t('domains.col.actions')}</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {d.domains.map((row) => {
                  const excluded = view.excluded.has(row.domain);
                  return (
                    <TableRow key={row.domain} data-testid="domains-row" data-domain={row.domain}>
                      <TableCell className={styles.wrap}>{row.domain}</TableCell>
                      <TableCell className={styles.number}>{format.number(row.emailsToDomain)}</TableCell>
                      <TableCell className={styles.number}>{format.number(row.emailsFromDomain)}</TableCell>
                      <TableCell className={styles.number}>{format.number(row.meetings)}</TableCell>
                      <TableCell className={styles.number}>{format.number(row.peopleTheirs)}</TableCell>
                      <TableCell className={styles.number}>{format.number(row.peopleOurs)}</TableCell>
                      <TableCell>{format.date(row.lastContact)}</TableCell>
                      <TableCell>
                        {excluded ? (
                          <Badge appearance="tint" color="informative" data-testid="domains-excluded">
                            {t('domains.excludedBadge')}
                          </Badge>
                        ) : (
                          <Button
                            size="small"
                            appearance="subtle"
                            icon={<ProhibitedRegular />}
                            disabled={view.pending !== null}
                            aria-label={t('domains.excludeLabel', { domain: row.domain })}
                            onClick={() => void view.exclude(row.domain)}
                            data-testid="domains-exclude"
                          >
                            {t('domains.exclude')}
                          </Button>
                        )}
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
          </div>
          {d.belowThreshold > 0 ? <Caption1 className={styles.muted}>{t('domains.below', { count: d.belowThreshold })}</Caption1> : null}
        </>
      )}
      {view.excluded.size > 0 ? (
        <MessageBar intent="success" data-testid="domains-excluded-note">
          <MessageBarBody>{t('domains.excludedNote')}</MessageBarBody>
        </MessageBar>
      ) : null}
      {view.actionProblem ? (
        <MessageBar intent="error" data-testid="domains-problem">
          <MessageBarBody>{view.actionProblem.detail}</MessageBarBody>
        </MessageBar>
      ) : null}
    </section>
  );
}
