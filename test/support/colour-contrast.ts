import type { Locator } from 'playwright-core';

/** Relative luminance (0 dark … 1 light) of a computed CSS colour like `rgb(r, g, b)` (WCAG 2). */
export function luminance(cssColour: string): number {
  const parts = cssColour.match(/[\d.]+/g)?.slice(0, 3).map(Number) ?? [];
  if (parts.length < 3) throw new Error(`cannot read colour ${cssColour}`);
  const [r, g, b] = parts.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours: 1 (none) … 21 (black on white). */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The colours a reader sees for an element's text: its own text colour and the first opaque
 * background behind it (walking up the ancestors, as transparent layers let the parent show).
 */
export async function textColours(element: Locator): Promise<{ text: string; background: string }> {
  return element.evaluate((el) => {
    const text = getComputedStyle(el).color;
    for (let node: Element | null = el; node; node = node.parentElement) {
      const bg = getComputedStyle(node).backgroundColor;
      const alpha = bg.startsWith('rgba') ? Number(bg.split(',')[3]?.replace(')', '')) : 1;
      if (bg !== 'transparent' && alpha > 0.99) return { text, background: bg };
    }
    return { text, background: 'rgb(255, 255, 255)' };
  });
}
