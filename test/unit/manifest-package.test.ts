import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { drawColorIcon, drawOutlineIcon, encodePng } from '../../scripts/lib/app-icons';
import {
  LOCAL_DEFAULTS,
  buildAppPackage,
  bundledSchemaPath,
  checkDomains,
  checkIcon,
  parseEnvFile,
  resolveJson,
} from '../../scripts/lib/app-package';

/** `npm run package`: offline validation, placeholders, icons and the zip it writes. */

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsxCli = path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'app-package-'));

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function runPackager(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [tsxCli, 'scripts/package.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function copyManifestDir(name: string): string {
  const dir = path.join(tmp, name);
  fs.cpSync(path.join(root, 'manifest'), dir, { recursive: true });
  return dir;
}

describe('npm run package', () => {
  it('when run for the local environment, then it validates and writes a zip with the manifest, both icons and every language file', async () => {
    const out = path.join(tmp, 'out-local');
    const run = runPackager(['--env', 'local', '--out-dir', out]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('is valid');

    const zip = await JSZip.loadAsync(fs.readFileSync(path.join(out, 'appPackage.local.zip')));
    const entries = Object.keys(zip.files).sort();
    expect(entries).toEqual(['color.png', 'en-us.json', 'fr.json', 'id.json', 'manifest.json', 'outline.png', 'pl.json', 'sv.json', 'zh-hk.json']);

    const manifestText = await zip.file('manifest.json')!.async('string');
    expect(manifestText).not.toContain('${{');
    const manifest = JSON.parse(manifestText) as Record<string, any>;
    const values = { ...LOCAL_DEFAULTS, ...(fs.existsSync(path.join(root, 'env/.env.local')) ? parseEnvFile(fs.readFileSync(path.join(root, 'env/.env.local'), 'utf8')) : {}) };
    expect(manifest.webApplicationInfo.resource).toBe(`api://${values.TAB_DOMAIN}/${values.AAD_APP_CLIENT_ID}`);
    expect(manifest.staticTabs.map((t: { entityId: string }) => t.entityId)).toEqual(['customers', 'segments', 'enrichments']);
    expect(manifest.configurableTabs[0].configurationUrl).toBe(`${values.TAB_ENDPOINT}/?page=config`);

    const color = PNG.sync.read(Buffer.from(await zip.file('color.png')!.async('uint8array')));
    const outline = PNG.sync.read(Buffer.from(await zip.file('outline.png')!.async('uint8array')));
    expect([color.width, color.height]).toEqual([192, 192]);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    for (let i = 0; i < outline.data.length; i += 4) {
      if (outline.data[i + 3]! > 0) expect([outline.data[i], outline.data[i + 1], outline.data[i + 2]]).toEqual([255, 255, 255]);
    }
    // Transparent corners, an opaque glyph somewhere.
    expect(outline.data[3]).toBe(0);
    expect(Math.max(...outline.data.filter((_, i) => i % 4 === 3))).toBe(255);

    const zhHk = JSON.parse(await zip.file('zh-hk.json')!.async('string')) as Record<string, string>;
    expect(zhHk['name.short']).not.toContain('${{');
  });

  it('when the manifest is broken, then the packager exits non-zero, names each offending field and writes no zip', () => {
    const dir = copyManifestDir('broken');
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, any>;
    manifest.staticTabs[1].contentUrl = 'ftp://example.com/customers';
    delete manifest.developer.privacyUrl;
    manifest.accentColor = 'blue';
    manifest.staticTabs[0].colour = 'oops';
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
    const out = path.join(tmp, 'out-broken');

    const run = runPackager(['--env', 'local', '--manifest-dir', dir, '--out-dir', out]);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('is not valid');
    expect(run.stderr).toMatch(/manifest\.json \/staticTabs\/1\/contentUrl: must match pattern/);
    expect(run.stderr).toMatch(/manifest\.json \/developer: must have required property 'privacyUrl'/);
    expect(run.stderr).toMatch(/manifest\.json \/accentColor: must match pattern/);
    expect(run.stderr).toMatch(/manifest\.json \/staticTabs\/0: must NOT have additional properties \("colour"\)/);
    // The ftp URL's host is not in validDomains either.
    expect(run.stderr).toMatch(/\/staticTabs\/1\/contentUrl: host "example.com" is not listed in validDomains/);
    expect(fs.existsSync(path.join(out, 'appPackage.local.zip'))).toBe(false);
  });

  it('when a localisation file breaks its schema, then that file and field are named', async () => {
    const dir = copyManifestDir('broken-language');
    const fr = JSON.parse(fs.readFileSync(path.join(dir, 'fr.json'), 'utf8')) as Record<string, string>;
    fr['description.short'] = 'x'.repeat(81);
    fs.writeFileSync(path.join(dir, 'fr.json'), JSON.stringify(fr));
    const result = await buildAppPackage({ root, env: 'local', manifestDir: dir, outDir: path.join(tmp, 'out-lang') });
    expect(result.ok).toBe(false);
    expect(result.problems).toContainEqual({ file: 'fr.json', field: '/description.short', message: 'must NOT have more than 80 characters' });
  });

  it('when an environment has no values yet, then every unresolved placeholder is reported with its field', async () => {
    const dir = path.join(tmp, 'env-root');
    fs.mkdirSync(path.join(dir, 'env'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'env', '.env.staging'), 'TEAMSFX_ENV=staging\nTAB_ENDPOINT=\n');
    const result = await buildAppPackage({ root: dir, env: 'staging', manifestDir: path.join(root, 'manifest'), outDir: path.join(tmp, 'out-staging') });
    expect(result.ok).toBe(false);
    const fields = result.problems.filter((p) => p.message.includes('has no value')).map((p) => p.field);
    expect(fields).toEqual(expect.arrayContaining(['/id', '/staticTabs/0/contentUrl', '/webApplicationInfo/id', '/validDomains/0']));
    // No duplicate "must match pattern" noise for the same fields.
    expect(result.problems.find((p) => p.field === '/id' && p.message.includes('pattern'))).toBeUndefined();

    const missing = await buildAppPackage({ root: dir, env: 'nowhere', manifestDir: path.join(root, 'manifest') });
    expect(missing.ok).toBe(false);
    expect(missing.problems[0]!.message).toContain('does not exist');
  });
});

describe('app package checks', () => {
  it('parses toolkit env files: comments, quotes, empty values', () => {
    expect(parseEnvFile('# c\nA=1\nB="two words"\nC=\nD=x # trailing\nexport E=\'q\'\n')).toEqual({ A: '1', B: 'two words', C: '', D: 'x', E: 'q' });
  });

  it('never substitutes a SECRET_ variable into the package', () => {
    const r = resolveJson({ a: 'x${{SECRET_AAD_APP_CLIENT_SECRET}}' }, { SECRET_AAD_APP_CLIENT_SECRET: 's3cret' }, 'manifest.json');
    expect(JSON.stringify(r.value)).not.toContain('s3cret');
    expect(r.problems[0]).toMatchObject({ field: '/a', message: expect.stringContaining('secrets must never') });
  });

  it('accepts only schemas bundled with @microsoft/app-manifest, without a locale segment', () => {
    expect(bundledSchemaPath('https://developer.microsoft.com/json-schemas/teams/v1.29/MicrosoftTeams.schema.json')).not.toBeNull();
    expect(bundledSchemaPath('https://developer.microsoft.com/en-us/json-schemas/teams/v1.29/MicrosoftTeams.schema.json')).toBeNull();
    expect(bundledSchemaPath('https://developer.microsoft.com/json-schemas/teams/v9.99/MicrosoftTeams.schema.json')).toBeNull();
  });

  it('refuses SSO and tab URLs on domains the manifest does not list', () => {
    const ok = {
      validDomains: ['tab.example.com'],
      staticTabs: [{ contentUrl: 'https://tab.example.com/?page=customers' }],
      configurableTabs: [{ configurationUrl: 'https://tab.example.com/?page=config' }],
      webApplicationInfo: { id: '11111111-2222-4333-8444-555555555555', resource: 'api://tab.example.com/11111111-2222-4333-8444-555555555555' },
    };
    expect(checkDomains(ok)).toEqual([]);
    const bad = { ...ok, webApplicationInfo: { id: ok.webApplicationInfo.id, resource: 'api://other.example.com/99999999-2222-4333-8444-555555555555' } };
    const problems = checkDomains(bad).map((p) => `${p.field}: ${p.message}`);
    expect(problems).toContain('/webApplicationInfo/resource: domain "other.example.com" is not listed in validDomains (Teams SSO requires it)');
    expect(problems).toContain('/webApplicationInfo/resource: must end with webApplicationInfo.id (the Entra client id)');
  });

  it('refuses icons of the wrong size and an outline icon that is not white on transparent', () => {
    const wrongSize = encodePng(drawOutlineIcon());
    expect(checkIcon('color.png', '/icons/color', wrongSize, 'color')[0]!.message).toBe('is 32×32; Teams requires 192×192');
    const tinted = drawOutlineIcon();
    const opaque = tinted.data.findIndex((v, i) => i % 4 === 3 && v === 255);
    tinted.data[opaque - 3] = 0; // one red channel off: no longer white
    expect(checkIcon('outline.png', '/icons/outline', encodePng(tinted), 'outline')).toEqual([
      { file: 'outline.png', field: '/icons/outline', message: 'must be white on a transparent background' },
    ]);
  });

  it('the committed icons are exactly what the icon generator draws', () => {
    const committedColor = PNG.sync.read(fs.readFileSync(path.join(root, 'manifest', 'color.png')));
    const committedOutline = PNG.sync.read(fs.readFileSync(path.join(root, 'manifest', 'outline.png')));
    expect(Buffer.compare(committedColor.data, drawColorIcon().data)).toBe(0);
    expect(Buffer.compare(committedOutline.data, drawOutlineIcon().data)).toBe(0);
  });
});
