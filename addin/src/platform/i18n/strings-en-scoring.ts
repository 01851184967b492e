/**
 * English strings of the engagement score's settings (the half-life, in the wizard's review and
 * on the enrichment page). Merged into the shell's strings like the other areas, so the keys
 * share one type.
 */
export const stringsEnScoring = {
  'halfLife.title': 'Engagement score',
  'halfLife.intro': 'The score favours recent activity: every email and meeting counts for less as it ages. The half-life is how many days it takes to count half as much; after twice as many days it counts a quarter.',
  'halfLife.label': 'Half-life',
  'halfLife.unit': 'days',
  'halfLife.hint': 'From {min} to {max} days; {default} by default. Shorter follows the last few weeks closely; longer remembers more of the year. A change makes the next run read every mailbox again.',
  'halfLife.error.required': 'Enter a number of days.',
  'halfLife.error.whole': 'Enter a whole number of days, such as 30.',
  'halfLife.error.range': 'Choose between {min} and {max} days.',
  'halfLife.save': 'Save half-life',
  'halfLife.saved': 'Saved. The next run reads every mailbox again and scores with the new half-life.',
  'halfLife.current': '{days, plural, one {Half-life: # day} other {Half-life: # days}}',
  'halfLife.readOnly': 'Only engagement administrators can change the half-life.',
} as const;
