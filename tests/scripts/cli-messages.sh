#!/usr/bin/env bash
# The run summary and a few diagnostics as the command line prints them (issue 13, item 11):
#  - under --strict the summary counts the warnings it printed as errors;
#  - validate never says "nothing was written" (it writes nothing anyway);
#  - the <service>.hspec file-name convention is a note: --strict does not fail on it;
#  - what a provider says about itself under --provider is not placed on the spec's provider: line.
set -u
bin=$(realpath "$1")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0
check() { # NAME WANT-EXIT WANT-TEXT [NOT-TEXT] -- ARGS...
  local name=$1 want=$2 text=$3 not=$4; shift 5
  local out; out=$(cd "$tmp" && "$bin" "$@" 2>&1 >/dev/null); local rc=$?
  if [ $rc -ne "$want" ]; then echo "FAIL: $name: exit $rc, expected $want"; echo "$out"; fail=$((fail+1)); return; fi
  if ! grep -qF -- "$text" <<<"$out"; then echo "FAIL: $name: no '$text' in:"; echo "$out"; fail=$((fail+1)); return; fi
  if [ -n "$not" ] && grep -qF -- "$not" <<<"$out"; then echo "FAIL: $name: '$not' in:"; echo "$out"; fail=$((fail+1)); return; fi
  echo "ok: $name"
}
printf 'name: web\nimage:\n  name: nginx\nexternal: true\nports:\n  - port: 80\n' >"$tmp/web-svc.hspec"
printf 'name: web\nimage:\n  name: nginx\nexternal: true\nports:\n  - port: 80\nloadBalancer:\n  provider: gateway\n  className: eg\n  host: a.example.com\n  sticky: true\n  mapping:\n    - port: 80\n      contextPaths: [/]\n' >"$tmp/web.hspec"
mkdir "$tmp/bad" && printf 'name: web\nimage:\n  name: nginx\nreplicas: -1\n' >"$tmp/bad/web.hspec"

check "file-name convention is a note" 0 "web-svc.hspec:1:7: note: name: service name 'web' does not match the file name" "" \
  -- generate service manifests -f web-svc.hspec -a app --strict --stdout
check "strict summary counts warnings as errors" 1 "hyscale: 1 error(s) (1 of them warnings, errors under --strict); nothing was written" "0 error(s)" \
  -- generate service manifests -f web.hspec -a app --strict --stdout
check "validate does not speak of writing" 1 "hyscale: 1 error(s), 0 warning(s)" "nothing was written" \
  -- validate service -f bad/web.hspec
check "--provider note without the spec's line" 0 "web.hspec: note: --provider nginx: ingress-nginx is retired" "web.hspec:8:13: note" \
  -- generate service manifests -f web.hspec -a app --provider nginx --stdout
echo "cli-messages: $fail failed"
[ $fail -eq 0 ]
