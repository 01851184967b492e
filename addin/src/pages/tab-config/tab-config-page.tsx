import {
  Body1,
  Caption1,
  Field,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Title2,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { PageLayout } from '../../components/page-layout';
import { useI18n } from '../../platform/i18n/i18n-context';
import { buildChannelTabConfig, channelTabViews, type ChannelTabView } from './tab-config';
import { loadTeamsJs } from '../../platform/teams/use-teams-host';

const useStyles = makeStyles({
  heading: { margin: 0 },
  intro: { maxWidth: '640px', color: tokens.colorNeutralForeground2 },
  option: { display: 'flex', flexDirection: 'column', minWidth: 0 },
  hint: { color: tokens.colorNeutralForeground3 },
  status: { color: tokens.colorNeutralForeground2 },
});

const labelKeys = {
  customers: { label: 'tabConfig.view.customers', hint: 'tabConfig.view.customersHint', tabName: 'tabConfig.tabName.customers' },
  segments: { label: 'tabConfig.view.segments', hint: 'tabConfig.view.segmentsHint', tabName: 'tabConfig.tabName.segments' },
} as const;

/**
 * The configurable tab's setup page. Teams renders its own Save button; the page enables it
 * (`setValidityState`) once a view is chosen and, on Save, hands Teams the tab's settings.
 * Outside the settings frame it is a read-only preview, because the pages.config calls are
 * only allowed there.
 */
export function TabConfigPage({
  inSettingsFrame,
  teamName,
  channelName,
}: {
  inSettingsFrame: boolean;
  teamName?: string;
  channelName?: string;
}) {
  const styles = useStyles();
  const { t } = useI18n();
  const [view, setView] = useState<ChannelTabView | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  // The save handler is registered once; it reads the latest choice and strings from refs.
  const latest = useRef({ view, t });
  latest.current = { view, t };

  useEffect(() => {
    if (!inSettingsFrame) return;
    // In the settings frame the host has loaded teams-js already; the preview outside Teams never does.
    void loadTeamsJs().then(({ pages }) => pages.config.registerOnSaveHandler((event) => {
      const { view: chosen, t: translate } = latest.current;
      if (!chosen) {
        event.notifyFailure(translate('tabConfig.chooseHint'));
        return;
      }
      const config = buildChannelTabConfig(chosen, window.location.origin, translate(labelKeys[chosen].tabName));
      pages.config.setConfig(config).then(
        () => event.notifySuccess(),
        (error: unknown) => {
          const reason = error instanceof Error ? error.message : String(error);
          setSaveError(reason);
          event.notifyFailure(reason);
        },
      );
    }));
  }, [inSettingsFrame]);

  useEffect(() => {
    if (inSettingsFrame) void loadTeamsJs().then(({ pages }) => pages.config.setValidityState(view !== null));
  }, [inSettingsFrame, view]);

  const place = channelName && teamName ? t('tabConfig.placeChannel', { channel: channelName, team: teamName }) : t('tabConfig.placeFallback');

  return (
    <PageLayout label={t('tabConfig.title')}>
      <Title2 as="h1" className={styles.heading}>
        {t('tabConfig.title')}
      </Title2>
      <Body1 className={styles.intro}>{t('tabConfig.intro', { place })}</Body1>
      {inSettingsFrame ? null : (
        <MessageBar intent="info" layout="multiline" data-testid="tab-config-preview">
          <MessageBarBody>{t('tabConfig.outsideTeams')}</MessageBarBody>
        </MessageBar>
      )}
      <Field label={t('tabConfig.viewLabel')} required>
        <RadioGroup
          value={view ?? ''}
          onChange={(_, data) => {
            setSaveError(null);
            setView(data.value as ChannelTabView);
          }}
          data-testid="tab-config-views"
        >
          {channelTabViews.map((id) => (
            <Radio
              key={id}
              value={id}
              label={{
                children: (
                  <span className={styles.option}>
                    <span>{t(labelKeys[id].label)}</span>
                    <Caption1 className={styles.hint}>{t(labelKeys[id].hint)}</Caption1>
                  </span>
                ),
              }}
            />
          ))}
        </RadioGroup>
      </Field>
      {inSettingsFrame ? (
        <Caption1 role="status" className={styles.status} data-testid="tab-config-status">
          {view ? t('tabConfig.ready') : t('tabConfig.chooseHint')}
        </Caption1>
      ) : null}
      {saveError ? (
        <MessageBar intent="error" role="alert">
          <MessageBarBody>{t('tabConfig.saveFailed', { reason: saveError })}</MessageBarBody>
        </MessageBar>
      ) : null}
    </PageLayout>
  );
}
