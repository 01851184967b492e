/**
 * English strings of the small-count privacy threshold k: its setting (wizard and enrichment
 * page) and how withheld figures read in the grid, the card, the customer list and measures.
 */
export const stringsEnPrivacy = {
  'privacy.title': 'Small-count privacy',
  'privacy.intro': 'A week, month or year in which only one or two colleagues emailed or met a customer would show what those colleagues did. With a privacy threshold, such a row is published with its counts withheld: sellers, exports, segments and measures see that fewer colleagues than the threshold were involved, never the figures.',
  'privacy.label': 'Privacy threshold',
  'privacy.off': 'Off (publish every count)',
  'privacy.option': '{k, plural, one {At least # colleague} other {At least # colleagues}}',
  'privacy.hint': 'Off by default. From 2 to 10 colleagues: the counts of a row whose emails and meetings involve fewer selected colleagues are withheld, and so are any other rows needed so that they cannot be worked out by subtraction. Applies from the next run.',
  'privacy.save': 'Save privacy threshold',
  'privacy.saved': 'Saved. The next run publishes with this threshold.',
  'privacy.withheld': '{k, plural, one {Fewer than # colleague involved} other {Fewer than # colleagues involved}}',
  'privacy.withheldUnknown': 'Fewer colleagues involved than the privacy threshold',
  'privacy.withheldCell': 'Withheld',
  'privacy.cardNote': 'This account’s counts are withheld for privacy: its emails and meetings of the last year involve fewer colleagues than the threshold, so no score or figure is shown.',
  'privacy.historyNote': 'Weeks and months with fewer colleagues involved than the threshold are left out of the chart.',
  'privacy.measureWithheld': 'Withheld: fewer colleagues than the privacy threshold stand behind this figure.',
  'privacy.measureRowsLeftOut': '{count, plural, one {# row withheld for privacy is left out.} other {# rows withheld for privacy are left out.}}',
  'privacy.listWithheld': 'Withheld',
} as const;
