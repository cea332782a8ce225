// Navbar search through Pagefind (https://pagefind.app): `cargo xtask site` runs the `pagefind`
// CLI over the built site, which writes a fragmented index to build/pagefind/. The browser loads
// Pagefind's UI script and, on the first query, only the index chunks and result fragments that
// query needs (instead of one index of the whole site).
import React, { useEffect, useRef } from 'react';
import useBaseUrl from '@docusaurus/useBaseUrl';

/** Loads `src` once per page load; resolves when it has run. */
function loadScript(src) {
  const id = 'pagefind-ui-script';
  const existing = document.getElementById(id);
  if (existing) return existing.loaded;
  const script = document.createElement('script');
  script.id = id;
  script.src = src;
  script.loaded = new Promise((resolve, reject) => {
    script.onload = resolve;
    script.onerror = () => reject(new Error(`could not load ${src}`));
  });
  document.head.appendChild(script);
  return script.loaded;
}

export default function SearchBar() {
  const container = useRef(null);
  const base = useBaseUrl('/pagefind/');
  useEffect(() => {
    if (!document.getElementById('pagefind-ui-style')) {
      const style = document.createElement('link');
      style.id = 'pagefind-ui-style';
      style.rel = 'stylesheet';
      style.href = `${base}pagefind-ui.css`;
      document.head.appendChild(style);
    }
    let cancelled = false;
    loadScript(`${base}pagefind-ui.js`)
      .then(() => {
        const element = container.current;
        if (cancelled || !element || element.childElementCount > 0 || !window.PagefindUI) return;
        // eslint-disable-next-line no-new
        new window.PagefindUI({
          element,
          bundlePath: base,
          showImages: false,
          showSubResults: false,
          resetStyles: false,
          pageSize: 8,
        });
      })
      .catch((error) => console.warn(error.message));
    return () => {
      cancelled = true;
    };
  }, [base]);
  return <div className="pagefind-search" ref={container} />;
}
