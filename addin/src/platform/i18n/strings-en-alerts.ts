/**
 * English strings of account alerts: the owner column in the wizard's mapping step, the
 * enrichment page's Alerts tab (admins), a seller's own mute and the customer list an alert opens.
 */
export const stringsEnAlerts = {
  'wizard.mapping.ownerField': 'Account owner column (optional)',
  'wizard.mapping.ownerHint': 'An account column holding the address of each account’s owner in your organisation. With it, owners can be alerted in Teams when their accounts change.',
  'wizard.mapping.ownerNone': 'No owner column',
  'enrichmentDetail.tab.alerts': 'Alerts',
  'alerts.title': 'Alerts in Teams',
  'alerts.intro':
    'After each run, every account owner gets one notification in their Teams activity feed listing their accounts that went quiet, dropped in score or came back. Owners can mute their own alerts on the Customers page.',
  'alerts.noOwner': 'Alerts need an account owner column: edit the enrichment and choose one in the data mapping step.',
  'alerts.ownerField': 'Owner column: {field}',
  'alerts.enabled': 'Send alerts to account owners after each run',
  'alerts.quietDays': 'Went quiet: days without email or meeting',
  'alerts.quietHint': 'A whole number from {min} to {max} (60 by default)',
  'alerts.scoreDrop': 'Score dropped by at least (points)',
  'alerts.scoreHint': 'A whole number from {min} to {max} (15 by default)',
  'alerts.cameBack': 'Also tell owners when a quiet account came back',
  'alerts.save': 'Save alert settings',
  'alerts.saved': 'Saved. The next run uses these settings.',
  'alerts.invalid': 'Enter whole numbers within the ranges shown.',
  'alerts.ownersTitle': 'Last run’s alerts',
  'alerts.ownersNone': 'No run has computed alerts yet.',
  'alerts.ownersSummary': '{notified, plural, one {# owner notified} other {# owners notified}}; muted: {muted}.',
  'alerts.withoutApp': '{count, plural, one {# owner doesn’t have the app} other {# owners don’t have the app}}',
  'alerts.withoutAppLabel': 'Owners without the app',
  'alerts.withoutAppHint': 'Teams delivers alerts only to people who installed the app. A Teams administrator can install it for them with an app setup policy.',
  'alerts.setupPolicy': 'Open app setup policies in the Teams admin centre',
  'alerts.person': '{name} ({mail})',
  'alerts.unknownOwners': '{count, plural, one {# owner address names nobody in your organisation} other {# owner addresses name nobody in your organisation}}: {list}',
  'alerts.failed': '{count, plural, one {# notification failed} other {# notifications failed}} for another reason.',
  'alerts.mute': 'Alert me in Teams when my accounts change',
  'alerts.muteSaved': 'Your alert setting is saved.',
  'customers.alertFilter': '{count, plural, one {Showing the account from your alert} other {Showing the # accounts from your alert}}',
  'customers.alertFilterClear': 'Show all customers',
} as const;
