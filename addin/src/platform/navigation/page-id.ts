/** The tab's pages. The id is also the `?page=` value Teams deep links use. */
export const pageIds = ['customers', 'results', 'segments', 'enrichments', 'datasets', 'enrichment-wizard', 'enrichment'] as const;
export type PageId = (typeof pageIds)[number];

/** Pages with a tab of their own, in tab order: what sellers use first, then the admin's setup. */
export const navPageIds = ['customers', 'results', 'segments', 'enrichments', 'datasets'] as const satisfies readonly PageId[];
export type NavPageId = (typeof navPageIds)[number];

/**
 * Configuration pages: enrichments, their runs and mailboxes, customer data. Only admins see
 * them in the navigation; a seller's link to one opens the seller's landing page instead.
 */
const adminOnlyPages: ReadonlySet<PageId> = new Set<PageId>(['enrichments', 'datasets', 'enrichment-wizard', 'enrichment']);

export function isAdminOnlyPage(page: PageId): boolean {
  return adminOnlyPages.has(page);
}

/** The navigation tabs a user sees. */
export function navPagesFor(isAdmin: boolean): NavPageId[] {
  return navPageIds.filter((id) => isAdmin || !adminOnlyPages.has(id));
}

/** Where a user lands without `?page=`: sellers on Customers, admins on their setup. */
export function landingPage(isAdmin: boolean): PageId {
  return isAdmin ? 'enrichments' : 'customers';
}

/** The tab that shows as selected while a page without a tab of its own is open. */
export function navPageFor(page: PageId): NavPageId {
  // The wizard and an enrichment's own page are reached from Enrichments.
  return page === 'enrichment-wizard' || page === 'enrichment' ? 'enrichments' : page;
}

/** The page a user is shown for a requested one: the landing page when none, or when it is not theirs. */
export function pageFor(requested: PageId | null, isAdmin: boolean): PageId {
  if (!requested || (!isAdmin && isAdminOnlyPage(requested))) return landingPage(isAdmin);
  return requested;
}

/** Query parameters a navigation sets (a string) or removes (null), besides `page`. */
export type PageParams = Record<string, string | null>;

/**
 * Parameters that belong to the whole tab rather than to one page (the theme and language
 * overrides outside Teams, and the channel-tab marker); every other parameter belongs to the
 * page that set it and is dropped when another page opens.
 */
export const tabWideParams: readonly string[] = ['theme', 'locale', 'surface'];

export function parsePageParam(value: string | null | undefined): PageId | null {
  const v = value?.trim().toLowerCase();
  return (pageIds as readonly string[]).includes(v ?? '') ? (v as PageId) : null;
}

/**
 * The URL for a page: the tab-wide parameters are kept, the previous page's own parameters
 * are not (an account id or a filter must not leak into the next page), and `params` adds
 * the new page's.
 */
export function urlForPage(current: string, page: PageId, params: PageParams = {}): string {
  const url = new URL(current);
  for (const key of [...url.searchParams.keys()]) if (!tabWideParams.includes(key)) url.searchParams.delete(key);
  url.searchParams.set('page', page);
  for (const [key, value] of Object.entries(params)) {
    if (value !== null) url.searchParams.set(key, value);
  }
  return url.toString();
}

/** The same page's URL with some of its parameters changed (null removes), the rest kept. */
export function urlWithParams(current: string, params: PageParams): string {
  const url = new URL(current);
  for (const [key, value] of Object.entries(params)) {
    if (value === null) url.searchParams.delete(key);
    else url.searchParams.set(key, value);
  }
  return url.toString();
}
