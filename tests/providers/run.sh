#!/usr/bin/env bash
# Provider tests from routing-model fixtures (no spec file): every folder
# tests/providers/<provider>/<case>/ holds model.yaml and expected/{manifests.yaml,stderr}.
# The lb golden grid (tests/golden/lb-*) stays the end-to-end test.
#
#   tests/providers/run.sh BUILD/provider-fixture                 compare
#   tests/providers/run.sh BUILD/provider-fixture --update [DIR]  regenerate (review with git diff)
set -u
bin=$(realpath "$1"); shift
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
root=$(cd "$(dirname "$0")" && pwd)
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
  for d in "$root"/*/*/; do [ -f "$d/model.yaml" ] && cases+=("$(realpath --relative-to="$root" "$d")"); done
fi
pass=0; fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for c in "${cases[@]}"; do
  dir="$root/$c"
  got="$tmp/$(echo "$c" | tr / _)"; mkdir -p "$got"
  if ! (cd "$dir" && "$bin" model.yaml "$got/manifests.yaml" "$got/stderr"); then
    echo "FAIL: providers/$c (fixture unreadable)"; fail=$((fail+1)); continue
  fi
  if [ $update -eq 1 ]; then
    rm -rf "$dir/expected"; cp -r "$got" "$dir/expected"; echo "updated: $c"; pass=$((pass+1)); continue
  fi
  if diff -ru "$dir/expected" "$got" >"$tmp/diff" 2>&1; then pass=$((pass+1)); else
    echo "FAIL: providers/$c"; head -60 "$tmp/diff"; fail=$((fail+1)); fi
done
echo "providers: $pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
