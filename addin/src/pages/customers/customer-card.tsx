import {
  Badge,
  Body1,
  Caption1,
  Subtitle1,
  Subtitle2,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
  makeStyles,
  mergeClasses,
  tokens,
} from '@fluentui/react-components';
import { ArrowDownRegular, ArrowUpRegular, SubtractRegular } from '@fluentui/react-icons';
import { useI18n } from '../../platform/i18n/i18n-context';
import type { CustomerCard as Card } from '../../platform/api/contracts';
import { ScoreBandBadge, ScoreChangeText } from '../../components/score-badges';
import { bandMeaning, partEffect, partSentence } from '../../components/score-wording';
import { attributeLabel, attributeValue } from '../../components/results/account-attributes';
import { CustomerHistory } from './customer-history';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, minWidth: 0, maxWidth: '960px' },
  header: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, minWidth: 0 },
  name: { margin: 0, overflowWrap: 'anywhere' },
  muted: { color: tokens.colorNeutralForeground2, overflowWrap: 'anywhere' },
  attributes: { display: 'flex', flexWrap: 'wrap', gap: tokens.spacingHorizontalXS },
  panel: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    minWidth: 0,
  },
  scoreRow: { display: 'flex', flexWrap: 'wrap', alignItems: 'baseline', gap: tokens.spacingHorizontalM },
  score: { fontSize: tokens.fontSizeHero800, lineHeight: tokens.lineHeightHero800, fontWeight: tokens.fontWeightSemibold },
  explanation: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  effect: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  icon: { flexShrink: 0 },
  raised: { color: tokens.colorPaletteGreenForeground1 },
  lowered: { color: tokens.colorPaletteRedForeground1 },
  neutral: { color: tokens.colorNeutralForeground2 },
  effectText: { display: 'flex', flexDirection: 'column', minWidth: 0 },
  how: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  howSummary: {
    cursor: 'pointer',
    width: 'fit-content',
    color: tokens.colorBrandForegroundLink,
    ':focus-visible': { outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`, borderRadius: tokens.borderRadiusSmall },
  },
  history: { listStyleType: 'none', margin: 0, padding: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXXS, maxWidth: '420px' },
  historyItem: { display: 'grid', gridTemplateColumns: 'minmax(0, 9em) minmax(0, 1fr) 3em', alignItems: 'center', gap: tokens.spacingHorizontalS },
  historyTrack: { height: '8px', borderRadius: tokens.borderRadiusSmall, backgroundColor: tokens.colorNeutralBackground4, overflow: 'hidden' },
  historyBar: { height: '100%', backgroundColor: tokens.colorBrandBackground, '@media (forced-colors: active)': { backgroundColor: 'CanvasText', forcedColorAdjust: 'none' } },
  figures: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(150px, 1fr))',
    gap: tokens.spacingHorizontalM,
    margin: 0,
  },
  figure: { display: 'flex', flexDirection: 'column-reverse', gap: tokens.spacingVerticalXXS, minWidth: 0 },
  figureValue: { margin: 0, fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, overflowWrap: 'anywhere' },
  heading: { margin: 0 },
  sides: { overflowX: 'auto', maxWidth: '100%' },
  number: { textAlign: 'end', fontVariantNumeric: 'tabular-nums' },
});

const effectIcon = { raised: ArrowUpRegular, lowered: ArrowDownRegular, neutral: SubtractRegular } as const;

/** One account's engagement: score and why, totals, each side's share, recency and history. */
export function CustomerCard({ card }: { card: Card }) {
  const styles = useStyles();
  const { t, format } = useI18n();
  const attributes = Object.entries(card.account.attributes);

  return (
    <article className={styles.root} aria-labelledby="customer-name" data-testid="customer-card" data-account-id={card.account.id}>
      <header className={styles.header}>
        <Subtitle1 as="h2" id="customer-name" className={styles.name}>
          {card.account.name}
        </Subtitle1>
        <Caption1 className={styles.muted}>
          {t('card.accountId', { id: card.account.id })} · {t('card.asOf', { date: format.date(card.asOf) })}
        </Caption1>
        {attributes.length > 0 ? (
          <div className={styles.attributes}>
            {attributes.map(([key, value]) => (
              <Badge key={key} appearance="outline" shape="rounded" data-attribute={key}>
                {t('common.labelValue', { label: attributeLabel(t, key), value: attributeValue(format, key, value) })}
              </Badge>
            ))}
          </div>
        ) : null}
      </header>

      {card.withheld || card.totals === null || card.score.value === null || card.score.parts === null ? (
        <WithheldScore card={card} />
      ) : (
        <ScoreAndFigures card={card} totals={card.totals} value={card.score.value} parts={card.score.parts} />
      )}

      <CustomerHistory history={card.history} />
    </article>
  );
}

/** The Year score in each kept run, oldest first: a bar per run with its date and score. */
function ScoreHistory({ trend }: { trend: Card['trend'] }) {
  const styles = useStyles();
  const { t, format } = useI18n();
  if (trend.history.length < 2) return null;
  return (
    <section aria-labelledby="score-history-heading">
      <Caption1 as="h4" id="score-history-heading" className={styles.heading}>
        {t('trend.history')}
      </Caption1>
      <ol className={styles.history} data-testid="score-history">
        {trend.history.map((p) => {
          const date = format.date(p.asOf);
          const text = p.score === null ? t('trend.absent', { date }) : t('trend.point', { date, score: p.score });
          return (
            <li key={p.runId} className={styles.historyItem} aria-label={text} data-run-id={p.runId} data-score={p.score ?? ''}>
              <Caption1 className={styles.muted} aria-hidden>
                {date}
              </Caption1>
              <span className={styles.historyTrack} aria-hidden>
                <span className={styles.historyBar} style={{ display: 'block', width: `${p.score ?? 0}%` }} />
              </span>
              <Caption1 className={styles.number} aria-hidden>
                {p.score === null ? t('grid.noValue') : format.number(p.score)}
              </Caption1>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** Why a withheld account shows no score or figures: fewer colleagues than the privacy threshold were involved. */
function WithheldScore({ card }: { card: Card }) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <section className={styles.panel} aria-labelledby="score-heading" data-testid="card-withheld">
      <Subtitle2 as="h3" id="score-heading" className={styles.heading}>
        {card.privacyThreshold ? t('privacy.withheld', { k: card.privacyThreshold }) : t('privacy.withheldUnknown')}
      </Subtitle2>
      <Body1>{t('privacy.cardNote')}</Body1>
      <ScoreHistory trend={card.trend} />
    </section>
  );
}

/** The score and why, the totals and each side's share (an account whose counts are published). */
function ScoreAndFigures({ card, totals, value, parts }: { card: Card; totals: NonNullable<Card['totals']>; value: number; parts: NonNullable<Card['score']['parts']> }) {
  const styles = useStyles();
  const { t, format } = useI18n();
  const score = { ...card.score, value, parts };
  const days = (value: number | null) => (value === null ? t('card.never') : t('card.daysAgo', { days: value }));
  const minutes = (value: number | null) => (value === null ? t('card.noValue') : format.duration(value));
  const figures = [
    { key: 'emails', label: t('card.totalEmails'), value: format.number(totals.emails) },
    { key: 'meetings', label: t('card.totalMeetings'), value: format.number(totals.meetings) },
    { key: 'daysSinceLastEmail', label: t('card.daysSinceLastEmail'), value: days(totals.daysSinceLastEmail) },
    { key: 'daysSinceLastMeeting', label: t('card.daysSinceLastMeeting'), value: days(totals.daysSinceLastMeeting) },
    { key: 'averageMeeting', label: t('card.averageMeeting'), value: minutes(totals.averageMeetingMinutes) },
    { key: 'averageReply', label: t('card.averageReply'), value: minutes(totals.averageReplyMinutes) },
    {
      key: 'engagementStart',
      label: t('card.engagementStart'),
      value: totals.engagementStartDate ? format.date(totals.engagementStartDate) : t('card.noValue'),
    },
  ];
  return (
    <>
        <section className={styles.panel} aria-labelledby="score-heading">
          <Subtitle2 as="h3" id="score-heading" className={styles.heading}>
            {t('card.scoreTitle')}
          </Subtitle2>
          <div className={styles.scoreRow}>
            <span className={styles.score} data-testid="card-score">
              {format.number(score.value)}
            </span>
            <ScoreBandBadge score={score.value} testId="card-band" />
            <ScoreChangeText change={card.trend.change} previousAsOf={card.trend.previousAsOf} testId="card-trend" />
            <Caption1 className={styles.muted}>{t('card.scoreOutOf', { median: score.medianScore })}</Caption1>
          </div>
          <Body1 data-testid="card-band-meaning">{bandMeaning(t, score.value)}</Body1>
          <ul className={styles.explanation} aria-label={t('card.explanation')} data-testid="score-explanation">
            {score.explanation.map((item) => {
              const effect = partEffect(item);
              const Icon = effectIcon[effect];
              return (
                <li key={item.part} className={styles.effect} data-part={item.part} data-effect={effect}>
                  <Icon className={mergeClasses(styles.icon, styles[effect])} aria-hidden />
                  <span className={styles.effectText}>
                    <Body1 data-testid="part-sentence">{partSentence(t, item)}</Body1>
                    <Caption1 className={styles.muted}>{t(`card.effect.${effect}`)}</Caption1>
                  </span>
                </li>
              );
            })}
          </ul>
          <details className={styles.how} data-testid="score-how">
            <summary className={styles.howSummary}>{t('card.how.title')}</summary>
            <Body1>{t('card.how.body', { days: parts.halfLifeDays })}</Body1>
          </details>
          <ScoreHistory trend={card.trend} />
        </section>

        <dl className={styles.figures} data-testid="card-figures">
          {figures.map((f) => (
            <div key={f.key} className={styles.figure} data-figure={f.key}>
              <dd className={styles.figureValue}>{f.value}</dd>
              <dt className={styles.muted}>{f.label}</dt>
            </div>
          ))}
        </dl>

        <section aria-labelledby="sides-heading">
          <Subtitle2 as="h3" id="sides-heading" className={styles.heading}>
            {t('card.sidesTitle')}
          </Subtitle2>
          <div className={styles.sides}>
            <Table size="small" aria-labelledby="sides-heading" data-testid="card-sides">
              <TableHeader>
                <TableRow>
                  <TableHeaderCell>{t('card.measure')}</TableHeaderCell>
                  <TableHeaderCell className={styles.number}>{t('card.sideOrganisation')}</TableHeaderCell>
                  <TableHeaderCell className={styles.number}>{t('card.sideAccount')}</TableHeaderCell>
                </TableRow>
              </TableHeader>
              <TableBody>
                {[
                  { key: 'emails', label: t('card.sideEmails'), ours: totals.emailsToAccount, theirs: totals.emailsFromAccount },
                  { key: 'meetings', label: t('card.sideMeetings'), ours: totals.meetingsByOrganisation, theirs: totals.meetingsByAccount },
                  { key: 'peopleEmails', label: t('card.sidePeopleEmails'), ours: totals.peopleOrganisationEmails, theirs: totals.peopleAccountEmails },
                  { key: 'peopleMeetings', label: t('card.sidePeopleMeetings'), ours: totals.peopleOrganisationMeetings, theirs: totals.peopleAccountMeetings },
                ].map((row) => (
                  <TableRow key={row.key} data-row={row.key}>
                    <TableCell>{row.label}</TableCell>
                    <TableCell className={styles.number} data-side="organisation">
                      {format.number(row.ours)}
                    </TableCell>
                    <TableCell className={styles.number} data-side="account">
                      {format.number(row.theirs)}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        </section>
    </>
  );
}
