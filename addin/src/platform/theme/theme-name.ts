/** The three looks the tab supports; Teams' own names are mapped onto these. */
export type ThemeName = 'light' | 'dark' | 'contrast';

export const themeNames: readonly ThemeName[] = ['light', 'dark', 'contrast'];

/**
 * Map a Teams host theme to ours. 'glass' (the newer Teams look) has no Fluent v9 theme of
 * its own and sits on light surfaces, so it maps to light, as does anything unknown.
 */
export function themeFromTeams(teamsTheme: string | null | undefined): ThemeName {
  switch (teamsTheme) {
    case 'dark':
      return 'dark';
    case 'contrast':
      return 'contrast';
    default:
      return 'light';
  }
}

/** Parse the `?theme=` override; anything else is ignored rather than guessed. */
export function parseThemeParam(value: string | null | undefined): ThemeName | null {
  const v = value?.trim().toLowerCase();
  return v === 'light' || v === 'dark' || v === 'contrast' ? v : null;
}

/** Standalone theme: explicit override first, then the OS's forced colours and colour scheme. */
export function standaloneTheme(input: {
  override: ThemeName | null;
  prefersDark: boolean;
  forcedColors: boolean;
}): ThemeName {
  if (input.override) return input.override;
  if (input.forcedColors) return 'contrast';
  return input.prefersDark ? 'dark' : 'light';
}
