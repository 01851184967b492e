import { Tab, TabList, makeStyles, mergeClasses, tokens, type SelectTabData } from '@fluentui/react-components';
import { useI18n } from '../platform/i18n/i18n-context';
import { useMediaQuery } from '../platform/use-media-query';
import { useNavigation } from './navigation';
import { useMe } from './session-provider';
import { navPageFor, navPagesFor, type PageId } from './page-id';

const useStyles = makeStyles({
  root: {
    paddingInline: tokens.spacingHorizontalS,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    // A narrow side panel may not fit three tabs; let them wrap rather than scroll sideways.
    flexWrap: 'wrap',
  },
  narrow: {
    paddingInline: 0,
  },
});

const labelKeys = { enrichments: 'nav.enrichments', customers: 'nav.customers', segments: 'nav.segments', datasets: 'nav.datasets', results: 'nav.results' } as const;

/**
 * Page tabs. Fluent's TabList moves focus with the arrow keys and selects with Enter or
 * Space, so keyboard users can browse tabs without loading each page on the way.
 */
export function AppNavigation() {
  const styles = useStyles();
  const { t } = useI18n();
  const { page, navigate } = useNavigation();
  // Sellers get the pages they may use only: configuration pages are not offered at all.
  const { isAdmin } = useMe();
  // Small tabs fit all three on one line in the ~320 px Teams side panel.
  const narrow = useMediaQuery('(max-width: 480px)');
  const onTabSelect = (_: unknown, data: SelectTabData) => navigate(data.value as PageId);
  return (
    <nav aria-label={t('nav.label')}>
      <TabList className={mergeClasses(styles.root, narrow && styles.narrow)} selectedValue={navPageFor(page, isAdmin)} onTabSelect={onTabSelect} size={narrow ? 'small' : 'medium'}>
        {navPagesFor(isAdmin).map((id) => (
          <Tab key={id} value={id} data-testid={`nav-${id}`}>
            {t(labelKeys[id])}
          </Tab>
        ))}
      </TabList>
    </nav>
  );
}
