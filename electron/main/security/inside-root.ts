/**
 * Which file a URL path names inside a folder, or none. The app:// protocol and the
 * browser tests' host both serve files with it, so a hostile path ("/../", "%2e%2e",
 * "..\\", "/C:/", a NUL byte) can never name a file outside the folder.
 * Plain Node (no Electron import): the test host imports it too.
 */
import path from 'node:path';

/**
 * `urlPath` is a URL's pathname, still percent-encoded ("/assets/index-1a2b.js").
 * Returns the absolute file path inside `root`, or undefined when the path is refused.
 * `paths` is node:path by default; tests pass path.win32 to check Windows rules.
 */
export function fileInsideRoot(root: string, urlPath: string, paths: path.PlatformPath = path): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined; // a broken escape such as "%E0%A4"
  }
  // A backslash is a separator on Windows and a NUL ends a path in C: neither belongs in a URL path.
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  if (!decoded.startsWith('/')) return undefined;
  const relative = decoded.slice(1);
  // "//etc/passwd", "/C:/Windows" or "//server/share": absolute once the leading slash is gone.
  if (relative === '' || paths.isAbsolute(relative) || /^[a-zA-Z]:/.test(relative)) return undefined;
  const absoluteRoot = paths.resolve(root);
  const file = paths.resolve(absoluteRoot, relative);
  const fromRoot = paths.relative(absoluteRoot, file);
  if (fromRoot === '' || fromRoot === '..' || fromRoot.startsWith(`..${paths.sep}`) || paths.isAbsolute(fromRoot)) return undefined;
  return file;
}

/** Content types of the files a Vite build emits; anything else is served as opaque bytes. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
};

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}
