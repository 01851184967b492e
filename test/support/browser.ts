import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { ensureTabBuilt as buildTabIfStale } from '../../scripts/lib/tab-build';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless and quiet: no GPU, no background fetches, no update or sync traffic from the browser. */
export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Screenshots and other test output; git-ignored by the lead, created on demand. */
export const artifactsDir = path.join(repoRoot, 'test', 'artifacts');

/**
 * Launch the system Chromium, or return null (with one loud line) when there is none, so
 * browser tests can be skipped visibly instead of passing without running.
 */
export async function launchChromium(): Promise<Browser | null> {
  if (!existsSync(chromiumPath)) {
    console.warn(`SKIPPED browser tests: no Chromium at ${chromiumPath} (set CHROMIUM_PATH or apt-get install chromium)`);
    return null;
  }
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

/**
 * Build the tab into dist/addin unless the build is newer than every file under addin/ and common/, so
 * the browser test never runs against a stale bundle (the same check `npm test` runs first).
 */
export async function ensureTabBuilt(): Promise<void> {
  buildTabIfStale(repoRoot, () => undefined);
}

export function ensureArtifactsDir(): string {
  mkdirSync(artifactsDir, { recursive: true });
  return artifactsDir;
}
