import { makeStyles, tokens, typographyStyles } from '@fluentui/react-components';
import { useId, type ReactNode } from 'react';

const useStyles = makeStyles({
  figure: { margin: 0, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  title: { ...typographyStyles.body1Strong, margin: 0 },
});

/**
 * Every chart has a visible title, which is also its accessible name. `children` gets the
 * title's id, for a list or table inside that wants the same name.
 */
export function ChartFrame({
  title,
  headingLevel = 3,
  children,
}: {
  title: string;
  headingLevel?: 2 | 3 | undefined;
  children: (titleId: string) => ReactNode;
}) {
  const styles = useStyles();
  const id = useId();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <figure className={styles.figure} role="figure" aria-labelledby={id} data-testid="chart">
      <figcaption>
        <Heading id={id} className={styles.title} data-testid="chart-title">
          {title}
        </Heading>
      </figcaption>
      {children(id)}
    </figure>
  );
}
