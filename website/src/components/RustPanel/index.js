// The Rust panel of a resource page: how to reach the resource from the generated crate (Cargo
// feature, module, types, an example of the module's functions) and the `cloudcontrol` CLI
// line. Its data comes from the page's front matter (`rust_panel`, see src/rust-panel-data.js).
// Search ignores it (data-pagefind-ignore): it reads the same on every page.
import React from 'react';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import { moduleUrl, structUrl, functionUrl } from './rustdoc.mjs';
import styles from './styles.module.css';

const ROLES = {
  model: 'model (what reads return)',
  create: 'create input',
  update: 'typed update patch',
  id: 'compound identifier',
};

/** `text` in <code>, linked when `href` is set. */
function Code({ text, href }) {
  const code = <code>{text}</code>;
  return href ? <a href={href}>{code}</a> : code;
}

/** The last `n` segments of a Rust path. */
function tail(path, n) {
  return path.split('::').slice(-n).join('::');
}

export default function RustPanel({ panel }) {
  const { siteConfig } = useDocusaurusContext();
  const root = siteConfig.customFields?.rustdocUrl || null;
  if (panel.feature === null) {
    return (
      <section className={styles.panel} data-pagefind-ignore="all" aria-label="Rust" data-rust-panel="">
        <div className={styles.title}>Rust</div>
        <p className={styles.note}>
          This service calls its own API, not Cloud Control: the crate <code>{panel.crate}</code> has no
          module for it.
        </p>
      </section>
    );
  }
  return (
    <section className={styles.panel} data-pagefind-ignore="all" aria-label="Rust" data-rust-panel="">
      <div className={styles.title}>Rust</div>
      <dl className={styles.facts}>
        <dt>Crate</dt>
        <dd data-rust="crate">
          <code>{panel.crate}</code>, feature <code data-rust="feature">{panel.feature}</code>
        </dd>
        <dt>Module</dt>
        <dd data-rust="module">
          <Code text={panel.module} href={moduleUrl(root, panel.module)} />
        </dd>
        {panel.types.length > 0 && (
          <>
            <dt>Types</dt>
            <dd>
              <ul className={styles.list}>
                {panel.types.map((t) => (
                  <li key={t.role} data-rust-type={t.role}>
                    <Code text={tail(t.path, 2)} href={structUrl(root, t.path)} /> {ROLES[t.role] || t.role}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        {panel.functions.length > 0 && (
          <>
            <dt>Functions</dt>
            <dd data-rust="functions">
              {panel.functions.map((f, i) => (
                <React.Fragment key={f}>
                  {i > 0 && ', '}
                  <Code text={f} href={functionUrl(root, panel.module, f)} />
                </React.Fragment>
              ))}{' '}
              (feature <code>runtime</code>, on by default)
            </dd>
          </>
        )}
      </dl>
      {/* Plain blocks, not the themed CodeBlock: Prism's per-token inline styles would add
          ~9 KB to every resource page's HTML. */}
      <pre className={styles.code} data-rust="example">
        <code>{panel.example}</code>
      </pre>
      {panel.cli.length > 0 && (
        <pre className={styles.code} data-rust="cli">
          <code>{panel.cli.join('\n')}</code>
        </pre>
      )}
    </section>
  );
}
