import { Badge, Body1, Button, Caption1, Subtitle2, makeStyles, tokens } from '@fluentui/react-components';
import { AddRegular, DeleteRegular, EditRegular, PeopleRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useNavigation } from '../../platform/navigation/navigation';
import { useMe } from '../../platform/session/session-provider';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import { PageHeading } from '../../components/page-heading';
import { PageLayout } from '../../components/page-layout';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { OutputRow, Segment } from '../../platform/api/contracts';
import { useApiResource } from '../../platform/api/use-api-resource';
import { useInsightsApi } from '../../platform/api/use-insights-api';
import { useQueryParam } from '../../platform/use-query-param';
import { EnrichmentSelect } from '../../components/results/enrichment-select';
import { RowsExplorer } from '../../components/results/rows-explorer';
import { useEnrichmentChoice } from '../../components/results/use-enrichment-choice';
import { MeasuresPanel } from './measures-panel';
import { SegmentBuilder } from './segment-builder';
import { segmentDescription, segmentName } from './segment-names';
import { draftFromDefinition, newGroup, staleAccountsDraft, type SegmentDraft } from './segment-draft';

const useStyles = makeStyles({
  list: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    maxWidth: '960px',
  },
  item: {
    display: 'flex',
    flexWrap: 'wrap',
    justifyContent: 'space-between',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    paddingBlock: tokens.spacingVerticalS,
    paddingInline: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
    overflowWrap: 'anywhere',
    minWidth: 0,
  },
  itemText: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: 0, flexGrow: 1, flexBasis: '180px' },
  muted: { color: tokens.colorNeutralForeground2 },
  actions: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  heading: { margin: 0 },
  toolbar: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalS },
});

type Mode = { kind: 'list' } | { kind: 'build'; draft: SegmentDraft; editing: Segment | null };

/**
 * Segments of an enrichment: saved ones with counts, the builder, members (`segmentId=…`, so
 * the customer card's breadcrumb can return to them) and measures.
 */
export function SegmentsPage() {
  const { t } = useI18n();
  const me = useMe();
  const { navigate } = useNavigation();
  const choice = useEnrichmentChoice(useQueryParam('enrichmentId'));
  const segmentId = useQueryParam('segmentId');
  return (
    <PageLayout label={t('segments.title')}>
      <PageHeading>{t('segments.title')}</PageHeading>
      {choice.status === 'loading' ? (
        <LoadingState label={t('state.loading')} lines={3} />
      ) : choice.status === 'error' ? (
        <ErrorState problem={choice.problem} onRetry={choice.retry} />
      ) : !choice.data.enrichmentId ? (
        <EmptyState
          testId="empty-segments"
          message={t('segments.empty')}
          next={me.isAdmin ? t('segments.emptyAdmin') : t('segments.emptyMember')}
        />
      ) : (
        <>
          <EnrichmentSelect
            enrichments={choice.data.enrichments}
            value={choice.data.enrichmentId}
            onChange={(id) => navigate('segments', { enrichmentId: id })}
          />
          <EnrichmentSegments key={choice.data.enrichmentId} enrichmentId={choice.data.enrichmentId} segmentId={segmentId} />
        </>
      )}
    </PageLayout>
  );
}

