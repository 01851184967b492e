/** The consent request mail: what is asked, why, and the link. Pure; HTML-escaped. */

export const REQUIRED_APP_ROLES = [
  'Mail.ReadBasic.All',
  'Calendars.ReadBasic.All',
  'User.Read.All',
  'GroupMember.Read.All',
  'Organization.Read.All',
  'RoleManagement.Read.Directory',
] as const;

/**
 * Every application permission admin consent grants: the required ones, and TeamsActivity.Send,
 * which only account alerts use. A tenant that consented before alerts existed keeps working
 * without it (its owners are then reported as unreachable); consenting again grants it.
 */
export const CONSENT_APP_ROLES = [...REQUIRED_APP_ROLES, 'TeamsActivity.Send'] as const;

const PERMISSION_TEXT: Record<(typeof CONSENT_APP_ROLES)[number], string> = {
  'Mail.ReadBasic.All': 'read mail metadata (senders, recipients, dates) of the selected mailboxes, never bodies or attachments',
  'Calendars.ReadBasic.All': 'read meeting metadata (organiser, attendees, times) of the selected mailboxes, never descriptions',
  'User.Read.All': 'read user profiles, to resolve the selected people',
  'GroupMember.Read.All': 'read group memberships, to expand the selected groups',
  'Organization.Read.All': 'read the organisation profile and licences, to check the prerequisites',
  'RoleManagement.Read.Directory': 'read who the Global Administrators are, to address consent requests',
  'TeamsActivity.Send': 'post account alerts (an account went quiet, its score dropped, it came back) to the account owner\'s Teams activity feed, when an admin turns alerts on',
};

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function consentRequestMessage(opts: { enrichmentName: string; requesterName: string; link: string; recipients: string[] }) {
  const items = CONSENT_APP_ROLES.map((r) => `<li><b>${escape(r)}</b>: ${escape(PERMISSION_TEXT[r])}</li>`).join('');
  const html =
    `<p>${escape(opts.requesterName)} set up the account engagement enrichment <b>${escape(opts.enrichmentName)}</b> in Microsoft Teams ` +
    'and asks a Global Administrator to grant the app admin consent for your organisation.</p>' +
    '<p>The app computes per-account engagement (email and meeting counts, people involved, reply times) from Microsoft 365 ' +
    '<b>metadata</b> only. It never reads or stores message bodies, subjects or attachments, and it shows no individual\'s activity.</p>' +
    `<p>It asks for these application permissions:</p><ul>${items}</ul>` +
    `<p><a href="${escape(opts.link)}">Review and grant consent</a></p>` +
    `<p>If the link does not open, copy this address into your browser:<br>${escape(opts.link)}</p>` +
    '<p>Nothing runs before consent is granted. You can refuse on the same page.</p>';
  return {
    subject: `Admin consent requested for the account engagement app (${opts.enrichmentName})`,
    body: { contentType: 'HTML', content: html },
    toRecipients: opts.recipients.map((address) => ({ emailAddress: { address } })),
  };
}
