import { makeStyles, tokens, typographyStyles } from '@fluentui/react-components';

/** One setting of the enrichment page (the half-life, the privacy threshold): title, what it does, the field and its save. */
export const useSettingsSectionStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, maxWidth: '560px', minWidth: 0 },
  title: { ...typographyStyles.subtitle2, margin: 0 },
  row: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: tokens.spacingHorizontalM },
  muted: { color: tokens.colorNeutralForeground2 },
});
