// The Rust panel's data: `cargo xtask gen` writes one `rust-panel.json` per service beside its
// pages (<provider>-docs/providers/<provider>/<service>/rust-panel.json, see
// generator/src/rust/panel.rs). `docusaurus.config.js` hands each resource page its entry
// through the page's front matter (`rust_panel`), so the Markdown files stay as generated and
// a page carries its own entry only; `src/theme/MDXContent` renders it.
const fs = require('fs');
const path = require('path');

const PANEL_FILE = 'rust-panel.json';

/**
 * A loader of panel entries for the pages under `docsPath`, reading each service's file once.
 * @param {string} docsPath the `<provider>-docs` directory
 * @param {string} provider
 */
function panelLoader(docsPath, provider) {
  const services = new Map();
  /** The parsed panel file of `service`, or null when there is none (e.g. a docs-only build). */
  function serviceData(service) {
    if (!services.has(service)) {
      const file = path.join(docsPath, 'providers', provider, service, PANEL_FILE);
      let data = null;
      if (fs.existsSync(file)) {
        try {
          data = JSON.parse(fs.readFileSync(file, 'utf8'));
        } catch (error) {
          throw new Error(`${file}: ${error.message}`);
        }
      }
      services.set(service, data);
    }
    return services.get(service);
  }
  /**
   * The panel of the page at `filePath`: a resource page's entry with its service's crate and
   * feature, `{ crate, feature: null }` for a resource of a service outside the crate, or null
   * (not a resource page, or no panel data).
   */
  return function panelFor(filePath) {
    const relative = path.relative(docsPath, filePath).split(path.sep);
    if (
      relative.length !== 5 ||
      relative[0] !== 'providers' ||
      relative[1] !== provider ||
      relative[4] !== 'index.md'
    ) {
      return null;
    }
    const [, , service, resource] = relative;
    const data = serviceData(service);
    if (!data) return null;
    if (data.feature === null) return { crate: data.crate, feature: null };
    const entry = data.resources && data.resources[resource];
    if (!entry) return null;
    return { crate: data.crate, feature: data.feature, ...entry };
  };
}

module.exports = { panelLoader, PANEL_FILE };
