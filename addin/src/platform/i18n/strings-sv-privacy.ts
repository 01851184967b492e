import type { stringsEnPrivacy } from './strings-en-privacy';

/** Swedish strings of the small-count privacy threshold. */
export const stringsSvPrivacy: Record<keyof typeof stringsEnPrivacy, string> = {
  'privacy.title': 'Integritet vid små antal',
  'privacy.intro': 'En vecka, månad eller ett år då bara en eller två kollegor mejlade eller träffade en kund skulle visa vad just de kollegorna gjorde. Med en integritetströskel publiceras en sådan rad utan siffror: säljare, exporter, segment och mått ser bara att färre kollegor än tröskeln var inblandade.',
  'privacy.label': 'Integritetströskel',
  'privacy.off': 'Av (publicera alla siffror)',
  'privacy.option': '{k, plural, one {Minst # kollega} other {Minst # kollegor}}',
  'privacy.hint': 'Av som standard. Från 2 till 10 kollegor: siffrorna för en rad vars mejl och möten involverar färre valda kollegor döljs, liksom andra rader som annars skulle avslöja dem genom subtraktion. Gäller från nästa körning.',
  'privacy.save': 'Spara integritetströskel',
  'privacy.saved': 'Sparat. Nästa körning publiceras med den här tröskeln.',
  'privacy.withheld': '{k, plural, one {Färre än # kollega inblandad} other {Färre än # kollegor inblandade}}',
  'privacy.withheldUnknown': 'Färre kollegor inblandade än integritetströskeln',
  'privacy.withheldCell': 'Dold',
  'privacy.cardNote': 'Kontots siffror är dolda av integritetsskäl: dess mejl och möten under det senaste året involverar färre kollegor än tröskeln, så inget poäng eller siffror visas.',
  'privacy.historyNote': 'Veckor och månader med färre inblandade kollegor än tröskeln visas inte i diagrammet.',
  'privacy.measureWithheld': 'Dold: färre kollegor än integritetströskeln står bakom den här siffran.',
  'privacy.measureRowsLeftOut': '{count, plural, one {# rad som döljs av integritetsskäl är utelämnad.} other {# rader som döljs av integritetsskäl är utelämnade.}}',
  'privacy.listWithheld': 'Dold',
};
