import { Body1, Title2, makeStyles, tokens } from '@fluentui/react-components';
import { PageLayout } from '../../components/page-layout';
import { useI18n } from '../../platform/i18n/i18n-context';

const useStyles = makeStyles({
  heading: { margin: 0 },
  body: { maxWidth: '640px', color: tokens.colorNeutralForeground2 },
});

/** Shown outside Teams when the API has dev sign-in turned off: there is no other way in. */
export function OpenInTeamsPage() {
  const styles = useStyles();
  const { t } = useI18n();
  return (
    <PageLayout label={t('teamsOnly.title')}>
      <Title2 as="h1" className={styles.heading} data-testid="open-in-teams">
        {t('teamsOnly.title')}
      </Title2>
      <Body1 className={styles.body}>{t('teamsOnly.body')}</Body1>
    </PageLayout>
  );
}
