// Every site-internal link in the built site resolves to a built file. The pages link with raw
// `<a href>` tags, which MDX leaves alone (only Markdown links go through Docusaurus' broken
// link checker), so the links are checked here, in the HTML that a browser gets.
//
// Environment: SITE_BUILD_DIR (default: website/build); DOCS_SERVICES / DOCS_PROVIDER as given
// to the build: in a subset build, links into services that were left out are not checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { internalLinks, resolveLink } from './links.mjs';

const siteDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = path.resolve(process.env.SITE_BUILD_DIR || path.join(siteDir, 'build'));
const provider = process.env.DOCS_PROVIDER || 'aws';
const services = (process.env.DOCS_SERVICES || '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);

function htmlFiles(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...htmlFiles(full));
    else if (entry.name.endsWith('.html')) out.push(full);
  }
  return out.sort();
}

/** In a subset build, whether `link` points into a service that was not built. */
function leftOut(link) {
  if (!services.length) return false;
  const prefix = `/providers/${provider}/`;
  if (!link.startsWith(prefix)) return false;
  const service = link.slice(prefix.length).split('/')[0];
  return service !== '' && !services.includes(service);
}

test('link extraction and resolution', () => {
  const html =
    '<a href=/providers/aws/s3/>s3</a><a href="/a/b/#x">b</a><link href=\'/assets/x.css\'>' +
    '<a href="https://example.com/">e</a><a href=//cdn.example.com/x>c</a><a href=#top>t</a>' +
    '<td>see &lt;a href="/vpc/latest/x.html"&gt;docs&lt;/a&gt;</td><script src=/assets/js/main.js></script>';
  assert.deepEqual(internalLinks(html), [
    '/providers/aws/s3/',
    '/a/b/',
    '/assets/x.css',
    '/assets/js/main.js',
  ]);
  assert.deepEqual(resolveLink('/a/b/'), ['a/b/index.html']);
  assert.deepEqual(resolveLink('/assets/x.css'), ['assets/x.css', 'assets/x.css/index.html']);
  assert.deepEqual(resolveLink('/a%20b/'), ['a b/index.html']);
});

test('every internal link of the built site resolves', () => {
  assert.ok(
    fs.existsSync(path.join(buildDir, 'index.html')),
    `no built site at ${buildDir}: run \`cargo xtask site\` first`,
  );
  const files = htmlFiles(buildDir);
  const exists = new Map();
  const broken = [];
  let checked = 0;
  let skipped = 0;
  for (const file of files) {
    const html = fs.readFileSync(file, 'utf8');
    for (const link of internalLinks(html)) {
      if (leftOut(link)) {
        skipped += 1;
        continue;
      }
      checked += 1;
      if (!exists.has(link)) {
        exists.set(
          link,
          resolveLink(link).some((rel) => fs.existsSync(path.join(buildDir, rel))),
        );
      }
      if (!exists.get(link)) broken.push(`${path.relative(buildDir, file)} -> ${link}`);
    }
  }
  console.log(
    `checked ${checked} links (${exists.size} distinct) in ${files.length} pages` +
      (skipped ? `; skipped ${skipped} into services left out of this subset build` : ''),
  );
  assert.ok(files.length > 1 && checked > 0, 'the build has pages with links');
  assert.deepEqual(broken.slice(0, 50), [], `${broken.length} broken links`);
});
