#!/usr/bin/env bash
# Installs what bitcoIM needs on a Debian 12 machine with Node.js >= 20.19:
# pnpm at the version pinned in package.json, the Debian packages the tests
# and the demo use, and the workspace's dependencies. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("bitcoIM needs Node.js >= 20.19, this is "+process.version); process.exit(1) }'

pnpm_version=$(node -p 'require("./package.json").packageManager.split("@")[1]')
if [ "$(pnpm --version 2>/dev/null || true)" != "$pnpm_version" ]; then
  echo "setup: installing pnpm $pnpm_version"
  as_root npm install --global --no-fund --no-audit "pnpm@$pnpm_version"
fi

# zbar-tools: the QR code tests decode PNGs with zbarimg.
# prosody: the XMPP server of the end-to-end tests and the demo; prosody-modules:
# its mod_privilege, for the roster-item tests (XEP-0356). python3-nbxmpp: Gajim's
# XMPP library, which the client tests run as a user.
# ejabberd: the second XMPP server of the end-to-end tests (one component domain, several gateways).
# libevent + libsqlite3: the shared libraries of the Bitcoin Core v30 binary that
# the real-node tests run when one is found ($BITCOIND or ../shared/bitcoin-core).
packages=(zbar-tools prosody prosody-modules python3-nbxmpp ejabberd libevent-core-2.1-7 libevent-extra-2.1-7 libevent-pthreads-2.1-7 libsqlite3-0)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

pnpm install --frozen-lockfile
