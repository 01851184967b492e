/** The tab's pages, in navigation order. The id is also the `?page=` value Teams deep links use. */
export const pageIds = ['enrichments', 'customers', 'segments', 'datasets', 'enrichment-wizard', 'results', 'enrichment'] as const;
export type PageId = (typeof pageIds)[number];

/**
 * The pages a seller may open: results, customers and segments. Every other page configures
 * the product (enrichments, their runs and consent, customer data) and is for EngagementAdmin
 * holders; for a seller it does not exist (the API refuses its data anyway).
 */
export const sellerPageIds = ['customers', 'segments', 'results'] as const satisfies readonly PageId[];

/** Pages with a tab of their own, in tab order, for an admin; the wizard is opened from Enrichments. */
export const navPageIds = ['enrichments', 'customers', 'segments', 'datasets'] as const satisfies readonly PageId[];
/** A seller's tabs: no configuration pages, and Results gets a tab of its own. */
export const sellerNavPageIds = ['customers', 'segments', 'results'] as const satisfies readonly PageId[];
export type NavPageId = (typeof navPageIds)[number] | (typeof sellerNavPageIds)[number];

export function navPagesFor(isAdmin: boolean): readonly NavPageId[] {
  return isAdmin ? navPageIds : sellerNavPageIds;
}

/** The tab that shows as selected while a page without a tab of its own is open. */
export function navPageFor(page: PageId, isAdmin = true): NavPageId {
  if (!isAdmin) return (sellerNavPageIds as readonly PageId[]).includes(page) ? (page as NavPageId) : sellerDefaultPage;
  // Results are reached from an enrichment, so Enrichments stays selected.
  return page === 'enrichment-wizard' || page === 'results' || page === 'enrichment' ? 'enrichments' : page;
}

export const sellerDefaultPage = 'customers' satisfies PageId;

/** The page to show for the requested one: a seller asking for an admin page gets their default page. */
export function pageFor(page: PageId, isAdmin: boolean): PageId {
  return isAdmin || (sellerPageIds as readonly PageId[]).includes(page) ? page : sellerDefaultPage;
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
