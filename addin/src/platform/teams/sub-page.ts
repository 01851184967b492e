/**
 * A Teams deep link into a tab carries its own state as the context's `subEntityId` (the tab reads
 * it as `page.subPageId`): here a query string such as `enrichmentId=…&accounts=A1,A2`, which an
 * account alert's link uses to open the customer list filtered to the alert's accounts. Only the
 * parameters the pages read are taken over, into the tab's own URL.
 */
const CARRIED = ['page', 'enrichmentId', 'accounts', 'accountId'] as const;

/** The tab URL with the sub-page's parameters applied, or null when it carries none. */
export function urlWithSubPage(href: string, subPageId: string | undefined): string | null {
  if (!subPageId) return null;
  const given = new URLSearchParams(subPageId);
  const url = new URL(href);
  let changed = false;
  for (const name of CARRIED) {
    const value = given.get(name);
    if (value === null || !value.trim()) continue;
    url.searchParams.set(name, value.trim());
    changed = true;
  }
  if (!changed) return null;
  if (!url.searchParams.get('page') && given.get('accounts')) url.searchParams.set('page', 'customers');
  return url.toString();
}
