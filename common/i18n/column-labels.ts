import { columnLabelsEn, type ColumnLabels, type LabelledColumn } from './column-labels-en';
import { columnLabelsFr } from './column-labels-fr';
import { columnLabelsId } from './column-labels-id';
import { columnLabelsPl } from './column-labels-pl';
import { columnLabelsSv } from './column-labels-sv';
import { columnLabelsZhHk } from './column-labels-zh-hk';
import type { UiLocale } from './ui-locale';

/**
 * Every language's column names at once, for the API (CSV headers). The tab never imports
 * this: it loads one language's table with that language's strings.
 */
export const COLUMN_LABELS: Record<UiLocale, ColumnLabels> = {
  en: columnLabelsEn,
  fr: columnLabelsFr,
  pl: columnLabelsPl,
  sv: columnLabelsSv,
  id: columnLabelsId,
  'zh-HK': columnLabelsZhHk,
};

/** Columns whose numbers are minutes: a spreadsheet has no unit per cell, so the header says it. */
const IN_MINUTES: ReadonlySet<LabelledColumn> = new Set<LabelledColumn>(['AverageDuration_Of_Meetings', 'AverageDuration_Of_AccountEmailReplies']);

/** A column's header in a downloaded spreadsheet, in the reader's language. */
export function spreadsheetHeader(locale: UiLocale, column: LabelledColumn): string {
  const labels = COLUMN_LABELS[locale];
  const label = labels.columns[column];
  return IN_MINUTES.has(column) ? labels.inMinutes.replace('{label}', label) : label;
}

export type { LabelledColumn };
