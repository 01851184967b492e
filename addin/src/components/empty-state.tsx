import { Body1, Caption1, makeStyles, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    paddingBlock: tokens.spacingVerticalL,
    paddingInline: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} dashed ${tokens.colorNeutralStroke1}`,
    color: tokens.colorNeutralForeground2,
    maxWidth: '640px',
    boxSizing: 'border-box',
  },
  next: {
    color: tokens.colorNeutralForeground3,
  },
});

/**
 * What a page shows when it has nothing yet: one sentence on what will appear here and,
 * when known, one on what to do next. Deliberately text only, so it reads well at 320 px.
 */
export function EmptyState({ message, next, testId }: { message: string; next?: string; testId?: string }) {
  const styles = useStyles();
  return (
    <section className={styles.root} data-testid={testId} aria-label={message}>
      <Body1>{message}</Body1>
      {next ? <Caption1 className={styles.next}>{next}</Caption1> : null}
    </section>
  );
}
