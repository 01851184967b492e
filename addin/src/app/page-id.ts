/** The tab's pages, in navigation order. The id is also the `?page=` value Teams deep links use. */
export const pageIds = ['enrichments', 'customers', 'segments'] as const;
export type PageId = (typeof pageIds)[number];

export const defaultPage: PageId = 'enrichments';

export function parsePageParam(value: string | null | undefined): PageId {
  const v = value?.trim().toLowerCase();
  return (pageIds as readonly string[]).includes(v ?? '') ? (v as PageId) : defaultPage;
}

/** The URL for a page, keeping every other query parameter (theme, Teams' own). */
export function urlForPage(current: string, page: PageId): string {
  const url = new URL(current);
  url.searchParams.set('page', page);
  return url.toString();
}
