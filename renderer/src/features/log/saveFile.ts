/** Hands a file to the user: a download in a browser, Electron's save dialog in the app. */
export function saveFile(name: string, type: string, content: string | Uint8Array<ArrayBuffer>): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function exportFileName(extension: string, at = new Date()): string {
  const stamp = at.toISOString().slice(0, 19).replaceAll(':', '-');
  return `msp-log-${stamp}.${extension}`;
}
