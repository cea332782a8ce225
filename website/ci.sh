#!/usr/bin/env bash
# CI check of the docs site: builds it for a subset of services (the full AWS corpus is measured
# separately, see README) and checks it in headless Chromium.
#
#   bash website/ci.sh                      # all services if there are at most 20, else
#                                           # codeconnections,s3,iam
#   DOCS_SERVICES=codeconnections bash website/ci.sh
#   DOCS_SERVICES=all bash website/ci.sh    # the whole site (AWS 2024-05: ~5 min, ~5.7 GB)
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
if [ -n "${DOCS_SERVICES:-}" ]; then
  services="$DOCS_SERVICES"
elif [ "$(find "$services_dir" -mindepth 1 -maxdepth 1 -type d | wc -l)" -le 20 ]; then
  # A small corpus builds in seconds: build it whole, so every link is checked.
  services=all
else
  # The default subset, as far as the corpus has it (codeconnections is the browser test's).
  services=codeconnections
  for s in s3 iam; do
    if [ -d "$services_dir/$s" ]; then services="$services,$s"; fi
  done
fi
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

cd "$repo"
start=$(date +%s)
if [ "$services" = all ]; then
  echo "website/ci.sh: building the whole site"
  cargo xtask site
  services=""
else
  echo "website/ci.sh: building the site for services: $services"
  cargo xtask site --services "$services"
fi
echo "website/ci.sh: site built in $(( $(date +%s) - start )) s"

cd "$here"
DOCS_SERVICES="$services" CHROMIUM_PATH="$chromium" node --test tests/
