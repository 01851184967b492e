import { PNG } from 'pngjs';

/**
 * The app's icons, drawn in code so they stay reproducible: three people-shaped bars of
 * rising height (accounts whose engagement grows). Teams wants a 192×192 colour icon (glyph
 * on a solid square) and a 32×32 outline icon (white glyph on transparent).
 */

/** The manifest's accentColor; the colour icon's background. */
export const ICON_ACCENT = '#3B5BDB';
export const COLOR_ICON_SIZE = 192;
export const OUTLINE_ICON_SIZE = 32;

/** Subsamples per axis; 4×4 gives smooth edges without a rasteriser library. */
const SUPERSAMPLE = 4;

/** The glyph in unit coordinates (0..1, y down): is the point inside it? */
export function insideGlyph(x: number, y: number): boolean {
  const barWidth = 0.24;
  const bottom = 0.94;
  const bars = [
    { cx: 0.14, top: 0.62 },
    { cx: 0.5, top: 0.44 },
    { cx: 0.86, top: 0.26 },
  ];
  for (const bar of bars) {
    // Body: a capsule (vertical segment with round ends) from the bar top to the baseline.
    const r = barWidth / 2;
    const y1 = bar.top + r;
    const y2 = bottom - r;
    const cy = Math.min(Math.max(y, y1), y2);
    if ((x - bar.cx) ** 2 + (y - cy) ** 2 <= r * r) return true;
    // Head: a circle above the body, leaving a gap so it reads as a person at 32 px.
    const headR = 0.1;
    const headY = bar.top - 0.06 - headR;
    if ((x - bar.cx) ** 2 + (y - headY) ** 2 <= headR * headR) return true;
  }
  return false;
}

/** Fraction (0..1) of the pixel covered by the glyph placed in the box [offset, offset+box). */
function coverage(px: number, py: number, offset: number, box: number): number {
  let hits = 0;
  for (let sy = 0; sy < SUPERSAMPLE; sy++) {
    for (let sx = 0; sx < SUPERSAMPLE; sx++) {
      const x = (px + (sx + 0.5) / SUPERSAMPLE - offset) / box;
      const y = (py + (sy + 0.5) / SUPERSAMPLE - offset) / box;
      if (x >= 0 && x <= 1 && y >= 0 && y <= 1 && insideGlyph(x, y)) hits++;
    }
  }
  return hits / (SUPERSAMPLE * SUPERSAMPLE);
}

function parseHex(hex: string): [number, number, number] {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`not a #RRGGBB colour: ${hex}`);
  return [parseInt(m[1]!, 16), parseInt(m[2]!, 16), parseInt(m[3]!, 16)];
}

/** 192×192: white glyph centred on a solid accent square, inside Teams' safe area. */
export function drawColorIcon(accent: string = ICON_ACCENT): PNG {
  const size = COLOR_ICON_SIZE;
  const box = 112;
  const offset = (size - box) / 2;
  const [r, g, b] = parseHex(accent);
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const c = coverage(x, y, offset, box);
      const i = (y * size + x) * 4;
      png.data[i] = Math.round(r + (255 - r) * c);
      png.data[i + 1] = Math.round(g + (255 - g) * c);
      png.data[i + 2] = Math.round(b + (255 - b) * c);
      png.data[i + 3] = 255;
    }
  }
  return png;
}

/** 32×32: the glyph in white, edges antialiased through alpha only, on transparency. */
export function drawOutlineIcon(): PNG {
  const size = OUTLINE_ICON_SIZE;
  const box = 30;
  const offset = (size - box) / 2;
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      png.data[i] = 255;
      png.data[i + 1] = 255;
      png.data[i + 2] = 255;
      png.data[i + 3] = Math.round(255 * coverage(x, y, offset, box));
    }
  }
  return png;
}

export function encodePng(png: PNG): Buffer {
  return PNG.sync.write(png, { colorType: 6 });
}
