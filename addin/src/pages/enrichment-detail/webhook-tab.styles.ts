import { makeStyles, tokens, typographyStyles } from '@fluentui/react-components';

/** The Webhook tab's layout, shared by its registration section and its delivery log. */
export const useWebhookTabStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXL, minWidth: 0 },
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0, maxWidth: '720px' },
  title: { ...typographyStyles.subtitle2, margin: 0 },
  muted: { color: tokens.colorNeutralForeground2 },
  url: { overflowWrap: 'anywhere', fontFamily: tokens.fontFamilyMonospace },
  form: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, minWidth: 0 },
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: tokens.spacingHorizontalS },
  // The table keeps its columns readable and scrolls inside this box at 320 px; the page does not.
  scroller: { overflowX: 'auto', maxWidth: '100%', minWidth: 0 },
  table: { minWidth: '640px' },
  number: { textAlign: 'end', fontVariantNumeric: 'tabular-nums' },
  detail: { overflowWrap: 'anywhere' },
});
