/**
 * Redraws manifest/color.png and manifest/outline.png from scripts/lib/app-icons.ts.
 * Run `npx tsx scripts/draw-icons.ts` after changing the glyph; commit the PNGs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { drawColorIcon, drawOutlineIcon, encodePng } from './lib/app-icons';

const manifestDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'manifest');
fs.writeFileSync(path.join(manifestDir, 'color.png'), encodePng(drawColorIcon()));
fs.writeFileSync(path.join(manifestDir, 'outline.png'), encodePng(drawOutlineIcon()));
console.log(`Icons written to ${path.relative(process.cwd(), manifestDir) || '.'}/color.png and outline.png`);
