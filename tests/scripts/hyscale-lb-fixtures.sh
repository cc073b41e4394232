#!/usr/bin/env bash
# HyScale's own loadBalancer fixtures, judged as HyScale meant them: its validator's
# valid-* specs are accepted, its other lb-validator specs are rejected with our message
# at the position of the field; its generator inputs (builder/input/lb-*.hspec, from
# which HyScale renders Ingress/Istio objects) have a loadBalancer block we accept — they
# are rejected only because they have no image, which HyScale's generator tests did not
# need; given an image they render, with their own provider, into schema-valid manifests.
# Skipped (exit 0) when HYSCALE_CORPUS is unset.
set -u
bin=$1
if [ -z "${HYSCALE_CORPUS:-}" ]; then echo "hyscale-lb-fixtures: HYSCALE_CORPUS not set, skipped"; exit 0; fi
V=$HYSCALE_CORPUS/workflow-controller/controller-service/src/test/resources/servicespecs/validator/lb-validator
B=$HYSCALE_CORPUS/manifest-generator/generator-services/src/test/resources/builder/input
pass=0; fail=0

# check FILE EXIT [EXPECTED-DIAGNOSTIC...]: exit code and each "line:col: level: field: text" prefix.
check() {
  local f=$1 want=$2; shift 2
  [ -f "$f" ] || { echo "FAIL: missing fixture $f"; fail=$((fail+1)); return; }
  local out rc ok=1
  out=$("$bin" validate service -f "$f" -a corpus 2>&1); rc=$?
  [ "$rc" = "$want" ] || { echo "FAIL: $(basename "$f"): exit $rc, expected $want"; ok=0; }
  for d in "$@"; do
    grep -qF -- "$(basename "$f"):$d" <<<"$out" || { echo "FAIL: $(basename "$f"): no diagnostic '$d'"; ok=0; }
  done
  if [ $ok = 1 ]; then pass=$((pass+1)); else echo "$out" | sed 's/^/    /'; fail=$((fail+1)); fi
}

# Accepted by HyScale's LoadBalancerValidator.
check "$V/valid-lb-ingress.hspec" 0
check "$V/valid-lb-istio.hspec" 0
# Rejected by it, each for its own reason (and ours names field and line).
check "$V/lb-without-mandatory-fields.hspec" 1 \
  "5:1: error: loadBalancer.provider: missing required field" \
  "5:1: error: loadBalancer.host: missing required field" \
  "6:6: error: loadBalancer.mapping: at least one mapping is required"
check "$V/lb-with-external-false.hspec" 1 \
  "9:11: error: external: a loadBalancer block requires external: true"
check "$V/lb-invalid-mapping.hspec" 1 \
  "18:11: error: loadBalancer.mapping[0].contextPaths: at least one context path is required" \
  "19:11: error: loadBalancer.mapping[1].port: missing required field"
check "$V/lb-invalidPorts.hspec" 1 \
  "11:18: error: loadBalancer.mapping[0].port: port 9080 is not declared in ports"
check "$V/lb-istio-without-labels.hspec" 1 \
  "5:1: error: loadBalancer.labels: required for provider istio"

# Generator inputs: the loadBalancer block is fine; the only error is the missing image.
for f in "$B"/lb-*.hspec; do
  out=$("$bin" validate service -f "$f" -a corpus 2>&1); rc=$?
  errs=$(grep ': error: ' <<<"$out")
  if [ "$rc" = 1 ] && [ "$(wc -l <<<"$errs")" = 1 ] && grep -q '1:1: error: image: missing required field' <<<"$errs"; then
    pass=$((pass+1))
  else
    echo "FAIL: $(basename "$f"): expected only the missing-image error"; echo "$out" | sed 's/^/    /'; fail=$((fail+1))
  fi
done
# ...and given an image, each renders with its provider into manifests that pass the
# strict schema check: what HyScale meant to generate, in today's APIs.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
schema=$(cd "$(dirname "$0")/../schema" && pwd)
for f in "$B"/lb-*.hspec; do
  n=$(basename "$f" .hspec)
  mkdir -p "$tmp/$n"
  { cat "$f"; printf 'image:\n  name: istio/examples-bookinfo-productpage-v1\n  tag: 1.16.2\n'; } >"$tmp/$n/productpage.hspec"
  # -n: Traefik's Middleware references (headers, HTTPS redirect) must spell the namespace.
  if out=$("$bin" generate service manifests -f "$tmp/$n/productpage.hspec" -a bookinfo -n bookinfo -O "$tmp/$n/out" 2>&1) &&
     ! grep -q ': error: ' <<<"$out"; then
    pass=$((pass+1))
  else
    echo "FAIL: $n with an image does not render"; echo "$out" | sed 's/^/    /'; fail=$((fail+1))
  fi
done
if node "$schema/validate.mjs" "$tmp"/*/out >"$tmp/schema.log" 2>&1; then
  pass=$((pass+1)); tail -1 "$tmp/schema.log"
else
  echo "FAIL: schema"; cat "$tmp/schema.log"; fail=$((fail+1))
fi
echo "hyscale-lb-fixtures: $pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -eq 20 ]
