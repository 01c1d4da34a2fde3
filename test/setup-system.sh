#!/usr/bin/env bash
# System packages the test suite needs, installed when missing (npm's `pretest` runs this).
#   bubblewrap: the command sandbox, so the sandboxed half of the hostile-model tests runs.
# As root (CI, containers) they are installed with apt-get; otherwise we say what is missing and the
# tests that need it skip with a message (CI sets CI=true, which makes them fail instead).
set -euo pipefail
need=()
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
command -v git >/dev/null 2>&1 || need+=(git)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "note: missing ${need[*]} (install them with your package manager); tests that need them will skip" >&2
fi
