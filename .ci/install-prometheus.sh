#!/usr/bin/env bash
# Installs the Prometheus server binary that PrometheusIT starts on a free port.
# It only installs the Debian package; it never starts Prometheus as a system service.
set -euo pipefail

if [ -x /usr/bin/prometheus ]; then
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
# policy-rc.d exit 101 keeps the package's post-install script from starting the service.
policy=/usr/sbin/policy-rc.d
created_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' > "$policy"
  chmod +x "$policy"
  created_policy=true
fi
cleanup() { if [ "$created_policy" = true ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

apt-get update
apt-get install -y --no-install-recommends prometheus
test -x /usr/bin/prometheus
