#!/usr/bin/env bash
# Packaging (issue 15): `cmake --install` puts the binary, the man page and the three
# completions in place; the CPack Debian package holds the same, declares its library
# dependencies, installs with dpkg -i and runs. dpkg works on a scratch root (--root), so
# the test changes nothing on the machine; the libraries come from the machine itself.
#   tests/packaging/deb.sh BUILD_DIR
set -eu
build=$(realpath "$1")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: packaging: $*"; exit 1; }
files="bin/hyscale share/man/man1/hyscale.1 share/bash-completion/completions/hyscale
share/zsh/vendor-completions/_hyscale share/fish/vendor_completions.d/hyscale.fish"

cmake --install "$build" --prefix "$tmp/inst" >/dev/null
for f in $files; do [ -s "$tmp/inst/$f" ] || fail "cmake --install did not install $f"; done
"$tmp/inst/bin/hyscale" --version | grep -qx "hyscale [0-9.]*" || fail "installed binary does not run"
MANPATH="$tmp/inst/share/man" man -P cat hyscale 2>/dev/null | grep -q "generate service manifests" || fail "man hyscale does not show the page"

(cd "$tmp" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/pkg" >/dev/null) || fail "cpack failed"
deb=$(ls "$tmp"/pkg/hyscale_*.deb)
dpkg-deb -f "$deb" Depends | grep -q "libfyaml0" || fail "Depends lacks libfyaml0: $(dpkg-deb -f "$deb" Depends)"
dpkg-deb -f "$deb" Depends | grep -q "libcurl4" || fail "Depends lacks libcurl4"
root="$tmp/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"; touch "$root/var/lib/dpkg/status"
# The dependencies are installed on the machine, not in the scratch root's database.
dpkg --root="$root" --force-depends --force-not-root --force-script-chrootless -i "$deb" >/dev/null 2>&1 \
  || dpkg --root="$root" --force-depends --force-not-root -i "$deb" >/dev/null || fail "dpkg -i failed"
dpkg --root="$root" -s hyscale | grep -q "^Status: install ok installed" || fail "dpkg does not list hyscale as installed"
for f in $files; do
  dpkg --root="$root" -L hyscale | grep -qx "/usr/$f" || fail "the package lacks /usr/$f"
  [ -s "$root/usr/$f" ] || fail "/usr/$f not installed"
done
"$root/usr/bin/hyscale" validate service -f "$(dirname "$0")/../../examples/storefront/frontend.hspec" >/dev/null \
  || fail "the installed binary does not validate the example"
bash -c "source '$root/usr/share/bash-completion/completions/hyscale'; COMP_WORDS=(hyscale gen); COMP_CWORD=1; _hyscale; [ \"\${COMPREPLY[*]}\" = generate ]" \
  || fail "the installed bash completion does not complete"
echo "packaging: cmake --install, cpack and dpkg -i passed ($(basename "$deb"))"
