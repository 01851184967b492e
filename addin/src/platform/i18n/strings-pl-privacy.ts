import type { stringsEnPrivacy } from './strings-en-privacy';

/** Polish strings of the small-count privacy threshold. */
export const stringsPlPrivacy: Record<keyof typeof stringsEnPrivacy, string> = {
  'privacy.title': 'Prywatność małych liczb',
  'privacy.intro': 'Tydzień, miesiąc lub rok, w którym z klientem kontaktował się tylko jeden lub dwóch współpracowników, pokazywałby, co ci współpracownicy robili. Z progiem prywatności taki wiersz jest publikowany bez liczb: sprzedawcy, eksporty, segmenty i miary widzą tylko, że zaangażowanych było mniej współpracowników niż próg.',
  'privacy.label': 'Próg prywatności',
  'privacy.off': 'Wyłączony (publikuj wszystkie liczby)',
  'privacy.option': '{k, plural, one {Co najmniej # współpracownik} few {Co najmniej # współpracowników} many {Co najmniej # współpracowników} other {Co najmniej # współpracownika}}',
  'privacy.hint': 'Domyślnie wyłączony. Od 2 do 10 współpracowników: liczby wiersza, którego e-maile i spotkania obejmują mniej wybranych współpracowników, są ukrywane, podobnie jak inne wiersze, z których dałoby się je odjąć. Obowiązuje od następnego uruchomienia.',
  'privacy.save': 'Zapisz próg prywatności',
  'privacy.saved': 'Zapisano. Następne uruchomienie opublikuje wyniki z tym progiem.',
  'privacy.withheld': '{k, plural, one {Zaangażowany mniej niż # współpracownik} few {Zaangażowanych mniej niż # współpracowników} many {Zaangażowanych mniej niż # współpracowników} other {Zaangażowanych mniej niż # współpracownika}}',
  'privacy.withheldUnknown': 'Zaangażowanych mniej współpracowników niż próg prywatności',
  'privacy.withheldCell': 'Ukryte',
  'privacy.cardNote': 'Liczby tego konta są ukryte ze względu na prywatność: jego e-maile i spotkania z ostatniego roku obejmują mniej współpracowników niż próg, więc nie pokazujemy wyniku ani liczb.',
  'privacy.historyNote': 'Tygodnie i miesiące z mniejszą liczbą współpracowników niż próg są pominięte na wykresie.',
  'privacy.measureWithheld': 'Ukryte: za tą wartością stoi mniej współpracowników niż próg prywatności.',
  'privacy.measureRowsLeftOut': '{count, plural, one {Pominięto # wiersz ukryty ze względu na prywatność.} few {Pominięto # wiersze ukryte ze względu na prywatność.} many {Pominięto # wierszy ukrytych ze względu na prywatność.} other {Pominięto # wiersza ukrytego ze względu na prywatność.}}',
  'privacy.listWithheld': 'Ukryte',
};
