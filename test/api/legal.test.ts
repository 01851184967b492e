import fs from 'node:fs';
import request from 'supertest';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/src/app';
import { createLogger } from '../../api/src/platform/logger/logger';
import { buildDependencies } from '../../api/src/dependencies';
import type { RunningSimulator } from '../../simulator/src/simulator';
import { testAppConfig } from '../support/app-config';
import { createTestDatabase, type TestDatabase } from '../support/mongo';
import { startTestSimulator } from '../support/simulator';

/**
 * The privacy statement and terms of use the Teams manifest links to: served by the real
 * composition root (so the tab's catch-all cannot shadow them), public, plain accessible HTML.
 */

let sim: RunningSimulator;
let t: TestDatabase;
let app: Express;

beforeAll(async () => {
  sim = await startTestSimulator();
  t = await createTestDatabase('legal');
  app = createApp(buildDependencies(testAppConfig(sim, t.uri, t.db.databaseName), t.db, createLogger('silent')));
});

afterAll(async () => {
  await sim?.close();
  await t?.drop();
});

const manifest = JSON.parse(fs.readFileSync('manifest/manifest.json', 'utf8')) as {
  developer: { websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
};

/** The path of a manifest URL on the app's own host (`${{TAB_ENDPOINT}}/privacy` → `/privacy`). */
function pathOnAppHost(url: string): string {
  const prefix = manifest.developer.websiteUrl;
  expect(url.startsWith(`${prefix}/`), `${url} is on the app's host ${prefix}`).toBe(true);
  return url.slice(prefix.length);
}

const count = (html: string, pattern: RegExp) => [...html.matchAll(pattern)].length;

describe('legal pages', () => {
  it('when the manifest is read, then its privacy and terms URLs are /privacy and /terms on the app host', () => {
    expect(pathOnAppHost(manifest.developer.privacyUrl)).toBe('/privacy');
    expect(pathOnAppHost(manifest.developer.termsOfUseUrl)).toBe('/terms');
  });

  it.each([
    ['privacyUrl', 'Privacy statement'],
    ['termsOfUseUrl', 'Terms of use'],
  ] as const)('when the manifest %s is opened without signing in, then an English HTML page titled %s is served', async (field, title) => {
    const res = await request(app).get(pathOnAppHost(manifest.developer[field])).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html; charset=utf-8/i);
    const html = res.text;
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toMatch(/<html lang="en">/);
    expect(html).toContain(`<title>${title} · Account engagement</title>`);
    expect(count(html, /<h1>/g)).toBe(1);
    expect(html).toContain(`<h1>${title}</h1>`);
    // Readable in light and dark, with nothing fetched from elsewhere and no script.
    expect(html).toContain('color-scheme: light dark');
    expect(html).toContain('prefers-color-scheme: dark');
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\//i);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('when the privacy statement is read, then it says what is read, what is stored, for how long and whom to ask', async () => {
    const html = (await request(app).get('/privacy').expect(200)).text;
    const text = html.replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/\s+/g, ' ');
    for (const phrase of [
      'admin consent',
      'Microsoft Graph',
      'never stores, a message subject, body, preview or attachment',
      'Mail.ReadBasic.All',
      'Calendars.ReadBasic.All',
      'MongoDB',
      'per customer account and period',
      'The app keeps no per-person activity',
      'kept with those of the runs just before it (the last 8 by default',
      'Deleting an enrichment deletes its results',
      'Microsoft 365 administrator',
    ]) {
      expect(text, phrase).toContain(phrase);
    }
    expect(html).toContain('<a href="/terms">Terms of use</a>');
  });

  it('when the terms are read, then they say the app is provided as is and what the organisation is responsible for', async () => {
    const html = (await request(app).get('/terms').expect(200)).text;
    expect(html).toContain('provides the app as is');
    expect(html).toContain('admin consent');
    expect(html).toContain('customer data');
    expect(html).toContain('<a href="/privacy">Privacy statement</a>');
  });
});
