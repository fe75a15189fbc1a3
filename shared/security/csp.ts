/**
 * The renderer's Content Security Policy: only the app's own scripts and styles, no
 * inline script, no eval, no remote content. Put in the built index.html as a meta tag.
 * (frame-ancestors is left out: it has no effect in a meta tag.)
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
