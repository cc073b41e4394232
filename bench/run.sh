#!/usr/bin/env bash
# Benchmark of `hyscale generate` over synthetic apps (see README.md, Performance).
#
#   bench/run.sh                      # 1, 100, 1,000 and 10,000 services
#   bench/run.sh --quick              # 1, 100 and 1,000 services, 3 runs: a few minutes
#   bench/run.sh --sizes "1 1000" --runs 9 --callgrind-max 100 --hyscale /path/to/hyscale
#
# Builds a Release binary in build-bench/ (or takes --hyscale BIN), writes the apps with
# bench/gen.sh into a temporary folder, and prints one Markdown table, for writing one stream
# (--stdout) and files (-O dir): instructions (valgrind --tool=callgrind, total `I refs` of
# the whole process, start-up included; the same on a busy machine as on a quiet one) for
# sizes up to --callgrind-max (default 1000: 10,000 services take minutes under valgrind),
# then medians over --runs of wall and CPU (user+sys), peak RSS (GNU time), output bytes, and
# beside each --stdout row `cat` of the same input files and the same output bytes, timed in
# the same loop (wall / cat is the ratio). Then the cost of starting any process (/bin/true)
# and, when kubectl is installed, `kubectl create … --dry-run=client` for one service.
# Needs bash, coreutils, awk, CMake, GNU time and valgrind (installed from Debian if missing).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
sizes="1 100 1000 10000"
runs=5
cg_max=1000
hs=""
while [ $# -gt 0 ]; do
	case $1 in
	--sizes) sizes=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--callgrind-max) cg_max=$2; shift 2 ;;
	--hyscale) hs=$(realpath "$2"); shift 2 ;;
	--quick) sizes="1 100 1000"; runs=3; shift ;;
	-h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
	esac
done

need=""
[ -x /usr/bin/time ] || need="$need time"
command -v valgrind >/dev/null 2>&1 || need="$need valgrind"
if [ -n "$need" ]; then
	SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
	# shellcheck disable=SC2086
	$SUDO apt-get install -y --no-install-recommends $need >/dev/null
fi

if [ -z "$hs" ]; then
	cmake -S "$here" -B "$here/build-bench" -DCMAKE_BUILD_TYPE=Release >/dev/null
	cmake --build "$here/build-bench" -j"$(nproc)" --target hyscale >/dev/null
	hs=$here/build-bench/hyscale
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/hyscale-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Features that exist only once the spec supports them: used when `hyscale generate`
# accepts them without a single warning, so the bench keeps working as the spec grows.
extras=0
mkdir -p "$work/probe"
EXTRAS=1 "$here/bench/gen.sh" 1 "$work/probe"
if (cd "$work/probe" && "$hs" generate service manifests -a bench -n bench -f svc-00001.hspec --stdout --strict -q \
	>/dev/null 2>"$work/probe.err") &&
	[ ! -s "$work/probe.err" ]; then
	extras=1
fi

# Profiles (-P, HyScale's .hprof files) once hyscale has them: used when a generate with
# one accepts it without a warning.
profiles=0
if "$hs" generate service manifests --help 2>/dev/null | grep -q -- '-P'; then
	PROFILES=1 EXTRAS=$extras "$here/bench/gen.sh" 1 "$work/probe"
	if (cd "$work/probe" && "$hs" generate service manifests -a bench -n bench -f svc-00001.hspec -P bench \
		--stdout --strict >/dev/null 2>"$work/probe.err") && [ ! -s "$work/probe.err" ]; then
		profiles=1
	fi
fi

# -f takes comma separated lists; one argument may not exceed 128 KiB on Linux,
# so a large app is passed as several lists of at most 1,000 files.
file_args() {
	ls "$1" | grep "\\.$2\$" | awk -v ORS='' -v opt="$3" '
		(NR - 1) % 1000 == 0 { if (NR > 1) print "\n"; print opt "\n" $0; next }
		{ print "," $0 }
		END { if (NR) print "\n" }'
}

