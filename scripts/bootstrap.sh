#!/usr/bin/env bash
# Idempotent set-up: Debian packages when missing, a .venv, pinned Python dependencies.
# Re-running it is fast: each step checks before it acts.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(chromium libharfbuzz-subset0 poppler-utils fonts-inter qpdf)
PYTHON=${PYTHON:-python3}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "bootstrap: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "bootstrap: please install: sudo apt-get install ${missing[*]} (continuing without them)" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "bootstrap: creating .venv"
  "$PYTHON" -m venv .venv
fi

stamp=".venv/.engage-$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "bootstrap: installing Python dependencies (pinned in constraints.txt)"
  .venv/bin/pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
  rm -f .venv/.engage-*
  touch "$stamp"
fi

# The Nu Html Checker (vnu.jar) for the report's HTML test, project-local; needs npm (and java to run it).
VNU_VERSION=26.9.27
if [ ! -f .venv/node/node_modules/vnu-jar/build/dist/vnu.jar ] \
   || ! grep -q "\"version\": \"$VNU_VERSION\"" .venv/node/node_modules/vnu-jar/package.json 2>/dev/null; then
  if command -v npm >/dev/null 2>&1; then
    echo "bootstrap: installing vnu-jar@$VNU_VERSION (Nu Html Checker) into .venv/node"
    # --ignore-scripts: its postinstall would download a Java runtime; the system's java is used instead.
    npm install --silent --no-audit --no-fund --ignore-scripts --prefix .venv/node "vnu-jar@$VNU_VERSION" >/dev/null
  else
    echo "bootstrap: npm not found; the HTML validation test (vnu-jar) will be skipped" >&2
  fi
fi
