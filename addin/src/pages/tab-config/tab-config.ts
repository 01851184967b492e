/**
 * The configurable (channel / group chat) tab: what it can show and the settings Teams
 * stores for it. Pure, so the shape Teams receives is testable without a host.
 */

/** Views a shared tab can show. Only team-wide views: a channel tab shows everyone the same. */
export const channelTabViews = ['customers', 'segments'] as const;
export type ChannelTabView = (typeof channelTabViews)[number];

/** What `pages.config.setConfig` receives; Teams keeps it per tab instance. */
export interface ChannelTabConfig {
  entityId: string;
  contentUrl: string;
  websiteUrl: string;
  suggestedDisplayName: string;
}

/**
 * Settings for a chosen view. The content URL is on the tab's own origin (the one listed in
 * the manifest's validDomains) and opens that page directly; `surface=channel` lets the page
 * know it is shared rather than personal.
 */
export function buildChannelTabConfig(view: ChannelTabView, origin: string, displayName: string): ChannelTabConfig {
  const base = origin.replace(/\/+$/, '');
  return {
    entityId: `account-engagement-${view}`,
    contentUrl: `${base}/?page=${view}&surface=channel`,
    websiteUrl: `${base}/?page=${view}`,
    suggestedDisplayName: displayName,
  };
}

/**
 * The configuration page is what Teams opens in the `settings` frame (the manifest's
 * configurationUrl is `/?page=config`); `?page=config` alone shows it as a preview elsewhere.
 */
export function isTabConfigRequest(frameContext: string | undefined, search: string): boolean {
  if (frameContext === 'settings') return true;
  return new URLSearchParams(search).get('page')?.trim().toLowerCase() === 'config';
}
