import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { EnrichmentsStore } from '../enrichments/enrichments.store';
import type { AppConfig } from '../platform/config/config';
import type { GraphClientFactory } from '../platform/graph/graph-client.factory';
import { SnapshotsStore } from '../snapshots/snapshots.store';
import { AlertsService, type AlertOptions } from './alerts.service';
import { AlertsStore } from './alerts.store';

export function alertOptionsFrom(config: AppConfig): AlertOptions {
  return { publicUrl: config.http.publicUrl, teamsAppId: config.alerts.teamsAppId };
}

/** The alerts service over its stores: the API (settings, mute, report) and workers (the alert job) build it alike. */
export function alertsServiceFrom(db: Db, graph: GraphClientFactory, options: AlertOptions, logger: Logger): AlertsService {
  return new AlertsService(new AlertsStore(db), new EnrichmentsStore(db), new SnapshotsStore(db), graph, options, logger);
}
