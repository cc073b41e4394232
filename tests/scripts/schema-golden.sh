#!/usr/bin/env bash
# Validates every manifest under tests/golden/*/expected against the upstream schemas,
# strictly. Cases whose args opt into the Gateway API Experimental channel are checked
# against it; all others against the Standard channel.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
std=(); exp=()
for d in "$here"/golden/*/; do
  [ -d "$d/expected" ] || continue
  if [ -f "$d/args" ] && grep -q -- '--gateway-channel experimental' "$d/args"; then exp+=("$d/expected"); else std+=("$d/expected"); fi
done
rc=0
[ ${#std[@]} -gt 0 ] && { node "$here/schema/validate.mjs" --gateway-channel standard "${std[@]}" || rc=1; }
[ ${#exp[@]} -gt 0 ] && { node "$here/schema/validate.mjs" --gateway-channel experimental "${exp[@]}" || rc=1; }
exit $rc
