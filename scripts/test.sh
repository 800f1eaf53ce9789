#!/usr/bin/env bash
# Install everything the tests need (system packages and Python packages), then run them.
# Used as-is by CI (.ci/run) on a fresh clone; safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/.."

# fonts-wqy-microhei: a Chinese font, so the layout tests measure text as a reader sees it (not empty boxes).
# The print edition (WeasyPrint): Pango, the Noto CJK fonts it typesets with, and poppler-utils to check its PDFs.
packages=(chromium nginx default-jre-headless fonts-wqy-microhei
  libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk poppler-utils)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python3 -m pip install -q -e '.[test]'
# axe-core for the accessibility tests, at the version in tests/browser/package-lock.json.
npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error
python3 -m ruff check chaowen tests bench
python3 -m ruff format --check chaowen tests bench
python3 -m mypy
python3 -m pytest -n 2 -q "$@"
