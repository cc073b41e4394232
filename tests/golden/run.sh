#!/usr/bin/env bash
# Golden tests: every folder under tests/golden/ is a case. The case holds its input
# specs (*.hspec, and any files they refer to), an optional `args` file with the
# command-line options (default: -a app), and `expected/`: the manifests written with
# -O (one folder per service), `stderr` (diagnostics) and `exit-code`.
#
#   tests/golden/run.sh BUILD/hyscale            compare
#   tests/golden/run.sh BUILD/hyscale --update   regenerate expected/ (review with git diff)
#   tests/golden/run.sh BUILD/hyscale --update CASE...   only these cases
set -u
bin=$(realpath "$1"); shift
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
root=$(cd "$(dirname "$0")" && pwd)
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  for d in "$root"/*/; do cases+=("$(basename "$d")"); done
fi
pass=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for c in "${cases[@]}"; do
  dir="$root/$c"
  [ -d "$dir" ] || { echo "no such case: $c"; fail=$((fail+1)); continue; }
  args="-a app"
  [ -f "$dir/args" ] && args=$(cat "$dir/args")
  files=()
  if ! grep -qE '(^| )-f ' <<<"$args"; then
    for f in $(cd "$dir" && ls *.hspec 2>/dev/null | sort); do files+=(-f "$f"); done
  fi
  out="$tmp/$c"; rm -rf "$out"; mkdir -p "$out"
  # shellcheck disable=SC2086
  (cd "$dir" && "$bin" generate service manifests "${files[@]}" $args -O "$out/manifests" >"$out/stdout" 2>"$out/stderr")
  echo $? >"$out/exit-code"
  got="$tmp/$c.got"; rm -rf "$got"; mkdir -p "$got"
  [ -d "$out/manifests" ] && cp -r "$out/manifests/." "$got/"
  # hyscale's folder marker and lock file are the same in every case (tests/hostile/fs.sh checks them)
  find "$got" \( -name .hyscale -o -name .hyscale.lock \) -delete
  cp "$out/stderr" "$out/exit-code" "$got/"
  if [ $update -eq 1 ]; then
    rm -rf "$dir/expected"; cp -r "$got" "$dir/expected"
    echo "updated: $c"; pass=$((pass+1)); continue
  fi
  if diff -ru "$dir/expected" "$got" >"$tmp/$c.diff" 2>&1; then
    pass=$((pass+1))
  else
    echo "FAIL: golden/$c"; head -60 "$tmp/$c.diff"; fail=$((fail+1))
  fi
done
echo "golden: $pass passed, $fail failed"
[ $fail -eq 0 ]
