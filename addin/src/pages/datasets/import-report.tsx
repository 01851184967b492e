import {
  Body1,
  Button,
  MessageBar,
  MessageBarBody,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  tokens,
  typographyStyles,
} from '@fluentui/react-components';
import { ArrowDownloadRegular, CheckmarkCircleRegular, WarningRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import type { AdminApi } from '../../platform/api/admin-api';
import type { ImportSession, ImportStage, Rejection, StageReport } from '../../platform/api/contracts';
import type { ApiProblem } from '../../platform/api/api-problem';
import { useI18n } from '../../platform/i18n/i18n-context';
import { toProblem } from '../../platform/api/use-api-resource';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  heading: { ...typographyStyles.subtitle2, margin: 0 },
  stages: { display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(220px, 1fr))', gap: tokens.spacingHorizontalM },
  stage: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalXXS,
    paddingBlock: tokens.spacingVerticalS,
    paddingInline: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  stageTitle: { ...typographyStyles.body1Strong, display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalXS },
  ok: { color: tokens.colorPaletteGreenForeground1 },
  warn: { color: tokens.colorPaletteMarigoldForeground1 },
  tableWrap: { overflowX: 'auto', maxWidth: '100%' },
  cell: { overflowWrap: 'anywhere' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
});

const pageSize = 100;

function StageSummary({ stage, report }: { stage: ImportStage; report: StageReport | null }) {
  const styles = useStyles();
  const { t } = useI18n();
  const title = stage === 'accounts' ? t('import.accountsTitle') : t('import.contactsTitle');
  if (!report) return null;
  return (
    <div className={styles.stage} data-testid={`report-${stage}`} data-valid={report.valid} data-rejected={report.rejected}>
      <span className={styles.stageTitle}>
        {report.rejected > 0 ? <WarningRegular className={styles.warn} aria-hidden /> : <CheckmarkCircleRegular className={styles.ok} aria-hidden />}
        {title}
      </span>
      <Body1>{t('import.report.received', { count: report.received })}</Body1>
      <Body1>{t('import.report.valid', { count: report.valid })}</Body1>
      <Body1>{t('import.report.rejected', { count: report.rejected })}</Body1>
    </div>
  );
}

/**
 * The staged upload's outcome: per file, rows received, valid and rejected; then every rejected
 * row with its line number, column, reason and value (paged), and the rejected rows as a CSV.
 */
export function ImportReport({ admin, session }: { admin: AdminApi; session: ImportSession }) {
  const styles = useStyles();
  const { t } = useI18n();
  const total = (session.accounts?.rejected ?? 0) + (session.contacts?.rejected ?? 0);
  const initial = [...(session.accounts?.rejections ?? []), ...(session.contacts?.rejections ?? [])];
  const [rows, setRows] = useState<Rejection[]>(initial);
  const [loadedFromApi, setLoadedFromApi] = useState(false);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [downloading, setDownloading] = useState(false);

  useEffect(() => {
    setRows([...(session.accounts?.rejections ?? []), ...(session.contacts?.rejections ?? [])]);
    setLoadedFromApi(false);
    // A new upload is a new session object; the rows shown must be its own.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [session]);

  const loadMore = async () => {
    setLoading(true);
    setProblem(null);
    try {
      // The session carries the first rejections of each file; the endpoint pages through all.
      const offset = loadedFromApi ? rows.length : 0;
      const page = await admin.listRejections(session.id, offset, pageSize);
      setRows((current) => (loadedFromApi ? [...current, ...page.items] : page.items));
      setLoadedFromApi(true);
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setLoading(false);
    }
  };

  const download = async () => {
    setDownloading(true);
    setProblem(null);
    try {
      const blob = await admin.downloadRejections(session.id);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${session.name.replace(/[^\p{L}\p{N}._-]+/gu, '-')}-rejected-rows.csv`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setDownloading(false);
    }
  };

  return (
    <section className={styles.root} aria-labelledby="import-report-heading" data-testid="import-report">
      <h3 id="import-report-heading" className={styles.heading}>
        {t('import.report.title')}
      </h3>
      <div className={styles.stages} aria-live="polite">
        <StageSummary stage="accounts" report={session.accounts} />
        <StageSummary stage="contacts" report={session.contacts} />
      </div>
      {total === 0 ? (
        <MessageBar intent="success">
          <MessageBarBody>{t('import.report.allValid')}</MessageBarBody>
        </MessageBar>
      ) : (
        <>
          <Body1>{t('import.report.rejectedShown', { shown: rows.length, total })}</Body1>
          <div className={styles.tableWrap} tabIndex={0} role="region" aria-label={t('import.report.rejectionsLabel')}>
            <Table size="small" data-testid="rejections">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>{t('import.report.file')}</TableHeaderCell>
                  <TableHeaderCell>{t('import.report.row')}</TableHeaderCell>
                  <TableHeaderCell>{t('import.report.column')}</TableHeaderCell>
                  <TableHeaderCell>{t('import.report.problem')}</TableHeaderCell>
                  <TableHeaderCell>{t('import.report.value')}</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {rows.map((r, i) => (
                  <TableRow key={`${r.stage}-${r.row}-${r.column}-${i}`} data-reason={r.reason}>
                    <TableCell>{r.stage === 'accounts' ? t('import.report.accounts') : t('import.report.contacts')}</TableCell>
                    <TableCell>{r.row}</TableCell>
                    <TableCell className={styles.cell}>{r.column}</TableCell>
                    <TableCell className={styles.cell}>{r.message}</TableCell>
                    <TableCell className={styles.cell}>{r.value === '' ? '—' : r.value}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
          <div className={styles.actions}>
            {rows.length < total ? (
              <Button onClick={loadMore} disabled={loading}>
                {loading ? t('state.loading') : t('import.report.more')}
              </Button>
            ) : null}
            <Button icon={<ArrowDownloadRegular />} onClick={download} disabled={downloading} data-testid="download-rejections">
              {t('import.report.download')}
            </Button>
          </div>
        </>
      )}
      {problem ? (
        <MessageBar intent="error" layout="multiline" role="alert">
          <MessageBarBody>{problem.detail}</MessageBarBody>
        </MessageBar>
      ) : null}
    </section>
  );
}
