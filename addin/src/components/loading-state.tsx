import { Skeleton, SkeletonItem, Spinner, makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  lines: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    maxWidth: '640px',
  },
  spinner: {
    paddingBlock: tokens.spacingVerticalXXL,
  },
});

/**
 * Loading placeholder. `lines` shows a skeleton shaped like the list that is coming, which
 * keeps the layout steady; without it a labelled spinner is shown (e.g. while signing in).
 */
export function LoadingState({ label, lines }: { label: string; lines?: number }) {
  const styles = useStyles();
  if (lines && lines > 0) {
    return (
      <Skeleton aria-label={label} className={styles.lines} role="progressbar" aria-busy="true">
        {Array.from({ length: lines }, (_, i) => (
          <SkeletonItem key={i} size={i === 0 ? 24 : 16} />
        ))}
      </Skeleton>
    );
  }
  return <Spinner className={styles.spinner} label={label} labelPosition="below" />;
}
