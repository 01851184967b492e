import { makeStyles, tokens, typographyStyles } from '@fluentui/react-components';
import { useEffect, useRef } from 'react';
import { useNavigation } from '../platform/navigation/navigation';

const useStyles = makeStyles({
  heading: {
    ...typographyStyles.title2,
    margin: 0,
    ':focus-visible': {
      outline: `${tokens.strokeWidthThick} solid ${tokens.colorStrokeFocus2}`,
      outlineOffset: tokens.spacingHorizontalXXS,
      borderRadius: tokens.borderRadiusSmall,
    },
  },
});

/**
 * A page's h1. After an in-app navigation it takes focus, so screen readers announce the new
 * page and keyboard users continue from its top; on first load focus is left alone.
 */
export function PageHeading({ children }: { children: string }) {
  const styles = useStyles();
  const { focusToken } = useNavigation();
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusToken > 0) ref.current?.focus();
  }, [focusToken]);
  return (
    <h1 ref={ref} tabIndex={-1} className={styles.heading}>
      {children}
    </h1>
  );
}
