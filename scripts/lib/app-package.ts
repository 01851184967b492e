import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ErrorObject } from 'ajv';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import JSZip from 'jszip';
import { PNG } from 'pngjs';
import { DEV_CLIENT_ID } from './dev-identity';

/**
 * Builds the Teams app package: resolves `${{VAR}}` placeholders from `env/.env.<env>`,
 * validates the manifest and its localisation files against the JSON schemas bundled with
 * @microsoft/app-manifest (offline, with the same Ajv draft-04 setup that package uses; its
 * own entry point cannot be loaded because it requires the undeclared `fs-extra`), checks the icons and the SSO/domain wiring the schema
 * cannot express, and zips manifest, icons and localisation files.
 */

/** One thing wrong with the package, pinned to a file and a JSON path inside it. */
export interface PackageProblem {
  file: string;
  field: string;
  message: string;
}

export function formatProblem(p: PackageProblem): string {
  return `${p.file} ${p.field || '(root)'}: ${p.message}`;
}

/**
 * Values for a local package when `env/.env.local` (gitignored, written by `atk provision
 * --env local`) is missing or incomplete. None is a secret: the client id is the tenant
 * simulator's development registration and the domain is the toolkit's local default.
 */
export const LOCAL_DEFAULTS: Readonly<Record<string, string>> = {
  TEAMSFX_ENV: 'local',
  APP_NAME_SUFFIX: ' (local)',
  TEAMS_APP_ID: '6c1f0b52-3a4e-4d7b-9f21-8e5a7c3d2b10',
  AAD_APP_CLIENT_ID: DEV_CLIENT_ID,
  TAB_DOMAIN: 'localhost:53000',
  TAB_ENDPOINT: 'https://localhost:53000',
};

/** dotenv subset the toolkit writes: KEY=VALUE, # comments, optional single or double quotes. */
export function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2]!;
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2]!;
    else value = value.replace(/\s+#.*$/, '').trim();
    values[m[1]!] = value;
  }
  return values;
}

/**
 * The values placeholders resolve to. Empty values in the file count as unset (provision
 * fills them in later), so a local package still gets the safe defaults for them.
 */
export function loadEnvironment(root: string, env: string): { values: Record<string, string>; file: string; fileExists: boolean } {
  if (!/^[A-Za-z0-9_-]+$/.test(env)) throw new Error(`"${env}" is not an environment name (letters, digits, - and _ only)`);
  const file = path.join(root, 'env', `.env.${env}`);
  const fileExists = fs.existsSync(file);
  const fromFile = fileExists ? parseEnvFile(fs.readFileSync(file, 'utf8')) : {};
  const values: Record<string, string> = env === 'local' ? { ...LOCAL_DEFAULTS } : {};
  for (const [key, value] of Object.entries(fromFile)) if (value !== '') values[key] = value;
  return { values, file, fileExists };
}

const placeholder = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * Replaces placeholders in every string of a parsed JSON document. Unknown or empty
 * variables are reported with the JSON path of the string that uses them; secrets are never
 * substituted into a package that anyone who installs the app can read.
 */
