import { Menu, MenuButton, MenuItemRadio, MenuList, MenuPopover, MenuTrigger, type MenuProps } from '@fluentui/react-components';
import { DarkThemeRegular } from '@fluentui/react-icons';
import { useI18n } from '../platform/i18n/i18n-context';
import { themeNames, type ThemeName } from '../platform/theme/theme-name';

const labelKeys = { light: 'theme.light', dark: 'theme.dark', contrast: 'theme.contrast' } as const;

/** Standalone-only theme picker, so people can check each Teams theme outside Teams. */
export function ThemeSwitcher({ theme, onChange }: { theme: ThemeName; onChange(next: ThemeName): void }) {
  const { t } = useI18n();
  const onCheckedValueChange: MenuProps['onCheckedValueChange'] = (_, data) => {
    const picked = data.checkedItems[0];
    if (picked && (themeNames as readonly string[]).includes(picked)) onChange(picked as ThemeName);
  };
  return (
    <Menu checkedValues={{ theme: [theme] }} onCheckedValueChange={onCheckedValueChange}>
      <MenuTrigger disableButtonEnhancement>
        <MenuButton appearance="subtle" icon={<DarkThemeRegular />} aria-label={t('common.labelValue', { label: t('header.theme'), value: t(labelKeys[theme]) })}>
          {t('header.theme')}
        </MenuButton>
      </MenuTrigger>
      <MenuPopover>
        <MenuList>
          {themeNames.map((name) => (
            <MenuItemRadio key={name} name="theme" value={name}>
              {t(labelKeys[name])}
            </MenuItemRadio>
          ))}
        </MenuList>
      </MenuPopover>
    </Menu>
  );
}
