import type { Translate } from '../../platform/i18n/i18n';
import { stringsEn } from '../../platform/i18n/strings-en';
import type { Segment } from '../../platform/api/contracts';

/**
 * The built-in example is stored with its English name and description (the API seeds it);
 * while an admin has not renamed or reworded it, it is shown in the user's language.
 */
function isStockStale(segment: Segment): boolean {
  return segment.builtIn && segment.name === stringsEn['segments.stale.name'];
}

export function segmentName(t: Translate, segment: Segment): string {
  return isStockStale(segment) ? t('segments.stale.name') : segment.name;
}

export function segmentDescription(t: Translate, segment: Segment): string {
  return isStockStale(segment) && segment.description === stringsEn['segments.stale.description'] ? t('segments.stale.description') : segment.description;
}
