import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowClockwiseRegular } from '@fluentui/react-icons';
import type { ApiProblem } from '../api/api-problem';
import { classifySsoFailure, type SsoFailureKind } from '../auth/teams-token-source';
import { useI18n } from '../i18n/i18n-context';
import type { StringKey } from '../i18n/strings-en';

const useStyles = makeStyles({
  root: { maxWidth: '640px' },
  body: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS },
  reason: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
});

const copy: Record<SsoFailureKind, { title: StringKey; fix: StringKey }> = {
  consent: { title: 'sso.consent.title', fix: 'sso.consent.fix' },
  misconfigured: { title: 'sso.misconfigured.title', fix: 'sso.misconfigured.fix' },
  cancelled: { title: 'sso.cancelled.title', fix: 'sso.cancelled.fix' },
  expired: { title: 'sso.expired.title', fix: 'sso.expired.fix' },
  unknown: { title: 'sso.unknown.title', fix: 'sso.unknown.fix' },
};

/**
 * What the tab shows when Teams would not give it an SSO token: what happened, in words a
 * seller understands, the fix (who to ask and what to ask for), Teams' own reason for the
 * administrator, and Retry, because consent granted meanwhile or a renewed session fixes it
 * without reloading Teams.
 */
export function TeamsSignInError({ problem, onRetry }: { problem: ApiProblem; onRetry: () => void }) {
  const styles = useStyles();
  const { t } = useI18n();
  const kind = classifySsoFailure(problem.detail);
  return (
    <MessageBar intent="error" layout="multiline" className={styles.root} role="alert" data-testid="sso-error" data-sso-failure={kind}>
      <MessageBarBody className={styles.body}>
        <MessageBarTitle>{t(copy[kind].title)}</MessageBarTitle>
        <Text data-testid="sso-error-fix">{t(copy[kind].fix)}</Text>
        <Text size={200} className={styles.reason}>
          {t('sso.reason', { reason: problem.detail })}
        </Text>
      </MessageBarBody>
      <MessageBarActions>
        <Button icon={<ArrowClockwiseRegular />} onClick={onRetry}>
          {t('state.retry')}
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}
