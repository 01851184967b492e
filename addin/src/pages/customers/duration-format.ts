/**
 * A duration in minutes as the locale writes it, in the unit a person would use: minutes up to
 * an hour, hours up to two days, then days (reply times can run to weeks).
 */
export function formatMinutes(minutes: number, locale: string): string {
  const unit = (value: number, name: 'minute' | 'hour' | 'day', digits: number) =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'long', maximumFractionDigits: digits }).format(value);
  if (minutes < 60) return unit(Math.round(minutes), 'minute', 0);
  if (minutes < 48 * 60) return unit(minutes / 60, 'hour', 1);
  return unit(minutes / (24 * 60), 'day', 1);
}