# One run: prints "wall user sys" in seconds (bash's time, millisecond resolution).
timed() {
	local TIMEFORMAT='%3R %3U %3S'
	{ time "$@" >/dev/null 2>&1; } 2>&1
}

# (for -O dir the caller removes the previous output first, outside the timing)
gen() {
	if [ "$1" = files ]; then
		"$hs" generate service manifests -a bench -n bench "${fargs[@]}" -O "$work/out"
	else
		"$hs" generate service manifests -a bench -n bench "${fargs[@]}" --stdout
	fi
}

# The baseline: cat reads the same input files and writes the same output bytes (the stream
# hyscale printed, read back from a file) to the same place.
baseline() { cat "${inputs[@]}" "$work/stream.yaml"; }

rows=""
for n in $sizes; do
	app=$work/app-$n
	EXTRAS=$extras PROFILES=$profiles "$here/bench/gen.sh" "$n" "$app"
	cd "$app"
	mapfile -t fargs < <(file_args "$app" hspec -f; [ $profiles = 0 ] || printf -- '-P\nbench\n')
	mapfile -t inputs < <(ls "$app")
	r=$runs
	[ "$n" -ge 10000 ] && [ "$r" -gt 3 ] && r=3
	# a size hyscale refuses (e.g. its limit of specs per run) is a row saying why
	if ! gen stdout >"$work/stream.yaml" 2>"$work/gen.err"; then
		rows+="| $n | \`--stdout\`, \`-O dir\` | refused: $(head -1 "$work/gen.err" | sed 's/|/\\|/g') |||||||||"$'\n'
		cd "$here"
		rm -rf "$app"
		continue
	fi
	for mode in stdout files; do
		instr="—"
		if [ "$n" -le "$cg_max" ]; then
			rm -rf "$work/out"
			if [ $mode = files ]; then
				valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" \
					"$hs" generate service manifests -a bench -n bench "${fargs[@]}" -O "$work/out" >/dev/null 2>"$work/cg.err"
			else
				valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" \
					"$hs" generate service manifests -a bench -n bench "${fargs[@]}" --stdout >/dev/null 2>"$work/cg.err"
			fi
			instr=$(awk '/I[ ]+refs:/ { gsub(",", "", $NF); print $NF }' "$work/cg.err")
		fi
		: >"$work/t"; : >"$work/c"; : >"$work/m"
		# hyscale and cat alternate, so both see the same moments of a shared machine
		for ((i = 0; i < r; i++)); do
			rm -rf "$work/out"
			timed gen $mode >>"$work/t"
			[ $mode = files ] || timed baseline >>"$work/c"
		done
		# Peak RSS from separate runs: GNU time would add its own start-up to the wall time.
		for ((i = 0; i < (r < 3 ? r : 3); i++)); do
			rm -rf "$work/out"
			if [ $mode = files ]; then
				/usr/bin/time -f %M -o "$work/rss" "$hs" generate service manifests -a bench -n bench "${fargs[@]}" -O "$work/out" >/dev/null 2>&1
			else
				/usr/bin/time -f %M -o "$work/rss" "$hs" generate service manifests -a bench -n bench "${fargs[@]}" --stdout >/dev/null 2>&1
			fi
			tail -1 "$work/rss" >>"$work/m"
		done
		if [ $mode = files ]; then
			bytes=$(find "$work/out" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
			out="$(find "$work/out" -type f | wc -l) files, $bytes B"
			cat_wall=""
		else
			out="$(wc -c <"$work/stream.yaml") B"
			cat_wall=$(awk '{ print $1 }' "$work/c" | median)
		fi
		wall=$(awk '{ print $1 }' "$work/t" | median)
		cpu=$(awk '{ print $2 + $3 }' "$work/t" | median)
		rss=$(median <"$work/m")
		rows+=$(awk -v n="$n" -v mode="$mode" -v ins="$instr" -v w="$wall" -v c="$cpu" -v rss="$rss" -v out="$out" \
			-v cw="$cat_wall" -v r="$r" 'BEGIN {
			insc = ins == "—" ? "—" : sprintf("%.1f M", ins / 1e6)
			per = ins == "—" ? "—" : sprintf("%.3f M", ins / n / 1e6)
			catc = cw == "" ? "—" : sprintf("%.1f ms", cw * 1000)
			ratio = cw == "" ? "—" : cw > 0 ? sprintf("%.1f×", w / cw) : "—"
			printf "| %d | %s | %s | %s | %.1f ms | %.1f ms | %.1f MiB | %s | %s | %s | %d |\n",
				n, mode == "files" ? "`-O dir`" : "`--stdout`", insc, per, w * 1000, c * 1000, rss / 1024, out, catc, ratio, r }')
		rows+=$'\n'
	done
	cd "$here"
	rm -rf "$app" "$work/out"
done

cpu_model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo "Machine: $(nproc) cores, ${cpu_model:-unknown CPU}, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo);" \
	"load before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg); libfyaml $(pkg-config --modversion libfyaml 2>/dev/null || echo '?');" \
	"$(date -u +%Y-%m-%d); services $( [ $extras = 1 ] && echo 'with' || echo 'without') props and volumes," \
	"$( [ $profiles = 1 ] && echo 'with a profile each' || echo 'without profiles (not supported yet)');" \
	"instructions up to $cg_max services."
echo
echo "| services | output | instructions | per service | wall | CPU | peak RSS | output size | \`cat\` wall | wall / cat | runs |"
echo "|---:|---|---:|---:|---:|---:|---:|---|---:|---:|---:|"
printf '%s' "$rows"
echo

: >"$work/t"
for ((i = 0; i < runs; i++)); do timed /bin/true >>"$work/t"; done
echo "Starting a process at all (\`/bin/true\`, median of $runs): $(awk '{ print $1 * 1000 }' "$work/t" | median) ms wall."

if command -v kubectl >/dev/null 2>&1; then
	# The nearest thing a user has today: one deployment, service and ingress for one service.
	kube() {
		kubectl create deployment svc-00001 --image=registry.example.com/bench/svc-00001:1.1.0 --port=8080 --dry-run=client -o yaml &&
			kubectl create service clusterip svc-00001 --tcp=8080:8080 --tcp=9090:9090 --dry-run=client -o yaml &&
			kubectl create ingress svc-00001 --rule='svc-00001.bench.example.com/*=svc-00001:8080,tls=svc-00001-tls' --dry-run=client -o yaml
	}
	: >"$work/t"
	for ((i = 0; i < runs; i++)); do timed kube >>"$work/t"; done
	kwall=$(awk '{ print $1 }' "$work/t" | median)
	krss=$( { /usr/bin/time -f %M kubectl create deployment x --image=x --dry-run=client -o yaml >/dev/null; } 2>&1 | tail -1)
	mkdir -p "$work/one"
	"$here/bench/gen.sh" 1 "$work/one"
	: >"$work/t"
	for ((i = 0; i < runs; i++)); do (cd "$work/one" && timed "$hs" generate service manifests -a bench -n bench -f svc-00001.hspec --stdout) >>"$work/t"; done
	hwall=$(awk '{ print $1 }' "$work/t" | median)
	awk -v k="$kwall" -v h="$hwall" -v krss="$krss" -v v="$(kubectl version --client 2>/dev/null | head -1)" 'BEGIN {
		printf "Baseline, one service: `kubectl create deployment/service/ingress --dry-run=client` (%s): %.0f ms wall, %.0f MiB peak RSS per command; hyscale: %.1f ms wall, %.0fx faster.\n",
			v, k * 1000, krss / 1024, h * 1000, (h > 0 ? k / h : 0) }'
else
	echo "Baseline: kubectl is not installed on this machine; no comparison was made."
fi