function EnrichmentSegments({ enrichmentId, segmentId }: { enrichmentId: string; segmentId: string | null }) {
  const styles = useStyles();
  const { t } = useI18n();
  const me = useMe();
  const api = useInsightsApi();
  const { navigate } = useNavigation();
  const [mode, setMode] = useState<Mode>({ kind: 'list' });
  const [deleting, setDeleting] = useState<Segment | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const segments = useApiResource((signal) => api.listSegments(enrichmentId, signal), [api, enrichmentId]);
  const overview = useApiResource((signal) => api.getResults(enrichmentId, signal), [api, enrichmentId]);

  if (segments.status === 'loading') return <LoadingState label={t('state.loading')} lines={3} />;
  if (segments.status === 'error') return <ErrorState problem={segments.problem} onRetry={segments.retry} />;
  const items = segments.data.items;
  const noResult = items.every((s) => s.runId === null);

  // The dialog runs the delete itself and shows a refusal in place; it closes on success.
  const remove = async () => {
    if (!deleting) return;
    await api.deleteSegment(enrichmentId, deleting.id);
    setNotice(t('segments.deleted', { name: segmentName(t, deleting) }));
    setDeleting(null);
    segments.retry();
  };

  if (mode.kind === 'build') {
    return (
      <SegmentBuilder
        enrichmentId={enrichmentId}
        initial={mode.draft}
        editing={mode.editing}
        canSave={me.isAdmin}
        onSaved={(saved) => {
          setNotice(t('segments.saved', { name: saved.name }));
          setMode({ kind: 'list' });
          segments.retry();
        }}
        onCancel={() => setMode({ kind: 'list' })}
      />
    );
  }
  const membersOf = segmentId ? items.find((item) => item.id === segmentId) : undefined;
  if (membersOf) {
    const segment = membersOf;
    const name = segmentName(t, segment);
    const openAccount = (row: Partial<OutputRow>) =>
      navigate('customers', { accountId: row.AccountId ?? null, enrichmentId, from: 'segments', segmentId: segment.id });
    return (
      <section className={styles.section} aria-labelledby="members-heading">
        <div className={styles.toolbar}>
          <Button appearance="subtle" onClick={() => navigate('segments', { enrichmentId })} data-testid="back-to-segments">
            {t('segments.backToList')}
          </Button>
        </div>
        <Subtitle2 as="h2" id="members-heading" className={styles.heading}>
          {t('segments.membersTitle', { name })}
        </Subtitle2>
        <RowsExplorer
          label={t('segments.membersTitle', { name })}
          fileBase={name}
          testId="members-grid"
          level={segment.definition.level ?? 'Year'}
          loadPage={(view, page, signal) => api.listMembers(enrichmentId, segment.id, view, page, signal)}
          download={(view, locale) => api.downloadMembersCsv(enrichmentId, segment.id, view, locale)}
          onOpenAccount={openAccount}
        />
      </section>
    );
  }

  return (
    <>
      {notice ? (
        <Caption1 role="status" data-testid="segments-notice">
          {notice}
        </Caption1>
      ) : null}
      {noResult ? <EmptyState testId="segments-no-result" message={t('segments.noResult')} /> : null}
      <div className={styles.toolbar}>
        <Button
          appearance="primary"
          icon={<AddRegular />}
          onClick={() => setMode({ kind: 'build', draft: { level: 'Year', period: '', root: newGroup() }, editing: null })}
          data-testid="new-segment"
        >
          {me.isAdmin ? t('segments.new') : t('segments.explore')}
        </Button>
        <Button onClick={() => setMode({ kind: 'build', draft: staleAccountsDraft(), editing: null })} data-testid="start-from-stale">
          {t('segments.startFromStale')}
        </Button>
      </div>
      {items.length === 0 ? (
        <EmptyState testId="empty-segments" message={t('segments.empty')} next={me.isAdmin ? t('segments.emptyAdmin') : t('segments.emptyMember')} />
      ) : (
        <ul className={styles.list} aria-label={t('segments.savedLabel')} data-testid="segment-list">
          {items.map((item) => (
            <li key={item.id} className={styles.item} data-segment-id={item.id}>
              <div className={styles.itemText}>
                <Body1 data-testid="segment-name">
                  {segmentName(t, item)} {item.builtIn ? <Badge appearance="outline" size="small">{t('segments.example')}</Badge> : null}
                </Body1>
                {item.description ? <Caption1 className={styles.muted}>{segmentDescription(t, item)}</Caption1> : null}
                <Caption1 data-testid="segment-count" data-count={item.count}>
                  {t('segments.countOf', { count: item.count, total: item.total })}
                </Caption1>
              </div>
              <div className={styles.actions}>
                <Button size="small" icon={<PeopleRegular />} onClick={() => navigate('segments', { enrichmentId, segmentId: item.id })} aria-label={t('segments.membersNamed', { name: segmentName(t, item) })} data-testid="segment-members">
                  {t('segments.members')}
                </Button>
                {me.isAdmin ? (
                  <>
                    <Button
                      size="small"
                      icon={<EditRegular />}
                      onClick={() => setMode({ kind: 'build', draft: draftFromDefinition(item.definition), editing: item })}
                      aria-label={t('segments.editNamed', { name: segmentName(t, item) })}
                    >
                      {t('segments.edit')}
                    </Button>
                    <Button size="small" appearance="subtle" icon={<DeleteRegular />} onClick={() => setDeleting(item)} aria-label={t('segments.deleteNamed', { name: segmentName(t, item) })} />
                  </>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
      {overview.status === 'ready' && overview.data.current ? (
        <MeasuresPanel enrichmentId={enrichmentId} segments={items} attributes={overview.data.attributes} />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          open
          title={t('segments.deleteTitle', { name: segmentName(t, deleting) })}
          confirmLabel={t('segments.delete')}
          onConfirm={remove}
          onClose={() => setDeleting(null)}
          testId="delete-segment-dialog"
        >
          {t('segments.deleteBody')}
        </ConfirmDialog>
      ) : null}
    </>
  );
}
