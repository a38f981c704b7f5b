#!/usr/bin/env bash
# The system programs the integration tests start for real, installed when missing. Maven runs this before the
# integration tests (orchestrator/pom.xml, phase pre-integration-test), so 'mvn -B verify' on a fresh Debian or Ubuntu
# machine needs nothing else; where it cannot install (not root, no apt-get) it says what to install and stops.
# It never starts a package's system service.
set -euo pipefail

# file to look for (a program, or a Python module's file)   Debian package that provides it
needs=(
  "/usr/bin/prometheus  prometheus"   # a real Prometheus backs PrometheusIT
  "/usr/bin/jq          jq"           # the pipelines' shell steps, run by the pipeline tests
  "/usr/lib/python3/dist-packages/psycopg2/__init__.py  python3-psycopg2"  # the Python example bot (PythonBotIT)
)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# GitHub's workflow parser and npm-groovy-lint check the pipeline files (PipelineLintIT); pinned in
# .ci/lint/package-lock.json, installed with the machine's Node.js.
if [ ! -d "$here/lint/node_modules" ]; then
  if command -v npm >/dev/null 2>&1; then
    npm ci --prefix "$here/lint" --no-audit --no-fund --loglevel=error >&2
  else
    echo "botshift tests: no npm here: the pipeline linters are skipped (install Node.js to run them)" >&2
  fi
fi

# a program must be executable; a Python module's file need only exist
present() { if [[ "$1" == *.py ]]; then [ -f "$1" ]; else [ -x "$1" ]; fi; }

missing=()
for need in "${needs[@]}"; do
  read -r path package _ <<<"$need"
  present "$path" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "botshift tests: the integration tests need these programs: ${missing[*]}" >&2
  echo "botshift tests: install them (Debian/Ubuntu: sudo apt-get install ${missing[*]}) and run mvn -B verify again" >&2
  exit 1
fi

echo "botshift tests: installing ${missing[*]} for the integration tests" >&2
export DEBIAN_FRONTEND=noninteractive
# policy-rc.d exit 101 keeps the packages' post-install scripts from starting their services.
policy=/usr/sbin/policy-rc.d
created_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod +x "$policy"
  created_policy=true
fi
cleanup() { if [ "$created_policy" = true ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for need in "${needs[@]}"; do
  read -r path package _ <<<"$need"
  present "$path" || { echo "botshift tests: $package installed, but $path is still missing" >&2; exit 1; }
done
