// Wraps the theme's MDXContent: on a resource page whose front matter carries `rust_panel`
// (added by docusaurus.config.js from the generated rust-panel.json, never written in the
// Markdown), the Rust panel comes first, right under the page title.
import React from 'react';
import MDXContent from '@theme-original/MDXContent';
import { useDoc } from '@docusaurus/plugin-content-docs/client';
import RustPanel from '@site/src/components/RustPanel';

export default function MDXContentWithRustPanel(props) {
  // Every page of this site is a doc, so the doc context is always there.
  const { frontMatter } = useDoc();
  const panel = frontMatter.rust_panel;
  return (
    <>
      {panel && <RustPanel panel={panel} />}
      <MDXContent {...props} />
    </>
  );
}
