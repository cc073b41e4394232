#!/usr/bin/env bash
# Installs what building and testing hyscale needs on Debian 12 (run as root, or with sudo
# available). Safe to run again.
set -eu
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
pkgs="build-essential cmake pkg-config libfyaml-dev libcmocka-dev libcurl4-openssl-dev valgrind openssl clang libclang-rt-14-dev"
missing=""
for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
# Node.js is only test tooling; a machine may already have its own (newer) node and npm.
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
fi
here=$(cd "$(dirname "$0")/.." && pwd)
if [ -f "$here/tests/schema/package-lock.json" ]; then
  (cd "$here/tests/schema" && npm ci --no-audit --no-fund --loglevel=error)
fi
