import type { ApiClient } from './api-client';
import type { AlertMute, AlertOwners, AlertSettings, AlertSettingsInput } from './contracts';

/** Typed calls for account alerts: an enrichment's settings and owners report (admin), the signed-in user's own mute. */
export interface AlertsApi {
  settings(enrichmentId: string, signal?: AbortSignal): Promise<AlertSettings>;
  saveSettings(enrichmentId: string, body: AlertSettingsInput): Promise<AlertSettings>;
  owners(enrichmentId: string, signal?: AbortSignal): Promise<AlertOwners>;
  mute(signal?: AbortSignal): Promise<AlertMute>;
  setMute(muted: boolean): Promise<AlertMute>;
}

export function createAlertsApi(api: ApiClient): AlertsApi {
  const r = api.request;
  const base = (id: string) => `/api/enrichments/${encodeURIComponent(id)}/alerts`;
  const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});
  return {
    settings: (id, signal) => r(base(id), withSignal(signal)),
    saveSettings: (id, body) => r(base(id), { method: 'PUT', body }),
    owners: (id, signal) => r(`${base(id)}/owners`, withSignal(signal)),
    mute: (signal) => r('/api/me/alerts', withSignal(signal)),
    setMute: (muted) => r('/api/me/alerts', { method: 'PUT', body: { muted } }),
  };
}
