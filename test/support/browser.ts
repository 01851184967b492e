import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

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

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Build the tab into dist/addin unless the build is newer than every file under addin/, so
 * the browser test never runs against a stale bundle and a fresh one is not rebuilt.
 */
export async function ensureTabBuilt(): Promise<void> {
  const builtIndex = path.join(repoRoot, 'dist', 'addin', 'index.html');
  const sourceDir = path.join(repoRoot, 'addin');
  if (existsSync(builtIndex) && statSync(builtIndex).mtimeMs >= newestMtime(sourceDir)) return;
  const { build } = await import('vite');
  await build({ configFile: path.join(sourceDir, 'vite.config.ts'), logLevel: 'warn' });
}

export function ensureArtifactsDir(): string {
  mkdirSync(artifactsDir, { recursive: true });
  return artifactsDir;
}
