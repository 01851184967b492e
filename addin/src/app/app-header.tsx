import { Badge, Button, Text, Tooltip, makeStyles, tokens } from '@fluentui/react-components';
import { SignOutRegular } from '@fluentui/react-icons';
import { ThemeSwitcher } from '../components/theme-switcher';
import { useI18n } from '../platform/i18n/i18n-context';
import type { ThemeName } from '../platform/theme/theme-name';
import { useSession } from '../platform/session/session-provider';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalXS,
    paddingBlock: tokens.spacingVerticalS,
    paddingInline: tokens.spacingHorizontalL,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  name: {
    fontWeight: tokens.fontWeightSemibold,
    marginInlineEnd: 'auto',
  },
  user: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalS,
    minWidth: 0,
  },
  userName: {
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    minWidth: 0,
  },
  actions: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalXS,
  },
});

/**
 * Top bar: app name, who is signed in (with an Admin badge), and, outside Teams only, the
 * theme picker and sign-out. Wraps onto two lines in a narrow side panel.
 */
export function AppHeader({ theme, onThemeChange }: { theme: ThemeName; onThemeChange(next: ThemeName): void }) {
  const styles = useStyles();
  const { t } = useI18n();
  const { state, mode, signOut } = useSession();
  const me = state.status === 'signed-in' ? state.me : null;
  return (
    <header className={styles.root}>
      <Text as="span" size={400} className={styles.name}>
        {t('app.name')}
      </Text>
      {me ? (
        <span className={styles.user} data-testid="signed-in-user" aria-label={t('header.signedInAs', { name: me.displayName })}>
          <Text className={styles.userName} data-testid="user-name">
            {me.displayName}
          </Text>
          {me.isAdmin ? (
            <Badge appearance="tint" color="brand" data-testid="admin-badge">
              {t('header.adminBadge')}
            </Badge>
          ) : null}
        </span>
      ) : null}
      {mode === 'standalone' ? (
        <span className={styles.actions}>
          <ThemeSwitcher theme={theme} onChange={onThemeChange} />
          {me ? (
            <Tooltip content={t('header.signOut')} relationship="label">
              <Button appearance="subtle" icon={<SignOutRegular />} onClick={signOut} />
            </Tooltip>
          ) : null}
        </span>
      ) : null}
    </header>
  );
}
