/** Hand a downloaded file to the browser as a download (works in the Teams webview and standalone). */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Give the browser a moment to start the download before the URL is released.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name from the entity's name: letters, digits, dash and underscore only. */
export function safeFileName(base: string, suffix: string, extension = 'csv'): string {
  const clean = base.replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '') || 'export';
  return `${clean}${suffix ? `-${suffix}` : ''}.${extension}`;
}
