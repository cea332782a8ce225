// Link helpers for the built-site checks.

// Tags are matched first: escaped text such as `&lt;a href="/x"&gt;` (AWS descriptions quote
// HTML) holds `href=` too, but never a literal `<`.
const TAG = /<(?:a|link|script|img|source|iframe)\s[^>]*>/gi;
const HREF = /\s(?:href|src)=(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;

/** The site-internal (root-relative) links and sources of an HTML page, without query or hash. */
export function internalLinks(html) {
  const out = [];
  for (const [tag] of html.matchAll(TAG)) {
    for (const m of tag.matchAll(HREF)) {
      const raw = (m[1] ?? m[2] ?? m[3] ?? '').replace(/&amp;/g, '&');
      if (!raw.startsWith('/') || raw.startsWith('//')) continue;
      const link = raw.split(/[?#]/)[0];
      if (link) out.push(link);
    }
  }
  return out;
}

/** The build-relative files that can serve `link` (`/a/` → `a/index.html`). */
export function resolveLink(link) {
  const rel = decodeURIComponent(link).replace(/^\/+/, '');
  if (rel === '' || rel.endsWith('/')) return [`${rel}index.html`];
  return [rel, `${rel}/index.html`];
}
