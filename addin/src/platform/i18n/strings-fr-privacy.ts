import type { stringsEnPrivacy } from './strings-en-privacy';

/** French strings of the small-count privacy threshold. */
export const stringsFrPrivacy: Record<keyof typeof stringsEnPrivacy, string> = {
  'privacy.title': 'Confidentialité des petits effectifs',
  'privacy.intro': 'Une semaine, un mois ou une année où seuls un ou deux collègues ont échangé avec un client montrerait ce que ces collègues ont fait. Avec un seuil de confidentialité, une telle ligne est publiée sans ses chiffres : les vendeurs, les exports, les segments et les mesures voient que moins de collègues que le seuil étaient concernés, jamais les chiffres.',
  'privacy.label': 'Seuil de confidentialité',
  'privacy.off': 'Désactivé (tout publier)',
  'privacy.option': '{k, plural, one {Au moins # collègue} many {Au moins # de collègues} other {Au moins # collègues}}',
  'privacy.hint': 'Désactivé par défaut. De 2 à 10 collègues : les chiffres d’une ligne dont les e-mails et réunions concernent moins de collègues sélectionnés sont masqués, ainsi que les autres lignes qui permettraient de les retrouver par soustraction. S’applique à partir de la prochaine exécution.',
  'privacy.save': 'Enregistrer le seuil',
  'privacy.saved': 'Enregistré. La prochaine exécution publiera avec ce seuil.',
  'privacy.withheld': '{k, plural, one {Moins de # collègue concerné} many {Moins de # de collègues concernés} other {Moins de # collègues concernés}}',
  'privacy.withheldUnknown': 'Moins de collègues concernés que le seuil de confidentialité',
  'privacy.withheldCell': 'Masqué',
  'privacy.cardNote': 'Les chiffres de ce compte sont masqués par confidentialité : ses e-mails et réunions de l’année écoulée concernent moins de collègues que le seuil ; aucun score ni chiffre n’est affiché.',
  'privacy.historyNote': 'Les semaines et les mois concernant moins de collègues que le seuil ne figurent pas dans le graphique.',
  'privacy.measureWithheld': 'Masqué : moins de collègues que le seuil de confidentialité sont derrière ce chiffre.',
  'privacy.measureRowsLeftOut': '{count, plural, one {# ligne masquée par confidentialité est exclue.} many {# de lignes masquées par confidentialité sont exclues.} other {# lignes masquées par confidentialité sont exclues.}}',
  'privacy.listWithheld': 'Masqué',
};
