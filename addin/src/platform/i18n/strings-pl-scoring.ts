import type { stringsEnScoring } from './strings-en-scoring';

/** Polish strings of the engagement score's settings (the half-life). */
export const stringsPlScoring: Record<keyof typeof stringsEnScoring, string> = {
  'halfLife.title': 'Wskaźnik zaangażowania',
  'halfLife.intro': 'Wskaźnik premiuje niedawną aktywność: każda wiadomość e-mail i każde spotkanie liczy się tym mniej, im jest starsze. Okres półtrwania to liczba dni, po której liczy się już tylko w połowie; po dwukrotnie dłuższym czasie — w jednej czwartej.',
  'halfLife.label': 'Okres półtrwania',
  'halfLife.unit': 'dni',
  'halfLife.hint': 'Od {min} do {max} dni; domyślnie {default}. Krótszy ściśle śledzi ostatnie tygodnie, dłuższy uwzględnia większą część roku. Po zmianie następny przebieg ponownie odczyta wszystkie skrzynki pocztowe.',
  'halfLife.error.required': 'Podaj liczbę dni.',
  'halfLife.error.whole': 'Podaj całkowitą liczbę dni, na przykład 30.',
  'halfLife.error.range': 'Wybierz wartość od {min} do {max} dni.',
  'halfLife.save': 'Zapisz okres półtrwania',
  'halfLife.saved': 'Zapisano. Następny przebieg ponownie odczyta wszystkie skrzynki pocztowe i obliczy wskaźnik z nowym okresem półtrwania.',
  'halfLife.current': '{days, plural, one {Okres półtrwania: # dzień} few {Okres półtrwania: # dni} many {Okres półtrwania: # dni} other {Okres półtrwania: # dnia}}',
  'halfLife.readOnly': 'Tylko administratorzy zaangażowania mogą zmieniać okres półtrwania.',
};
