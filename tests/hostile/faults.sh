#!/usr/bin/env bash
# Atomic output under faults (issue #6): a run stopped or failing at any point of writing
# leaves the previous manifests exactly as they were, says what failed, and leaves no
# temporary folder; a SIGKILLed run's leftovers are cleaned up (or rolled back) by the next.
#
#   tests/hostile/faults.sh BUILD/hyscale BUILD/tests/libhs_fault.so
#
# Faults are injected at exact calls by the LD_PRELOAD shim fault_inject.c (HS_FAULT=...).
set -u
bin=$(realpath "$1"); shim=$(realpath "$2")
[ -f "$shim" ] || { echo "faults: no fault shim at $2"; exit 1; }
tmp=$(mktemp -d); trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
# The shim comes before the sanitizer runtime in the ASan build; that is fine for a shim.
export ASAN_OPTIONS="${ASAN_OPTIONS:-}:verify_asan_link_order=0"
pass=0; fail=0; skip=0

spec() {  # $1 dir, $2 replicas: two services, so a run writes two folders
  mkdir -p "$1"
  for s in web api; do
    printf 'name: %s\nimage:\n  name: nginx\n  tag: "1.25"\nreplicas: %s\nexternal: true\nports:\n  - port: 80/http\nloadBalancer:\n  provider: nginx\n  host: %s.example.com\n  mapping:\n    - port: 80\n      contextPaths: [/]\n' \
      "$s" "$2" "$s" >"$1/$s.hspec"
  done
}
spec "$tmp/v1" 1; spec "$tmp/v2" 2
gen() {  # $1 spec dir, $2 output dir, rest: env assignments
  local d=$1 o=$2; shift 2
  (cd "$d" && env "$@" "$bin" generate service manifests -f web.hspec,api.hspec -a app -O "$o" >"$tmp/stdout" 2>"$tmp/stderr")
}
digest() { (cd "$1" && find . -printf '%y %p\n' | LC_ALL=C sort && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 -r cat) | md5sum; }
leftovers() { find "$1" -name '*.hyscale-*' | head -1; }
check() {  # $1 name, $2 expected rc, $3 got rc, $4 expected state (v1|v2), $5 output dir, $6 stderr text
  local why=""
  if [ "$3" != "$2" ]; then why="exit $3, expected $2"
  elif [ "$(digest "$5")" != "$(cat "$tmp/$4.digest")" ]; then why="output is not the complete $4 manifests"
  elif [ -n "$(leftovers "$5")" ]; then why="left behind: $(leftovers "$5")"
  elif [ -n "$6" ] && ! grep -qF -- "$6" "$tmp/stderr"; then why="stderr lacks '$6'"
  elif grep -qE 'Sanitizer|runtime error' "$tmp/stderr"; then why="sanitizer report"
  fi
  if [ -n "$why" ]; then echo "FAIL: faults/$1: $why"; sed 's/^/    /' "$tmp/stderr" | head -5; fail=$((fail+1)); else pass=$((pass+1)); fi
}
# Reference outputs of complete v1 and v2 runs.
for v in v1 v2; do
  gen "$tmp/$v" "$tmp/ref-$v" || { echo "FAIL: faults: reference run $v failed"; cat "$tmp/stderr"; exit 1; }
  digest "$tmp/ref-$v" >"$tmp/$v.digest"
done
fresh() { rm -rf "$1"; cp -a "$tmp/ref-v1" "$1"; }

# name | fault | expected exit | expected state | message
while IFS='|' read -r name f want state msg; do
  [ -z "$name" ] && continue
  o="$tmp/out-$name"; fresh "$o"
  gen "$tmp/v2" "$o" LD_PRELOAD="$shim" HS_FAULT="$f"; rc=$?
  check "$name" "$want" "$rc" "$state" "$o" "$msg"
done <<'CASES'
sigterm-first-write|write:1:TERM|143|v1|hyscale: interrupted; temporary files removed
sigterm-second-service|write:3:TERM|143|v1|hyscale: interrupted
sigint-mid-write|write:2:INT|130|v1|hyscale: interrupted
disk-full|write:2:ENOSPC|3|v1|.hyscale-tmp-
disk-full-last-file|write:4:ENOSPC|3|v1|cannot write: No space left on device
io-error|write:1:EIO|3|v1|cannot write: Input/output error
swap-fails-second-service|rename:3:EACCES|3|v1|cannot replace folder: Permission denied
swap-in-fails-second-service|rename:4:ENOSPC|3|v1|cannot replace folder: No space left on device
sigterm-during-swap|rename:2:TERM|143|v2|
CASES

