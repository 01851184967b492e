import { makeStyles, tokens } from '@fluentui/react-components';
import type { ReactNode } from 'react';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalL,
    paddingBlock: tokens.spacingVerticalL,
    paddingInline: tokens.spacingHorizontalL,
    minWidth: 0,
  },
});

/** Common page padding and vertical rhythm; `minWidth: 0` lets long content wrap at 320 px. */
export function PageLayout({ label, children }: { label: string; children: ReactNode }) {
  const styles = useStyles();
  return (
    <main className={styles.root} aria-label={label}>
      {children}
    </main>
  );
}
