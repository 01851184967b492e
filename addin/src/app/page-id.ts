/** The tab's pages, in navigation order. The id is also the `?page=` value Teams deep links use. */
export const pageIds = ['enrichments', 'customers', 'segments', 'datasets', 'enrichment-wizard', 'results', 'enrichment'] as const;
export type PageId = (typeof pageIds)[number];

/** Pages with a tab of their own, in tab order; the wizard is opened from Enrichments. */
export const navPageIds = ['enrichments', 'customers', 'segments', 'datasets'] as const satisfies readonly PageId[];
export type NavPageId = (typeof navPageIds)[number];

/** The tab that shows as selected while a page without a tab of its own is open. */
export function navPageFor(page: PageId): NavPageId {
  // Results are reached from an enrichment, so Enrichments stays selected.
  return page === 'enrichment-wizard' || page === 'results' || page === 'enrichment' ? 'enrichments' : page;
}

/** Query parameters a navigation sets (a string) or removes (null), besides `page`. */
export type PageParams = Record<string, string | null>;

export const defaultPage: PageId = 'enrichments';

export function parsePageParam(value: string | null | undefined): PageId {
  const v = value?.trim().toLowerCase();
  return (pageIds as readonly string[]).includes(v ?? '') ? (v as PageId) : defaultPage;
}

/** The URL for a page, keeping every other query parameter (theme, Teams' own). */
export function urlForPage(current: string, page: PageId, params: PageParams = {}): string {
  const url = new URL(current);
  url.searchParams.set('page', page);
  for (const [key, value] of Object.entries(params)) {
    if (value === null) url.searchParams.delete(key);
    else url.searchParams.set(key, value);
  }
  return url.toString();
}
