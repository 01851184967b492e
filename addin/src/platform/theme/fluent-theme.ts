import { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme, type Theme } from '@fluentui/react-components';
import type { ThemeName } from './theme-name';

const fluentThemes: Record<ThemeName, Theme> = {
  light: teamsLightTheme,
  dark: teamsDarkTheme,
  contrast: teamsHighContrastTheme,
};

export function fluentThemeFor(name: ThemeName): Theme {
  return fluentThemes[name];
}
