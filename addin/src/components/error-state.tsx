import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, makeStyles } from '@fluentui/react-components';
import { ArrowClockwiseRegular } from '@fluentui/react-icons';
import type { ApiProblem } from '../platform/api/api-problem';
import { clientProblemCodes } from '../platform/api/api-problem';
import { useI18n } from '../platform/i18n/i18n-context';

const useStyles = makeStyles({
  root: { maxWidth: '640px' },
});

/**
 * Error state: the problem's own title and detail (the API writes them for people), with a
 * Retry button. Client-side failures without a problem document get a translated sentence.
 */
export function ErrorState({ problem, onRetry }: { problem: ApiProblem; onRetry?: () => void }) {
  const styles = useStyles();
  const { t } = useI18n();
  const detail =
    problem.code === clientProblemCodes.network
      ? t('problem.network')
      : problem.code === clientProblemCodes.unexpected
        ? t('problem.unexpected')
        : problem.detail;
  return (
    <MessageBar intent="error" layout="multiline" className={styles.root} role="alert">
      <MessageBarBody>
        <MessageBarTitle>{problem.title || t('state.errorTitle')}</MessageBarTitle>
        {detail}
      </MessageBarBody>
      {onRetry ? (
        <MessageBarActions>
          <Button icon={<ArrowClockwiseRegular />} onClick={onRetry}>
            {t('state.retry')}
          </Button>
        </MessageBarActions>
      ) : null}
    </MessageBar>
  );
}
