import { Breadcrumb, BreadcrumbButton, BreadcrumbDivider, BreadcrumbItem, makeStyles } from '@fluentui/react-components';
import { Fragment } from 'react';
import { useI18n } from '../platform/i18n/i18n-context';

const useStyles = makeStyles({
  root: { minWidth: 0, overflowWrap: 'anywhere' },
  // Long account names wrap instead of pushing the page sideways at 320 px.
  current: { whiteSpace: 'normal', height: 'auto', textAlign: 'start' },
});

export interface Crumb {
  label: string;
  /** Opens that place; the last crumb (where the user is) has none. */
  onOpen?: () => void;
  testId?: string;
}

/** Where the user came from, as a trail of buttons back, ending with the current page. */
export function BackBreadcrumb({ crumbs }: { crumbs: Crumb[] }) {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <Breadcrumb aria-label={t('nav.breadcrumb')} className={styles.root} data-testid="breadcrumb">
      {crumbs.map((crumb, index) => (
        <Fragment key={`${index}-${crumb.label}`}>
          {index > 0 ? <BreadcrumbDivider /> : null}
          <BreadcrumbItem>
            <BreadcrumbButton
              current={!crumb.onOpen}
              className={crumb.onOpen ? undefined : styles.current}
              {...(crumb.onOpen ? { onClick: crumb.onOpen } : {})}
              {...(crumb.testId ? { 'data-testid': crumb.testId } : {})}
            >
              {crumb.label}
            </BreadcrumbButton>
          </BreadcrumbItem>
        </Fragment>
      ))}
    </Breadcrumb>
  );
}
