import {
  Body1,
  Button,
  Caption1,
  Field,
  Radio,
  RadioGroup,
  Spinner,
  Subtitle2,
  Text,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { PersonRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useSession } from '../../platform/session/session-provider';
import { EmptyState } from '../../components/empty-state';
import { ErrorState } from '../../components/error-state';
import { LoadingState } from '../../components/loading-state';
import { PageLayout } from '../../components/page-layout';
import type { ApiProblem } from '../../platform/api/api-problem';
import type { DevPersona } from '../../platform/api/contracts';
import { useI18n } from '../../platform/i18n/i18n-context';
import { toProblem, useApiResource } from '../../platform/api/use-api-resource';

const useStyles = makeStyles({
  intro: { maxWidth: '640px', color: tokens.colorNeutralForeground2 },
  people: {
    listStyleType: 'none',
    margin: 0,
    padding: 0,
    display: 'flex',
    flexDirection: 'column',
    gap: tokens.spacingVerticalS,
    maxWidth: '480px',
  },
  person: {
    width: '100%',
    justifyContent: 'flex-start',
    textAlign: 'start',
    paddingBlock: tokens.spacingVerticalS,
  },
  personText: {
    display: 'flex',
    flexDirection: 'column',
    minWidth: 0,
    overflowWrap: 'anywhere',
  },
  personRole: { color: tokens.colorNeutralForeground3 },
  heading: { margin: 0 },
  subheading: { margin: 0 },
});

const personaKeys = {
  tenantAdmin: 'persona.tenantAdmin',
  enrichmentAdmin: 'persona.enrichmentAdmin',
  seller: 'persona.seller',
} as const;

/**
 * Standalone-only sign-in: pick one of the API's personas. A button per person, so one click
 * or Enter signs in; with several organisations a radio group picks the organisation first.
 */
export function DevSignInPage() {
  const styles = useStyles();
  const { t } = useI18n();
  const { api, signInAs } = useSession();
  const personas = useApiResource((signal) => api.getDevPersonas(signal), [api]);
  const [tenantId, setTenantId] = useState<string | null>(null);
  const [pending, setPending] = useState<DevPersona | null>(null);
  const [failure, setFailure] = useState<ApiProblem | null>(null);

  const tenants = personas.status === 'ready' ? personas.data.tenants : [];
  const tenant = tenants.find((x) => x.tenantId === tenantId) ?? tenants[0];

  async function choose(person: DevPersona) {
    if (!tenant || pending) return;
    setPending(person);
    setFailure(null);
    try {
      await signInAs(tenant.tenantId, person.userId);
    } catch (error) {
      setFailure(toProblem(error));
      setPending(null);
    }
  }

  return (
    <PageLayout label={t('signIn.title')}>
      <Title2 as="h1" className={styles.heading}>
        {t('signIn.title')}
      </Title2>
      <Body1 className={styles.intro}>{t('signIn.intro')}</Body1>
      {personas.status === 'loading' ? (
        <LoadingState label={t('state.loading')} lines={3} />
      ) : personas.status === 'error' ? (
        <ErrorState problem={personas.problem} onRetry={personas.retry} />
      ) : !tenant ? (
        <EmptyState message={t('signIn.noPersonas')} />
      ) : (
        <>
          {tenants.length > 1 ? (
            <Field label={t('signIn.tenant')}>
              <RadioGroup value={tenant.tenantId} onChange={(_, data) => setTenantId(data.value)}>
                {tenants.map((x) => (
                  <Radio key={x.tenantId} value={x.tenantId} label={x.displayName} />
                ))}
              </RadioGroup>
            </Field>
          ) : null}
          <Subtitle2 as="h2" className={styles.subheading}>{t('signIn.people', { tenant: tenant.displayName })}</Subtitle2>
          {failure ? <ErrorState problem={failure} /> : null}
          <ul className={styles.people}>
            {tenant.personas.map((person) => (
              <li key={person.userId}>
                <Button
                  className={styles.person}
                  size="large"
                  icon={pending?.userId === person.userId ? <Spinner size="tiny" /> : <PersonRegular />}
                  disabled={!!pending}
                  onClick={() => void choose(person)}
                  data-persona={person.persona}
                >
                  <span className={styles.personText}>
                    <Text weight="semibold">{person.displayName}</Text>
                    <Caption1 className={styles.personRole}>{t(personaKeys[person.persona])}</Caption1>
                  </span>
                </Button>
              </li>
            ))}
          </ul>
          {pending ? (
            <Caption1 role="status">{t('signIn.signingInAs', { name: pending.displayName })}</Caption1>
          ) : null}
        </>
      )}
    </PageLayout>
  );
}