export function resolveJson(doc: unknown, values: Record<string, string>, file: string): { value: unknown; problems: PackageProblem[] } {
  const problems: PackageProblem[] = [];
  const walk = (node: unknown, pointer: string): unknown => {
    if (typeof node === 'string') {
      return node.replace(placeholder, (whole, name: string) => {
        if (name.startsWith('SECRET_')) {
          problems.push({ file, field: pointer, message: `uses ${name}; secrets must never be put into the app package` });
          return whole;
        }
        const v = values[name];
        if (v === undefined || v === '') {
          problems.push({ file, field: pointer, message: `\${{${name}}} has no value; set ${name} in env/.env.<env> (or run provision)` });
          return whole;
        }
        return v;
      });
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, `${pointer}/${i}`));
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`)]));
    }
    return node;
  };
  return { value: walk(doc, ''), problems };
}

const requireFromHere = createRequire(import.meta.url);

/** Where @microsoft/app-manifest keeps the schema a `$schema` URL names, if it bundles it. */
export function bundledSchemaPath(schemaUrl: string): string | null {
  const m = /^https:\/\/developer\.microsoft\.com\/json-schemas\/(teams\/v[0-9.]+|teams\/vDevPreview)\/([A-Za-z.]+\.schema\.json)$/.exec(schemaUrl);
  if (!m) return null;
  const packageRoot = path.dirname(requireFromHere.resolve('@microsoft/app-manifest/package.json'));
  const file = path.join(packageRoot, 'build', 'json-schemas', m[1]!, m[2]!);
  return fs.existsSync(file) ? file : null;
}

/** Ajv errors → field + message, with the detail that makes them actionable. */
function schemaProblems(file: string, errors: ErrorObject[]): PackageProblem[] {
  return errors.map((e) => {
    let message = e.message ?? 'is not valid';
    const params = e.params as Record<string, unknown>;
    if (typeof params.additionalProperty === 'string') message += ` ("${params.additionalProperty}")`;
    if (Array.isArray(params.allowedValues)) message += ` (${params.allowedValues.join(', ')})`;
    if (params.allowedValue !== undefined) message += ` (${JSON.stringify(params.allowedValue)})`;
    return { file, field: e.instancePath, message };
  });
}

const compiled = new Map<string, ReturnType<Ajv04['compile']>>();

function validatorFor(schemaFile: string): ReturnType<Ajv04['compile']> {
  let validate = compiled.get(schemaFile);
  if (!validate) {
    // unicodeRegExp off: the Teams localisation schema has patterns that are invalid with /u.
    const ajv = new Ajv04({ allErrors: true, strictTypes: false, strict: false, unicodeRegExp: false });
    addFormats(ajv, ['uri', 'email', 'regex']);
    validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as object);
    compiled.set(schemaFile, validate);
  }
  return validate;
}

/** Schema validation, offline: a `$schema` the package does not bundle is a problem in itself. */
function validateAgainstBundledSchema(doc: Record<string, unknown>, file: string): PackageProblem[] {
  const url = typeof doc.$schema === 'string' ? doc.$schema : '';
  const schemaFile = bundledSchemaPath(url);
  if (!schemaFile) {
    return [
      {
        file,
        field: '/$schema',
        message: `"${url}" is not a schema bundled with @microsoft/app-manifest; use https://developer.microsoft.com/json-schemas/teams/v1.xx/… without a locale segment so validation stays offline`,
      },
    ];
  }
  const validate = validatorFor(schemaFile);
  return validate(doc) ? [] : schemaProblems(file, validate.errors ?? []);
}