# SIGKILL cannot be caught: the next run cleans up after it.
o="$tmp/out-kill-write"; fresh "$o"
gen "$tmp/v2" "$o" LD_PRELOAD="$shim" HS_FAULT=write:2:KILL; rc=$?
if [ $rc -ne 137 ] || [ -z "$(leftovers "$o")" ]; then echo "FAIL: faults/kill-write: expected exit 137 and a temporary folder, got $rc"; fail=$((fail+1))
else gen "$tmp/v2" "$o"; check kill-write-next-run 0 $? v2 "$o" ""; fi
# Killed between moving web's previous folder aside and moving the new one in: web has
# no folder at all. The next run puts the previous one back before anything else, so
# even a next run that fails leaves the v1 manifests.
o="$tmp/out-kill-swap"; fresh "$o"
gen "$tmp/v2" "$o" LD_PRELOAD="$shim" HS_FAULT=rename:2:KILL; rc=$?
if [ $rc -ne 137 ] || [ -d "$o/web" ]; then echo "FAIL: faults/kill-swap: expected exit 137 with web moved aside, got $rc"; fail=$((fail+1))
else gen "$tmp/v2" "$o" LD_PRELOAD="$shim" HS_FAULT=write:1:ENOSPC; check kill-swap-next-run-fails 3 $? v1 "$o" "No space left on device"; fi

# A real size limit: past `ulimit -f` writes fail with EFBIG instead of SIGXFSZ.
o="$tmp/out-ulimit"; fresh "$o"
# Only hyscale gets the limit; its stderr is a pipe (not limited) so the messages get out.
(cd "$tmp/v2" && bash -c 'ulimit -f 0; exec "$0" "$@"' "$bin" generate service manifests -f web.hspec,api.hspec -a app -O "$o" 2>&1) \
  | cat >"$tmp/stderr"; rc=${PIPESTATUS[0]}
check ulimit-file-size 3 $rc v1 "$o" "File too large"

# A full file system, where one can be mounted (root in a container often cannot).
mnt="$tmp/tiny"; mkdir -p "$mnt"
if mount -t tmpfs -o size=12k tmpfs "$mnt" 2>/dev/null; then
  gen "$tmp/v1" "$mnt/o" || true      # fill it with a previous run …
  head -c 4096 </dev/zero >"$mnt/filler" 2>/dev/null
  digest "$mnt/o" >"$tmp/tiny.digest"
  gen "$tmp/v2" "$mnt/o"; rc=$?
  if [ $rc -ne 3 ] || [ "$(digest "$mnt/o")" != "$(cat "$tmp/tiny.digest")" ] || [ -n "$(leftovers "$mnt")" ]; then
    echo "FAIL: faults/tmpfs-full: exit $rc"; fail=$((fail+1)); else pass=$((pass+1)); fi
  umount "$mnt"
else
  echo "SKIP: faults/tmpfs-full (cannot mount a tmpfs here; ENOSPC is covered by the shim)"; skip=$((skip+1))
fi

# An unwritable folder. Root writes anywhere, so as root this runs as nobody.
o="$tmp/ro"; mkdir -p "$o"; cp -a "$tmp/ref-v1/." "$o/"; chmod 755 "$o"
runas=()
if [ "$(id -u)" -eq 0 ]; then
  if setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$bin" 2>/dev/null; then
    runas=(setpriv --reuid=65534 --regid=65534 --clear-groups); chmod -R a+rX "$tmp"
  fi
else chmod 555 "$o"; fi
if [ "$(id -u)" -eq 0 ] && [ ${#runas[@]} -eq 0 ]; then echo "SKIP: faults/unwritable (root without setpriv)"; skip=$((skip+1))
else
  (cd "$tmp/v2" && "${runas[@]}" "$bin" generate service manifests -f web.hspec,api.hspec -a app -O "$o" >"$tmp/stdout" 2>"$tmp/stderr"); rc=$?
  check unwritable-folder 3 $rc v1 "$o" "Permission denied"
fi

# A file where the output folder should be.
o="$tmp/blocked"; mkdir -p "$o"; echo x >"$o/file"
gen "$tmp/v2" "$o/file/deeper"; rc=$?
if [ $rc -ne 3 ] || ! grep -q "a file is in the way\|Not a directory" "$tmp/stderr" || [ "$(cat "$o/file")" != x ]; then
  echo "FAIL: faults/file-in-the-way: exit $rc"; sed 's/^/    /' "$tmp/stderr"; fail=$((fail+1)); else pass=$((pass+1)); fi

echo "faults: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
