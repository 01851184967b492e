/**
 * The privacy statement and terms of use the Teams manifest links to (`developer.privacyUrl`,
 * `developer.termsOfUseUrl`). They are static, server-rendered HTML with no script and no
 * external asset, so they open the same in a browser, in Teams' link preview and offline
 * review, and carry nothing a content-security policy would have to allow.
 */

export interface LegalSection {
  heading: string;
  /** Paragraphs; a paragraph given as an array is rendered as a bulleted list. */
  body: ReadonlyArray<string | ReadonlyArray<string>>;
}

export interface LegalDocument {
  /** Path the page is served at, also used for the cross-links. */
  path: '/privacy' | '/terms';
  title: string;
  intro: string;
  updated: string;
  sections: ReadonlyArray<LegalSection>;
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML; the documents are constants, but escaping keeps a later edit safe. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c]!);
}

// `color-scheme: light dark` makes the browser pick its light or dark system colours from the
// reader's prefers-color-scheme, so no palette is hard-coded (forced-colours modes replace
// them anyway).
const styles = `
:root { color-scheme: light dark; }
body { margin: 0; background: Canvas; color: CanvasText; font: 1rem/1.6 "Segoe UI", system-ui, -apple-system, sans-serif; }
main { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 3rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 0 0 0.5rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 0.5rem; }
p, li { max-width: 42rem; }
a { color: LinkText; }
a:focus-visible { outline: 2px solid currentColor; outline-offset: 2px; }
.updated { opacity: 0.8; font-size: 0.9rem; }
nav { margin-top: 2.5rem; padding-top: 1rem; border-top: 1px solid GrayText; }
/* Dark canvases soften thin grey rules; the separator keeps its contrast there. */
@media (prefers-color-scheme: dark) { nav { border-top-color: CanvasText; } }
`;

/** The complete HTML document of a legal page. */
export function renderLegalPage(doc: LegalDocument, other: LegalDocument): string {
  const sections = doc.sections
    .map((section) => {
      const body = section.body
        .map((part) =>
          typeof part === 'string'
            ? `<p>${escapeHtml(part)}</p>`
            : `<ul>${part.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`,
        )
        .join('\n');
      return `<section>\n<h2>${escapeHtml(section.heading)}</h2>\n${body}\n</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(doc.title)} · Account engagement</title>
<style>${styles}</style>
</head>
<body>
<main>
<h1>${escapeHtml(doc.title)}</h1>
<p class="updated">Account engagement for Microsoft Teams · last updated ${escapeHtml(doc.updated)}</p>
<p>${escapeHtml(doc.intro)}</p>
${sections}
<nav aria-label="Related pages"><a href="${other.path}">${escapeHtml(other.title)}</a> · <a href="/">Open Account engagement</a></nav>
</main>
</body>
</html>
`;
}
