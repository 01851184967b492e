import type { stringsEnScoring } from './strings-en-scoring';

/** Swedish strings of the engagement score's settings (the half-life). */
export const stringsSvScoring: Record<keyof typeof stringsEnScoring, string> = {
  'halfLife.title': 'Engagemangsvärde',
  'halfLife.intro': 'Värdet gynnar ny aktivitet: varje e-postmeddelande och möte räknas mindre ju äldre det blir. Halveringstiden är antalet dagar tills det bara räknas till hälften; efter dubbelt så lång tid till en fjärdedel.',
  'halfLife.label': 'Halveringstid',
  'halfLife.unit': 'dagar',
  'halfLife.hint': 'Från {min} till {max} dagar; {default} som standard. Kortare följer de senaste veckorna nära; längre minns mer av året. En ändring gör att nästa körning läser alla postlådor igen.',
  'halfLife.error.required': 'Ange ett antal dagar.',
  'halfLife.error.whole': 'Ange ett helt antal dagar, till exempel 30.',
  'halfLife.error.range': 'Välj mellan {min} och {max} dagar.',
  'halfLife.save': 'Spara halveringstid',
  'halfLife.saved': 'Sparat. Nästa körning läser alla postlådor igen och beräknar värdet med den nya halveringstiden.',
  'halfLife.current': '{days, plural, one {Halveringstid: # dag} other {Halveringstid: # dagar}}',
  'halfLife.readOnly': 'Endast engagemangsadministratörer kan ändra halveringstiden.',
};
