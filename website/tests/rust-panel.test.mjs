// Unit tests of the Rust panel's data loader (src/rust-panel-data.js: which page gets which
// entry of the generated rust-panel.json) and of its rustdoc URLs (src/components/RustPanel/
// rustdoc.mjs). No build needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { moduleUrl, structUrl, functionUrl } from '../src/components/RustPanel/rustdoc.mjs';

const require = createRequire(import.meta.url);
const { panelLoader } = require('../src/rust-panel-data.js');

function docsTree() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rust-panel-'));
  const write = (rel, text) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  write(
    'providers/aws/svc/rust-panel.json',
    JSON.stringify({
      '//': 'generated',
      crate: 'aws-cloudcontrol-resources',
      feature: 'svc',
      resources: { things: { kind: 'list', module: 'aws_cloudcontrol_resources::svc::things' } },
    }),
  );
  write(
    'providers/aws/api_svc/rust-panel.json',
    JSON.stringify({ crate: 'aws-cloudcontrol-resources', feature: null, resources: {} }),
  );
  write('providers/aws/bad/rust-panel.json', '{');
  return root;
}

test('a resource page gets its entry, with the crate and feature', () => {
  const root = docsTree();
  try {
    const panelFor = panelLoader(root, 'aws');
    assert.deepEqual(panelFor(path.join(root, 'providers/aws/svc/things/index.md')), {
      crate: 'aws-cloudcontrol-resources',
      feature: 'svc',
      kind: 'list',
      module: 'aws_cloudcontrol_resources::svc::things',
    });
    // Not resource pages, or nothing generated for them.
    assert.equal(panelFor(path.join(root, 'providers/aws/svc/index.md')), null);
    assert.equal(panelFor(path.join(root, 'index.md')), null);
    assert.equal(panelFor(path.join(root, 'providers/aws/svc/other/index.md')), null);
    assert.equal(panelFor(path.join(root, 'providers/aws/nodata/things/index.md')), null);
    assert.equal(panelFor(path.join(root, 'providers/gcp/svc/things/index.md')), null);
    // A service outside the crate.
    assert.deepEqual(panelFor(path.join(root, 'providers/aws/api_svc/x/index.md')), {
      crate: 'aws-cloudcontrol-resources',
      feature: null,
    });
    // A broken file names itself.
    assert.throws(
      () => panelFor(path.join(root, 'providers/aws/bad/x/index.md')),
      /bad[\\/]rust-panel\.json/,
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('rustdoc URLs follow rustdoc layout, and there are none without a root', () => {
  const root = 'https://example.test/doc/';
  assert.equal(
    moduleUrl(root, 'aws_cloudcontrol_resources::codeconnections::connections'),
    'https://example.test/doc/aws_cloudcontrol_resources/codeconnections/connections/index.html',
  );
  assert.equal(
    structUrl(root, 'aws_cloudcontrol_resources::codeconnections::CreateConnection'),
    'https://example.test/doc/aws_cloudcontrol_resources/codeconnections/struct.CreateConnection.html',
  );
  assert.equal(
    functionUrl(root, 'aws_cloudcontrol_resources::r#type::r#type', 'list'),
    'https://example.test/doc/aws_cloudcontrol_resources/type/type/fn.list.html',
  );
  assert.equal(moduleUrl(null, 'a::b'), null);
  assert.equal(structUrl(null, 'a::B'), null);
  assert.equal(functionUrl(null, 'a::b', 'get'), null);
});
