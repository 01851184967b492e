import { Tab, TabList, makeStyles, mergeClasses, tokens, type SelectTabData } from '@fluentui/react-components';
import { useI18n } from '../platform/i18n/i18n-context';
import { useMediaQuery } from '../platform/use-media-query';
import { useNavigation } from '../platform/navigation/navigation';
import { navPageFor, navPagesFor, type PageId } from '../platform/navigation/page-id';
import { useMe } from '../platform/session/session-provider';

const useStyles = makeStyles({
  root: {
    paddingInline: tokens.spacingHorizontalS,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    // A narrow side panel may not fit every tab; let them wrap rather than scroll sideways.
    flexWrap: 'wrap',
  },
  narrow: {
    paddingInline: 0,
  },
});

const labelKeys = {
  customers: 'nav.customers',
  results: 'nav.accounts',
  segments: 'nav.segments',
  enrichments: 'nav.enrichments',
  datasets: 'nav.datasets',
} as const;

/**
 * Page tabs: what sellers use (customers, the accounts grid, segments), then for admins only
 * the setup pages; a seller never sees a tab they cannot use. Fluent's TabList moves focus with the arrow keys and selects with Enter or
 * Space, so keyboard users can browse tabs without loading each page on the way.
 */
export function AppNavigation() {
  const styles = useStyles();
  const { t } = useI18n();
  const { page, navigate } = useNavigation();
  const me = useMe();
  // Small tabs keep the seller's three on one line in the ~320 px Teams side panel.
  const narrow = useMediaQuery('(max-width: 480px)');
  const onTabSelect = (_: unknown, data: SelectTabData) => navigate(data.value as PageId);
  return (
    <nav aria-label={t('nav.label')}>
      <TabList className={mergeClasses(styles.root, narrow && styles.narrow)} selectedValue={navPageFor(page)} onTabSelect={onTabSelect} size={narrow ? 'small' : 'medium'}>
        {navPagesFor(me.isAdmin).map((id) => (
          <Tab key={id} value={id} data-testid={`nav-${id}`}>
            {t(labelKeys[id])}
          </Tab>
        ))}
      </TabList>
    </nav>
  );
}
