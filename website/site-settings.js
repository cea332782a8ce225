// Reads the site's environment (see docusaurus.config.js); shared with sidebars.js so both see
// the same provider, docs directory and service subset.
const path = require('path');

const SERVICE_NAME = /^[a-z0-9_-]+$/;

/**
 * @param {Record<string, string | undefined>} env
 * @param {string} siteDir
 */
function docsSettings(env, siteDir) {
  const provider = (env.DOCS_PROVIDER || 'aws').trim();
  if (!SERVICE_NAME.test(provider)) {
    throw new Error(`DOCS_PROVIDER: invalid provider name ${JSON.stringify(provider)}`);
  }
  const root = env.DOCS_ROOT
    ? path.resolve(env.DOCS_ROOT)
    : path.resolve(siteDir, '..', 'generated', 'docs');
  const docsPath = path.join(root, `${provider}-docs`);
  const names = (env.DOCS_SERVICES || '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!SERVICE_NAME.test(name)) {
      throw new Error(`DOCS_SERVICES: invalid service name ${JSON.stringify(name)}`);
    }
  }
  const services = names.length ? [...new Set(names)].sort() : null;
  const include = services
    ? ['index.md', ...services.map((s) => `providers/${provider}/${s}/**/*.md`)]
    : ['**/*.md'];
  return {
    provider,
    providerTitle: provider.toUpperCase(),
    docsPath,
    sidebarFile: path.join(docsPath, 'sidebars.js'),
    services,
    include,
    faster: env.DOCS_FASTER !== '0',
    sequentialBundles: env.DOCS_SEQUENTIAL_BUNDLES !== '0',
    rustdocUrl: (env.DOCS_RUSTDOC_URL || '').trim() || null,
  };
}

module.exports = { docsSettings };
