import { makeStyles, tokens, typographyStyles } from '@fluentui/react-components';

/** Shared by the estimate, mailbox health and unmatched domains tabs of the enrichment page. */
export const useAdminViewStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0, maxWidth: '880px' },
  title: { ...typographyStyles.subtitle2, margin: 0 },
  muted: { color: tokens.colorNeutralForeground2 },
  toolbar: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalM },
  // Tables keep their columns and scroll inside this box at 320 px; the page does not.
  scroller: { overflowX: 'auto', maxWidth: '100%', minWidth: 0 },
  table: { minWidth: '560px' },
  number: { textAlign: 'end', fontVariantNumeric: 'tabular-nums' },
  wrap: { overflowWrap: 'anywhere' },
  // A long state name wraps inside its badge instead of spilling over the next column.
  badge: { height: 'auto', whiteSpace: 'normal', paddingBlock: tokens.spacingVerticalXXS },
  summary: { ...typographyStyles.body1Strong, overflowWrap: 'anywhere' },
});
