#!/usr/bin/env bash
# Installs what hyscale needs on Debian 12. Safe to run again; run it as root, or as a user
# who may use sudo (it elevates itself only to install).
#   scripts/setup.sh          what building needs (compiler, CMake, libfyaml, libcurl, libmd)
#   scripts/setup.sh --test   also what the test suite needs (cmocka, valgrind, clang for the
#                             fuzzer, Node.js and the pinned npm test tooling, zsh and fish for
#                             the completion tests, pre-commit, man/groff)
set -eu
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
pkgs="build-essential cmake pkg-config libfyaml-dev libcurl4-openssl-dev libmd-dev"
test_pkgs="libcmocka-dev valgrind openssl clang libclang-rt-14-dev zsh fish pre-commit git man-db groff-base"
tests=false
for a in "$@"; do
  case $a in
    --test) tests=true ;;
    *) echo "usage: scripts/setup.sh [--test]" >&2; exit 2 ;;
  esac
done
$tests && pkgs="$pkgs $test_pkgs"
missing=""
for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if $tests; then
  # Node.js is only test tooling; a machine may already have its own (newer) node and npm.
  command -v node >/dev/null 2>&1 || missing="$missing nodejs"
  command -v npm >/dev/null 2>&1 || missing="$missing npm"
fi
if [ -n "$missing" ]; then
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
fi
here=$(cd "$(dirname "$0")/.." && pwd)
if $tests && [ -f "$here/tests/schema/package-lock.json" ]; then
  (cd "$here/tests/schema" && npm ci --no-audit --no-fund --loglevel=error)
fi
# kubectl v1.32 is the referee of ctest deploy.kubectl (it fails without it). Debian 12's
# kubernetes-client is too old: install kubectl from the Kubernetes apt repository (pkgs.k8s.io).
if ! kubectl version --client 2>/dev/null | grep -q 'v1\.3[2-9]'; then
  echo "setup.sh: kubectl >= v1.32 not found; install it from https://pkgs.k8s.io/core:/stable:/v1.32/deb/ (see the README, Tests)" >&2
fi
