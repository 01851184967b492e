/**
 * Where the enrichment may be created: `organization.countryLetterCode` must be one of these
 * (ISO 3166-1 alpha-2). The one list the API, its messages and the tab use.
 */
export const SUPPORTED_REGIONS = {
  'United Kingdom': ['GB'],
  // The EU member states plus the EEA's Iceland, Liechtenstein and Norway.
  'EU/EEA': [
    'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL',
    'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE', 'IS', 'LI', 'NO',
  ],
  Switzerland: ['CH'],
  'United States': ['US'],
  Canada: ['CA'],
} as const;

export const SUPPORTED_COUNTRY_CODES: readonly string[] = Object.values(SUPPORTED_REGIONS).flat();

/** `UK` is not an ISO code but is what people type; it means GB. */
export function isSupportedCountry(code: string | null | undefined): boolean {
  if (!code) return false;
  const c = code.trim().toUpperCase();
  return SUPPORTED_COUNTRY_CODES.includes(c === 'UK' ? 'GB' : c);
}

export function supportedRegionsSentence(): string {
  return `${Object.keys(SUPPORTED_REGIONS).slice(0, -1).join(', ')} or ${Object.keys(SUPPORTED_REGIONS).at(-1)}`;
}
