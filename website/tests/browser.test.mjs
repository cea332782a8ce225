// Browser check of the built docs site: serves website/build (or SITE_BUILD_DIR) on 127.0.0.1
// and drives Debian's headless Chromium through playwright-core.
//
//   node --test tests/            (after `cargo xtask site`, which builds into website/build)
//
// Environment: SITE_BUILD_DIR (default: website/build), CHROMIUM_PATH (default:
// /usr/bin/chromium), SCREENSHOT_DIR (default: website/test-results, gitignored).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveStatic } from './static-server.mjs';

const siteDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = path.resolve(process.env.SITE_BUILD_DIR || path.join(siteDir, 'build'));
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const screenshotDir = path.resolve(process.env.SCREENSHOT_DIR || path.join(siteDir, 'test-results'));

const SERVICE_PATH = '/providers/aws/codeconnections/';
/** `Node.DOCUMENT_POSITION_FOLLOWING`. */
const Node_FOLLOWING = 4;
const PAGE_PATH = `${SERVICE_PATH}connections/`;

let server;
let context;
let userDataDir;

before(async () => {
  assert.ok(
    fs.existsSync(path.join(buildDir, 'index.html')),
    `no built site at ${buildDir}: run \`cargo xtask site\` first`,
  );
  assert.ok(fs.existsSync(chromiumPath), `no Chromium at ${chromiumPath}: apt-get install chromium`);
  server = await serveStatic(buildDir);
  // A fresh profile per run, so no cache or state leaks between runs.
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'docs-site-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await context?.close();
  await server?.close();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

/** Opens `route` in a new tab, failing on page errors (e.g. a failed hydration). */
async function open(route) {
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('console', (msg) => {
    // Failed requests are reported below with their URL.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
      errors.push(msg.text());
    }
  });
  page.on('response', (res) => {
    if (res.status() >= 400) errors.push(`${res.status()} ${res.url()}`);
  });
  const response = await page.goto(server.url + route, { waitUntil: 'networkidle' });
  assert.equal(response?.status(), 200, `${route} answered ${response?.status()}`);
  return { page, errors };
}

/** The cell texts of the table that directly follows the heading `#id`. */
async function tableAfter(page, id) {
  return page.evaluate((headingId) => {
    const heading = document.getElementById(headingId);
    let el = heading?.nextElementSibling;
    while (el && el.tagName !== 'TABLE') el = el.nextElementSibling;
    if (!el || el.getBoundingClientRect().height === 0) return null;
    return [...el.querySelectorAll('tr')].map((tr) =>
      [...tr.querySelectorAll('th, td')].map((c) => c.textContent.trim()),
    );
  }, id);
}

test('resource page renders fields, methods, SQL example and permissions', async () => {
  const { page, errors } = await open(PAGE_PATH);
  try {
    assert.equal(await page.locator('article h1').first().textContent(), 'connections');

    const fields = await tableAfter(page, 'fields');
    assert.ok(fields, 'Fields table is rendered');
    assert.deepEqual(fields[0], ['Name', 'Datatype', 'Description']);
    assert.deepEqual(fields.slice(1).map((r) => r.slice(0, 2)), [
      ['connection_arn', 'string'],
      ['region', 'string'],
    ]);
    assert.match(fields[1][2], /Amazon Resource Name \(ARN\) of the\s+connection/);

    const methods = await tableAfter(page, 'methods');
    assert.ok(methods, 'Methods table is rendered');
    assert.deepEqual(methods, [
      ['Name', 'Accessible by', 'Required Params'],
      ['create_resource', 'INSERT', 'data__DesiredState, region'],
      ['list_resource', 'SELECT', 'region'],
    ]);

    const sql = page.locator('pre code.language-sql, div.language-sql pre code').first();
    assert.ok(await sql.isVisible(), 'SQL example is visible');
    // Prism renders one block per line; compare the non-empty lines.
    const sqlLines = (await sql.innerText()).split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
    assert.deepEqual(sqlLines, [
      'SELECT',
      'region,',
      'connection_arn',
      'FROM aws.codeconnections.connections',
      "WHERE region = 'us-east-1'",
    ]);

    assert.ok(await page.locator('h2#permissions').isVisible(), 'Permissions heading is visible');
    const permissions = await page.evaluate(() => {
      const out = {};
      let el = document.getElementById('permissions');
      let current = null;
      while ((el = el.nextElementSibling)) {
        // The heading's anchor link adds a zero-width space to its text.
        if (el.tagName === 'H3') current = el.textContent.replace(/\u200b/g, '').trim();
        else if (current && el.querySelector('pre')) out[current] = el.innerText.trim().split(/\s*\n\s*/);
      }
      return out;
    });
    assert.deepEqual(permissions, {
      Create: ['codeconnections:CreateConnection,', 'codeconnections:TagResource'],
      List: ['codeconnections:ListConnections,', 'codeconnections:ListTagsForResource'],
    });

    // The sidebar holds the service's category with this page in it.
    assert.ok(await page.locator(`nav.menu a.menu__link[href="${PAGE_PATH}"]`).isVisible());

    fs.mkdirSync(screenshotDir, { recursive: true });
    const shot = path.join(screenshotDir, 'codeconnections-connections.png');
    await page.screenshot({ path: shot, fullPage: true });
    assert.ok(fs.statSync(shot).size > 10_000, 'screenshot written');
    assert.deepEqual(errors, [], 'no errors in the browser console');
  } finally {
    await page.close();
  }
});

test('resource page shows the Rust panel from the generated rust-panel.json', async () => {
  const docsRoot = path.resolve(siteDir, process.env.DOCS_ROOT || '../generated/docs');
  const data = JSON.parse(
    fs.readFileSync(
      path.join(docsRoot, 'aws-docs', SERVICE_PATH.replace(/^\//, ''), 'rust-panel.json'),
      'utf8',
    ),
  );
  const expected = data.resources.connections;
  const { page, errors } = await open(PAGE_PATH);
  try {
    const panel = page.locator('article section[data-rust-panel]');
    assert.ok(await panel.isVisible(), 'the Rust panel is visible');
    const text = (sel) => panel.locator(sel).first().innerText();
    assert.equal(await text('[data-rust="feature"]'), 'codeconnections');
    assert.equal(await text('[data-rust="module"]'), 'aws_cloudcontrol_resources::codeconnections::connections');
    assert.equal(await text('[data-rust="module"]'), expected.module);
    const types = await panel.locator('[data-rust-type]').evaluateAll((lis) =>
      lis.map((li) => [li.getAttribute('data-rust-type'), li.querySelector('code').textContent]),
    );
    assert.deepEqual(types, [
      ['model', 'codeconnections::Connection'],
      ['create', 'codeconnections::CreateConnection'],
    ]);
    const functions = await panel
      .locator('[data-rust="functions"] code')
      .evaluateAll((codes) => codes.map((c) => c.textContent));
    assert.deepEqual(functions, [...expected.functions, 'runtime']);
    assert.ok(expected.functions.includes('list') && expected.functions.includes('create'));
    const example = await text('[data-rust="example"]');
    assert.equal(example.trim(), expected.example.trim());
    assert.match(example, /connections::list\(&client, "us-east-1"\)/);
    assert.match(example, /CreateConnection::new\(CreateConnectionRequired \{ connection_name \}\)/);
    const cli = await text('[data-rust="cli"]');
    assert.deepEqual(cli.trim().split('\n'), expected.cli);
    assert.match(cli, /^cloudcontrol list aws\.codeconnections\.connections --region us-east-1$/m);
    // The site publishes no rustdoc: without DOCS_RUSTDOC_URL the panel links nowhere.
    assert.equal(await panel.locator('a').count(), 0, 'no rustdoc links without DOCS_RUSTDOC_URL');
    // It sits under the title, before the page's own text, and search does not index it.
    const order = await page.evaluate(() => {
      const h1 = document.querySelector('article h1');
      const section = document.querySelector('article section[data-rust-panel]');
      const overview = document.getElementById('overview');
      return [
        h1.compareDocumentPosition(section) & Node.DOCUMENT_POSITION_FOLLOWING,
        section.compareDocumentPosition(overview) & Node.DOCUMENT_POSITION_FOLLOWING,
        section.getAttribute('data-pagefind-ignore'),
      ];
    });
    assert.deepEqual(order, [Node_FOLLOWING, Node_FOLLOWING, 'all']);
    assert.deepEqual(errors, [], 'no errors in the browser console');
  } finally {
    await page.close();
  }
});

test('search finds the connections page, downloading at most 3 MB on the first query', async () => {
  const { page, errors } = await open(SERVICE_PATH);
  try {
    // Everything the search loads comes from /pagefind/ (UI script and style, the WebAssembly
    // search, index chunks and result fragments); count the bytes of the first query.
    let bytes = 0;
    const pending = [];
    page.on('response', (res) => {
      if (new URL(res.url()).pathname.startsWith('/pagefind/')) {
        pending.push(res.body().then((b) => (bytes += b.length), () => {}));
      }
    });
    const input = page.locator('.pagefind-search input.pagefind-ui__search-input');
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill('codeconnections connections');
    const hit = page.locator(`.pagefind-ui__result-link[href="${PAGE_PATH}"]`).first();
    await hit.waitFor({ state: 'visible', timeout: 30_000 });
    await page.waitForLoadState('networkidle');
    await Promise.all(pending);
    console.log(`first search downloaded ${bytes} bytes from /pagefind/`);
    assert.ok(bytes > 0, 'the search loaded its index');
    assert.ok(bytes <= 3_000_000, `the first search downloaded ${bytes} bytes (at most 3 MB)`);

    await hit.click();
    await page.waitForURL((url) => url.pathname === PAGE_PATH);
    assert.equal(await page.locator('article h1').first().textContent(), 'connections');
    assert.deepEqual(errors, [], 'no errors in the browser console');
  } finally {
    await page.close();
  }
});

test('a resource page is light: its service sidebar only, at most 40 KB of HTML', async () => {
  const res = await fetch(server.url + PAGE_PATH);
  const html = await res.text();
  const size = Buffer.byteLength(html);
  console.log(`${PAGE_PATH}: ${size} bytes of HTML`);
  assert.ok(size <= 40_000, `${PAGE_PATH} is ${size} bytes of HTML (at most 40 KB)`);
  const { page, errors } = await open(PAGE_PATH);
  try {
    const sidebarLinks = await page.$$eval('nav.menu a.menu__link[href]', (as) =>
      as.map((a) => a.getAttribute('href')),
    );
    // Back to the services index, the service page and its resource pages; no other service.
    assert.equal(sidebarLinks[0], '/');
    assert.ok(sidebarLinks.includes(SERVICE_PATH), 'the service page is in the sidebar');
    const others = sidebarLinks.filter((href) => href !== '/' && !href.startsWith(SERVICE_PATH));
    assert.deepEqual(others, [], 'links into other services');
    assert.deepEqual(errors, [], 'no errors in the browser console');
  } finally {
    await page.close();
  }
});

test('service page links resolve', async () => {
  const { page, errors } = await open(SERVICE_PATH);
  try {
    assert.equal(await page.locator('article h1').first().textContent(), 'codeconnections');
    const columns = page.locator('article .providerDocColumn');
    assert.ok((await columns.count()) >= 2, 'providerDocColumn divs are rendered');
    const display = await page.evaluate(
      () => getComputedStyle(document.querySelector('article .providerDocColumn')).flexGrow,
    );
    assert.equal(display, '1', 'providerDocColumn CSS is applied');

    const links = await page.$$eval('article .providerDocColumn a[href]', (as) =>
      as.map((a) => a.getAttribute('href')),
    );
    // Exactly the resource links of the generated service page, in its order.
    const docsRoot = path.resolve(siteDir, process.env.DOCS_ROOT || '../generated/docs');
    const servicePage = fs.readFileSync(
      path.join(docsRoot, 'aws-docs', SERVICE_PATH.replace(/^\//, ''), 'index.md'),
      'utf8',
    );
    const expected = [...servicePage.matchAll(/<a href="([^"]+)">/g)].map((m) => m[1]);
    assert.ok(expected.includes(`${SERVICE_PATH}connections/`), 'the service page lists connections');
    assert.deepEqual(links, expected);
    for (const href of links) {
      const res = await fetch(server.url + href);
      assert.equal(res.status, 200, `${href} answered ${res.status}`);
      const html = await res.text();
      const name = href.split('/').filter(Boolean).pop();
      assert.ok(html.includes(`<h1>${name}</h1>`), `${href} renders its title`);
    }

    // Client-side navigation through the link renders the page too.
    await page.locator(`article a[href="${links[0]}"]`).click();
    await page.waitForURL((url) => url.pathname === links[0]);
    assert.equal(await page.locator('article h1').first().textContent(), 'connection');
    assert.deepEqual(errors, [], 'no errors in the browser console');
  } finally {
    await page.close();
  }
});

test('provider page is the landing page', async () => {
  const { page, errors } = await open('/');
  try {
    assert.ok(await page.locator(`article a[href="${SERVICE_PATH}"]`).first().isVisible());
    const unknown = await fetch(`${server.url}/providers/aws/no-such-service/`);
    assert.equal(unknown.status, 404);
    assert.deepEqual(errors, [], 'no errors in the browser console');
  } finally {
    await page.close();
  }
});
