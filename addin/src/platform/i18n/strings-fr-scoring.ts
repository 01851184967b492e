import type { stringsEnScoring } from './strings-en-scoring';

/** French strings of the engagement score's settings (the half-life). */
export const stringsFrScoring: Record<keyof typeof stringsEnScoring, string> = {
  'halfLife.title': 'Score d’engagement',
  'halfLife.intro': 'Le score privilégie l’activité récente : chaque e-mail et chaque réunion compte de moins en moins en vieillissant. La demi-vie est le nombre de jours au bout duquel il ne compte plus que pour moitié ; au double de ce délai, pour un quart.',
  'halfLife.label': 'Demi-vie',
  'halfLife.unit': 'jours',
  'halfLife.hint': 'De {min} à {max} jours ; {default} par défaut. Plus courte, elle suit de près les dernières semaines ; plus longue, elle garde en mémoire une plus grande partie de l’année. Une modification fait relire toutes les boîtes aux lettres à la prochaine exécution.',
  'halfLife.error.required': 'Saisissez un nombre de jours.',
  'halfLife.error.whole': 'Saisissez un nombre entier de jours, par exemple 30.',
  'halfLife.error.range': 'Choisissez une valeur entre {min} et {max} jours.',
  'halfLife.save': 'Enregistrer la demi-vie',
  'halfLife.saved': 'Enregistré. La prochaine exécution relit toutes les boîtes aux lettres et calcule le score avec la nouvelle demi-vie.',
  'halfLife.current': '{days, plural, one {Demi-vie : # jour} many {Demi-vie : # de jours} other {Demi-vie : # jours}}',
  'halfLife.readOnly': 'Seuls les administrateurs de l’engagement peuvent modifier la demi-vie.',
};
