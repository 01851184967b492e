/**
 * English UI strings. Every visible sentence of the tab lives here, keyed, so another locale
 * is one more file with the same keys (the `Messages` type makes a missing key a type error).
 * Placeholders use `{name}` and are filled by the translator.
 */
import { stringsEnAdminViews } from './strings-en-admin-views';
import { stringsEnAdmin } from './strings-en-admin';
import { stringsEnInsights } from './strings-en-insights';
import { stringsEnRuns } from './strings-en-runs';
import { stringsEnPrivacy } from './strings-en-privacy';
import { stringsEnScoring } from './strings-en-scoring';
import { stringsEnWebhooks } from './strings-en-webhooks';
import { stringsEnAlerts } from './strings-en-alerts';

export const stringsEn = {
  ...stringsEnAdminViews,
  ...stringsEnAdmin,
  ...stringsEnInsights,
  ...stringsEnRuns,
  ...stringsEnScoring,
  ...stringsEnWebhooks,
  ...stringsEnAlerts,
  ...stringsEnPrivacy,
  'app.name': 'Account engagement',
  'app.loading': 'Loading Account engagement…',
  'app.signingIn': 'Signing you in…',

  'nav.label': 'Pages',
  'nav.enrichments': 'Enrichments',
  'nav.customers': 'Customers',
  'nav.segments': 'Segments',
  'nav.accounts': 'Accounts',
  'nav.breadcrumb': 'Where you are',

  'common.labelValue': '{label}: {value}',
  'common.clearSearch': 'Clear search',
  'common.openList': 'Show the choices',
  'period.weekOf': 'Week of {date}',

  'header.adminBadge': 'Admin',
  'header.signOut': 'Sign out',
  'header.signedInAs': 'Signed in as {name}',
  'header.theme': 'Theme',
  'theme.light': 'Light',
  'theme.dark': 'Dark',
  'theme.contrast': 'High contrast',

  'state.loading': 'Loading…',
  'state.retry': 'Retry',
  'state.errorTitle': 'Something went wrong',
  'problem.network': 'The app could not reach its service. Check your connection and try again.',
  'problem.unexpected': 'The service sent a response the app did not understand.',

  'signIn.title': 'Sign in for development',
  'signIn.intro':
    'This page only exists outside Microsoft Teams, for development and testing. Pick a person to sign in as.',
  'signIn.tenant': 'Organisation',
  'signIn.people': 'People in {tenant}',
  'signIn.noPersonas': 'The service has no people to sign in as.',
  'signIn.signingInAs': 'Signing in as {name}…',
  'persona.tenantAdmin': 'Tenant admin',
  'persona.enrichmentAdmin': 'Enrichment admin',
  'persona.seller': 'Seller',

  'teamsOnly.title': 'Open this app in Microsoft Teams',
  'teamsOnly.body':
    'Account engagement signs you in with your Microsoft Teams account. Open it from the Apps menu in Teams.',
  'auth.failedTitle': 'We could not sign you in',
  'auth.failedBody': 'Teams did not give the app a sign-in token: {detail}',
  'sso.consent.title': 'Your organisation has not approved Account engagement yet',
  'sso.consent.fix':
    'Ask your Microsoft 365 administrator to grant admin consent to Account engagement (Microsoft Entra admin center, Enterprise applications, Account engagement, Permissions), then select Retry.',
  'sso.misconfigured.title': 'Account engagement is not set up for sign-in here',
  'sso.misconfigured.fix':
    "The app package does not match its Microsoft Entra app registration. Ask whoever deployed the app to check that the manifest's webApplicationInfo uses the registration's client id and App ID URI, and that the tab is served from the domain listed in validDomains.",
  'sso.cancelled.title': 'Sign-in was not completed',
  'sso.cancelled.fix': 'Select Retry and finish signing in. If no window opens, allow pop-ups for Teams.',
  'sso.expired.title': 'Your Teams session has expired',
  'sso.expired.fix': 'Sign out of Teams, sign in again, then open the app.',
  'sso.unknown.title': 'Teams could not sign you in',
  'sso.unknown.fix': 'Select Retry. If it keeps failing, sign out of Teams and back in, or contact your administrator.',
  'sso.reason': 'Teams reported: {reason}',

  'tabConfig.title': 'Set up the Account engagement tab',
  'tabConfig.intro': 'Everyone in {place} sees the same view. Choose what this tab shows.',
  'tabConfig.placeChannel': '{channel} ({team})',
  'tabConfig.placeFallback': 'this channel or chat',
  'tabConfig.viewLabel': 'Show in this tab',
  'tabConfig.view.customers': 'Customers',
  'tabConfig.view.customersHint': 'Every business customer with its engagement score.',
  'tabConfig.view.segments': 'Segments',
  'tabConfig.view.segmentsHint': 'Customers grouped by engagement, such as accounts not met for a while.',
  'tabConfig.tabName.customers': 'Customer engagement',
  'tabConfig.tabName.segments': 'Engagement segments',
  'tabConfig.chooseHint': 'Choose a view to enable Save.',
  'tabConfig.ready': 'Select Save to add the tab.',
  'tabConfig.saveFailed': 'The tab could not be saved: {reason}',
  'tabConfig.outsideTeams':
    'Teams shows this page when someone adds Account engagement to a channel or chat. Outside that dialog it is only a preview: there is nothing to save.',

  'enrichments.title': 'Enrichments',
  'enrichments.empty': 'Enrichments you set up will appear here, with their state and when they last ran.',
  'enrichments.emptyAdmin':
    'Next: create an enrichment by choosing whose mailboxes to read and which customer list to match against.',
  'enrichments.emptyMember': 'An admin in your organisation sets up enrichments.',
  'enrichments.listLabel': 'Enrichments',
  'enrichment.state.draft': 'Draft',
  'enrichment.state.running': 'Running',
  'enrichment.state.ready': 'Ready',
  'enrichment.state.failed': 'Failed',

  'tenant.title': 'Your organisation',
  'tenant.country': 'Country or region',
  'tenant.domains': 'Verified domains',
  'tenant.domainCount': '{count, plural, one {# verified domain} other {# verified domains}}',
  'tenant.consentTitle': 'Admin consent needed',
  'tenant.consentAdminHint': 'As an admin, you can grant consent for your organisation and then retry.',

  'customers.title': 'Customers',
  'customers.search': 'Search customers',
  'customers.total': '{count, plural, one {# customer} other {# customers}}',
  'customers.empty': 'Your customers will appear here once an enrichment has matched your customer list.',
  'customers.emptyAdmin': 'Next: connect a customer list in an enrichment so accounts and contacts can be matched.',
  'customers.emptyMember': 'Ask an admin to set up an enrichment with your customer list.',
  'customers.noMatches': 'No customers match “{search}”.',

  'segments.title': 'Segments',
  'segments.empty': 'Segments group customers by engagement, for example the accounts you have not met for a while.',
  'segments.emptyAdmin': 'Next: once an enrichment has run, define segments from its engagement scores.',
  'segments.emptyMember': 'Segments appear once an admin has defined them.',
  'segments.count': '{count, plural, one {# customer} other {# customers}}',
} as const;

export type StringKey = keyof typeof stringsEn;
export type Messages = Record<StringKey, string>;
