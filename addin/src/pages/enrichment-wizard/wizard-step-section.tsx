import { Body1, makeStyles, tokens, typographyStyles } from '@fluentui/react-components';
import { useEffect, useRef, type ReactNode } from 'react';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalM,
    maxWidth: '720px',
    minWidth: 0,
  },
  heading: {
    ...typographyStyles.subtitle1,
    margin: 0,
    ':focus-visible': {
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
      outlineOffset: tokens.spacingHorizontalXXS,
      borderRadius: tokens.borderRadiusSmall,
    },
  },
  intro: { color: tokens.colorNeutralForeground2 },
});

/**
 * One wizard step: an h2 that takes focus when the step opens (unless it is the first view),
 * so screen readers announce the new step and keyboard users continue from its top.
 */
export function WizardStepSection({
  title,
  intro,
  focusOnMount,
  testId,
  children,
}: {
  title: string;
  intro?: string;
  focusOnMount: boolean;
  testId: string;
  children: ReactNode;
}) {
  const styles = useStyles();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusOnMount) ref.current?.focus();
    // Only on mount: the step component is keyed by step, so this runs once per step shown.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <section className={styles.root} aria-labelledby={`${testId}-heading`} data-testid={testId}>
      <h2 ref={ref} id={`${testId}-heading`} tabIndex={-1} className={styles.heading}>
        {title}
      </h2>
      {intro ? <Body1 className={styles.intro}>{intro}</Body1> : null}
      {children}
    </section>
  );
}
