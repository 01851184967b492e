import type { Formatters, Translate } from '../../platform/i18n/i18n';
import type { StringKey } from '../../platform/i18n/strings-en';

/**
 * Account attributes are the customer data's own extra columns (Industry, Country…), named by
 * whoever exported the file. The common ones get a name in the user's language; any other
 * column is shown as the file names it.
 */
const knownAttributes: Record<string, StringKey> = {
  industry: 'attribute.industry',
  sector: 'attribute.industry',
  country: 'attribute.country',
  countrycode: 'attribute.country',
  region: 'attribute.region',
  city: 'attribute.city',
  segment: 'attribute.segment',
  size: 'attribute.size',
  companysize: 'attribute.size',
  tier: 'attribute.tier',
  owner: 'attribute.owner',
  accountowner: 'attribute.owner',
};

function keyOf(attribute: string): StringKey | undefined {
  return knownAttributes[attribute.toLowerCase().replace(/[\s_-]+/g, '')];
}

export function attributeLabel(t: Translate, attribute: string): string {
  const key = keyOf(attribute);
  return key ? t(key) : attribute;
}

/** A value as the user reads it: a country code becomes the country's name in their language. */
export function attributeValue(format: Formatters, attribute: string, value: string): string {
  return keyOf(attribute) === 'attribute.country' ? format.region(value) : value;
}
