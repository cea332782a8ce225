#!/usr/bin/env bash
# CI check of the docs site: builds the whole site (failing on any broken link) and checks it in
# headless Chromium (pages, search, sidebar, page weight) and every internal link of the build.
#
#   bash website/ci.sh                                 # the whole site
#   DOCS_SERVICES=codeconnections bash website/ci.sh   # a subset, for a quick local check
#
# Needs generated/docs (run `cargo xtask gen` first) and Node.js >= 20. Installs what is missing:
# Debian's chromium, and the npm packages (`cargo xtask site` runs `npm ci` when needed).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
services_dir="$repo/generated/docs/aws-docs/providers/aws"
if [ ! -d "$services_dir" ]; then
  echo "website/ci.sh: no generated docs at $services_dir; run \`cargo xtask gen\` first" >&2
  exit 1
fi
services="${DOCS_SERVICES:-all}"
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"

if [ ! -x "$chromium" ]; then
  echo "website/ci.sh: installing chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" -lt 20 ]; then
  echo "website/ci.sh: Node.js >= 20 is required (found $(node --version))" >&2
  exit 1
fi

# Peak memory of the build (the largest process: the Docusaurus build) when GNU time exists.
measure=()
if [ -x /usr/bin/time ]; then
  measure=(/usr/bin/time -f "website/ci.sh: build wall %e s, peak RSS %M KB")
fi
cd "$repo"
cargo build -q -p xtask
start=$(date +%s)
if [ "$services" = all ]; then
  echo "website/ci.sh: building the whole site"
  "${measure[@]}" cargo xtask site
  services=""
else
  echo "website/ci.sh: building the site for services: $services"
  "${measure[@]}" cargo xtask site --services "$services"
fi
echo "website/ci.sh: site built in $(( $(date +%s) - start )) s"

cd "$here"
DOCS_SERVICES="$services" CHROMIUM_PATH="$chromium" node --test tests/
