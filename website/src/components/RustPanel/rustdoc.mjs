// Rustdoc URLs of the items a Rust panel names. The site publishes no rustdoc and the crate is
// not on crates.io (`publish = false`), so docs.rs paths would not resolve: links are made only
// when the site is given a rustdoc root (DOCS_RUSTDOC_URL, e.g. the output of `cargo doc`
// served somewhere), using rustdoc's own file layout.

/** `a::r#type::b` → `['a', 'type', 'b']`. */
function segments(path) {
  return path.split('::').map((s) => s.replace(/^r#/, ''));
}

/** The URL of module `path` (`krate::service::resource`) under `root`, or null without a root. */
export function moduleUrl(root, path) {
  if (!root) return null;
  return `${root.replace(/\/+$/, '')}/${segments(path).join('/')}/index.html`;
}

/** The URL of struct `path` (`krate::service::Type`) under `root`, or null without a root. */
export function structUrl(root, path) {
  if (!root) return null;
  const parts = segments(path);
  const name = parts.pop();
  return `${root.replace(/\/+$/, '')}/${parts.join('/')}/struct.${name}.html`;
}

/** The URL of function `name` of module `path` under `root`, or null without a root. */
export function functionUrl(root, path, name) {
  if (!root) return null;
  return `${root.replace(/\/+$/, '')}/${segments(path).join('/')}/fn.${name}.html`;
}
