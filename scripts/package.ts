/**
 * `npm run package [-- --env dev]`: validates the Teams app manifest offline and writes
 * build/appPackage.<env>.zip (manifest, icons, localisation files). The environment defaults
 * to `local`, which works without env/.env.local thanks to safe development defaults.
 * Exits 1 and prints each offending field when the package is not valid.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAppPackage, formatProblem } from './lib/app-package';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function argValue(name: string): string | undefined {
  const args = process.argv.slice(2);
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  return args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
}

const env = argValue('--env') ?? process.env.TEAMSFX_ENV ?? 'local';
const manifestDir = argValue('--manifest-dir');
const outDir = argValue('--out-dir');

try {
  const result = await buildAppPackage({
    root,
    env,
    ...(manifestDir ? { manifestDir: path.resolve(manifestDir) } : {}),
    ...(outDir ? { outDir: path.resolve(outDir) } : {}),
  });
  if (!result.ok) {
    console.error(`The app package for "${env}" is not valid (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}):`);
    for (const p of result.problems) console.error(`  - ${formatProblem(p)}`);
    process.exit(1);
  }
  console.log(`App package for "${env}" is valid: ${path.relative(process.cwd(), result.zipPath!)}`);
  console.log(`  ${result.entries!.join(', ')}`);
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}
