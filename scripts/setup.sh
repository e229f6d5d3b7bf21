#!/usr/bin/env bash
# Installs what the portal needs: Debian packages when missing, a virtualenv with the pinned
# requirements, the var/ folders, the cut-down PDF fonts (manage.py build_pdf_fonts), and the database schema.
# With --dev, the test tools, Chromium, and the page checkers of package.json (axe-core, the Nu HTML checker).
set -euo pipefail
cd "$(dirname "$0")/.."
# The development set-up: DEBUG on (and its development SECRET_KEY) unless the environment says otherwise.
export DEBUG="${DEBUG:-1}"

dev=0
[ "${1:-}" = "--dev" ] && dev=1

packages="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk"
[ "$dev" = 1 ] && packages="$packages chromium poppler-utils openjdk-17-jre-headless"
[ "$dev" = 1 ] && ! command -v npm >/dev/null && packages="$packages nodejs npm"
python3 -c "import ensurepip, venv" 2>/dev/null || packages="$packages python3-venv"

missing=""
for pkg in $packages; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  echo "Installing system packages:$missing"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
requirements=requirements.txt
[ "$dev" = 1 ] && requirements=requirements-dev.txt
mkdir -p var/mail var/media var/broker/queue var/broker/control staticfiles
stamp="var/.installed-$(cat requirements.txt "$requirements" | sha1sum | cut -c1-12)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -r "$requirements"
  touch "$stamp"
fi

if [ "$dev" = 1 ]; then
  # The pinned package-lock.json; both packages ship their files (no install scripts needed).
  npm_stamp="node_modules/.installed-$(sha1sum package-lock.json | cut -c1-12)"
  [ -f "$npm_stamp" ] || { npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch "$npm_stamp"; }
fi

.venv/bin/python manage.py build_pdf_fonts
.venv/bin/python manage.py migrate --noinput -v 0