function hostOf(url: unknown): string | null {
  if (typeof url !== 'string') return null;
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

/** Does a validDomains entry (may start with `*.`) cover this host? */
function domainCovers(entry: string, host: string): boolean {
  if (entry.startsWith('*.')) return host.endsWith(entry.slice(1)) && host.length > entry.length - 1;
  return entry.toLowerCase() === host.toLowerCase();
}

/** What the schema cannot say: SSO and tab URLs must sit on a domain the manifest lists. */
export function checkDomains(manifest: Record<string, unknown>): PackageProblem[] {
  const problems: PackageProblem[] = [];
  const domains = Array.isArray(manifest.validDomains) ? manifest.validDomains.filter((d): d is string => typeof d === 'string') : [];
  const check = (field: string, url: unknown) => {
    const host = hostOf(url);
    if (host && !domains.some((d) => domainCovers(d, host))) {
      problems.push({ file: 'manifest.json', field, message: `host "${host}" is not listed in validDomains` });
    }
  };
  (Array.isArray(manifest.staticTabs) ? manifest.staticTabs : []).forEach((tab: Record<string, unknown>, i: number) => {
    check(`/staticTabs/${i}/contentUrl`, tab.contentUrl);
  });
  (Array.isArray(manifest.configurableTabs) ? manifest.configurableTabs : []).forEach((tab: Record<string, unknown>, i: number) => {
    check(`/configurableTabs/${i}/configurationUrl`, tab.configurationUrl);
  });
  const sso = manifest.webApplicationInfo as { id?: unknown; resource?: unknown } | undefined;
  if (sso) {
    const m = typeof sso.resource === 'string' ? /^api:\/\/([^/]+)\/(.+)$/.exec(sso.resource) : null;
    if (!m) {
      problems.push({ file: 'manifest.json', field: '/webApplicationInfo/resource', message: 'must be api://<tab domain>/<client id> for Teams SSO' });
    } else {
      if (!domains.some((d) => domainCovers(d, m[1]!))) {
        problems.push({ file: 'manifest.json', field: '/webApplicationInfo/resource', message: `domain "${m[1]}" is not listed in validDomains (Teams SSO requires it)` });
      }
      if (typeof sso.id === 'string' && m[2]!.toLowerCase() !== sso.id.toLowerCase()) {
        problems.push({ file: 'manifest.json', field: '/webApplicationInfo/resource', message: 'must end with webApplicationInfo.id (the Entra client id)' });
      }
    }
  }
  return problems;
}

/** Teams' icon rules: exact sizes; the outline icon white (or fully transparent) only. */
export function checkIcon(file: string, field: string, data: Buffer, kind: 'color' | 'outline'): PackageProblem[] {
  let png: PNG;
  try {
    png = PNG.sync.read(data);
  } catch {
    return [{ file, field, message: 'is not a readable PNG' }];
  }
  const want = kind === 'color' ? 192 : 32;
  if (png.width !== want || png.height !== want) {
    return [{ file, field, message: `is ${png.width}×${png.height}; Teams requires ${want}×${want}` }];
  }
  if (kind === 'outline') {
    for (let i = 0; i < png.data.length; i += 4) {
      const alpha = png.data[i + 3]!;
      const white = png.data[i]! === 255 && png.data[i + 1]! === 255 && png.data[i + 2]! === 255;
      if (alpha !== 0 && !white) return [{ file, field, message: 'must be white on a transparent background' }];
    }
    if (!png.data.some((v, i) => i % 4 === 3 && v > 0)) return [{ file, field, message: 'is fully transparent' }];
  }
  return [];
}

export interface PackageResult {
  ok: boolean;
  problems: PackageProblem[];
  zipPath?: string;
  entries?: string[];
  manifest?: Record<string, unknown>;
}

/** Validate everything and, only if all is well, write `<outDir>/appPackage.<env>.zip`. */
export async function buildAppPackage(options: { root: string; env: string; manifestDir?: string; outDir?: string }): Promise<PackageResult> {
  const manifestDir = options.manifestDir ?? path.join(options.root, 'manifest');
  const outDir = options.outDir ?? path.join(options.root, 'build');
  const { values, file: envFile, fileExists } = loadEnvironment(options.root, options.env);
  if (!fileExists && options.env !== 'local') {
    return { ok: false, problems: [{ file: path.relative(options.root, envFile), field: '', message: 'does not exist; create it or run provision for this environment' }] };
  }

  const problems: PackageProblem[] = [];
  const readJson = (name: string): Record<string, unknown> | null => {
    const full = path.join(manifestDir, name);
    if (!fs.existsSync(full)) {
      problems.push({ file: name, field: '', message: 'is missing from the manifest folder' });
      return null;
    }
    try {
      return JSON.parse(fs.readFileSync(full, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      problems.push({ file: name, field: '', message: `is not valid JSON: ${e instanceof Error ? e.message : String(e)}` });
      return null;
    }
  };

  const template = readJson('manifest.json');
  if (!template) return { ok: false, problems };
  const resolved = resolveJson(template, values, 'manifest.json');
  problems.push(...resolved.problems);
  const manifest = resolved.value as Record<string, unknown>;
  // A field whose placeholder has no value is already reported; its pattern error is noise.
  const unresolved = new Set(resolved.problems.map((p) => p.field));
  problems.push(...validateAgainstBundledSchema(manifest, 'manifest.json').filter((p) => !unresolved.has(p.field)));
  const schemaVersion = /\/v([0-9.]+)\//.exec(String(manifest.$schema ?? ''))?.[1];
  if (schemaVersion && manifest.manifestVersion !== schemaVersion) {
    problems.push({ file: 'manifest.json', field: '/manifestVersion', message: `is "${String(manifest.manifestVersion)}" but $schema is v${schemaVersion}` });
  }
  problems.push(...checkDomains(manifest));

  const files = new Map<string, Buffer>();
  files.set('manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));

  const icons = (manifest.icons ?? {}) as { color?: unknown; outline?: unknown };
  for (const kind of ['color', 'outline'] as const) {
    const name = icons[kind];
    if (typeof name !== 'string') continue; // the schema already reported it
    const full = path.join(manifestDir, name);
    if (!fs.existsSync(full)) {
      problems.push({ file: 'manifest.json', field: `/icons/${kind}`, message: `names "${name}", which is missing from the manifest folder` });
      continue;
    }
    const data = fs.readFileSync(full);
    problems.push(...checkIcon(name, `/icons/${kind}`, data, kind));
    files.set(name, data);
  }

  const localization = manifest.localizationInfo as
    | { defaultLanguageFile?: string; additionalLanguages?: Array<{ languageTag?: string; file?: string }> }
    | undefined;
  const languageFiles = [
    ...(localization?.defaultLanguageFile ? [localization.defaultLanguageFile] : []),
    ...(localization?.additionalLanguages ?? []).map((l) => l.file).filter((f): f is string => typeof f === 'string'),
  ];
  for (const name of languageFiles) {
    const doc = readJson(name);
    if (!doc) continue;
    const lang = resolveJson(doc, values, name);
    problems.push(...lang.problems);
    problems.push(...validateAgainstBundledSchema(lang.value as Record<string, unknown>, name));
    files.set(name, Buffer.from(`${JSON.stringify(lang.value, null, 2)}\n`));
  }

  if (problems.length > 0) return { ok: false, problems, manifest };

  const zip = new JSZip();
  // A fixed date keeps the zip byte-identical for identical inputs.
  const date = new Date('2025-01-01T00:00:00Z');
  for (const [name, data] of files) zip.file(name, data, { date });
  const buffer = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  fs.mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, `appPackage.${options.env}.zip`);
  fs.writeFileSync(zipPath, buffer);
  return { ok: true, problems: [], zipPath, entries: [...files.keys()], manifest };
}
