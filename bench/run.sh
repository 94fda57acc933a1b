#!/usr/bin/env bash
# bench/run.sh: build vendorc's release build, generate projects of 1,000,
# 10,000 and 50,000 vendors (bench/gen.py) and time `vendorc compile` and
# `vendorc check` on them; print a markdown table for bench/README.md.
#
#   bench/run.sh            the full run (N = 1000, 10000, 50000)
#   bench/run.sh --quick    N = 1000, one run of each (a smoke test)
#
# Options:
#   --timeout S   bound on one run, in seconds (default 600, 120 with
#                 --quick); a run that
#                 reaches it is reported as a timeout, the remaining runs
#                 of that command at that N are skipped, and so are the
#                 larger N of that command (they cannot be faster) unless
#                 --no-skip is given
#   --sizes "A B" the N to run (default "1000 10000 50000")
#   --seed S      generator seed (default 1)
#   --runs K      runs per command and N (default 5, 3 at N >= 50000,
#                 1 with --quick)
#   --isolate-style flow|block
#                 how gen.py writes the project file's isolate list
#                 (default flow: see bench/README.md, 1 MiB limit)
#   --commands "compile nochange check kustomize report"
#                 what to measure (default the first four)
#   --enforce admin
#                 add `enforce: admin` to each generated project (the admin
#                 tier's ClusterNetworkPolicies too); the table then also
#                 counts the objects of each kind in the output
#   --backend cilium
#                 add `backend: cilium` to each generated project (its
#                 CiliumNetworkPolicies, and check's Cilium evaluator)
#   --clusters K  make each generated project a fleet of K clusters
#                 (c01..cK, c01 labelled env=staging, the others env=prod;
#                 every vendor in every cluster, the one catalog): N vendors
#                 compiled and checked K times over (docs/fleet.md). Use
#                 another BENCH_DIR, the project directories are n$N as
#                 without it
#   --no-build    use build-release/vendorc as it is (to time exactly the
#                 binary that was profiled)
#   --keep        keep the generated projects (default: kept anyway under
#                 $BENCH_DIR; they are regenerated on every run)
#
# Environment: BENCH_DIR (default /tmp/vendorc-bench) holds the generated
# projects and the raw measurements; nothing is written into the repository
# but build-release/ (git-ignored).
#
# What is measured, each with /usr/bin/time -f '%e %M %U %S' under timeout:
#   compile            fresh: the output directory is moved away before
#                      each run (and the disk synced), so every file is
#                      written
#   compile (no change) the output is already up to date: vendorc compares
#                      and writes nothing (the usual CI case)
#   check              everything compile does but writing, then verifies
#                      the emitted policies with vendorc's own evaluator
#   kubectl kustomize  on the compile output, N = 1000 only
#   report             vendorc report (HTML) to a file: compile in memory,
#                      the proof, the evaluation of every flow; the table
#                      also gives the report's size
# Each number is the median over the runs (5, or 3 at N = 50000). Each
# command runs in rounds, every N once per round, so that drift in this
# VM's speed during a run touches every N alike (a run right after a
# larger one can be slower, though: bench/README.md).
#
# On exit the script deletes the trees it moved aside. For some minutes
# after a delete that large, ext4 skips the inodes just freed when it
# allocates new ones, and creating files takes several times the system
# time: give it five minutes before timing fresh compiles again.
set -u -o pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
NOW=2026-11-24
TIMEOUT=600
SIZES="1000 10000 50000"
SEED=1
QUICK=0
SKIP=1
TIMEOUT_SET=0
RUNS=
ISTYLE=flow
BUILD=1
ENFORCE=namespace
BACKEND=networkpolicy
CLUSTERS=0
COMMANDS="compile nochange check kustomize"
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) QUICK=1; SIZES=1000 ;;
	--timeout) TIMEOUT=$2; TIMEOUT_SET=1; shift ;;
	--sizes) SIZES=$2; shift ;;
	--seed) SEED=$2; shift ;;
	--runs) RUNS=$2; shift ;;
	--isolate-style) ISTYLE=$2; shift ;;
	--no-skip) SKIP=0 ;;
	--no-build) BUILD=0 ;;
	--enforce) ENFORCE=$2; shift ;;
	--backend) BACKEND=$2; shift ;;
	--clusters) CLUSTERS=$2; shift ;;
	--commands) COMMANDS=$2; shift ;;
	--keep) ;;
	-h|--help) sed -n '2,63p' "$0"; exit 0 ;;
	*) echo "run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
	esac
	shift
done

# A smoke test should not sit on a pathological case for 10 minutes.
[ "$QUICK" = 1 ] && [ "$TIMEOUT_SET" = 0 ] && TIMEOUT=120
BENCH_DIR=${BENCH_DIR:-/tmp/vendorc-bench}
mkdir -p "$BENCH_DIR"
log() { printf '%s\n' "$*" >&2; }

# ---- tools ----
if [ ! -x /usr/bin/time ]; then
	log "installing GNU time (Debian package time)"
	SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
	$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq time >&2 \
		|| { log "run.sh: cannot install /usr/bin/time"; exit 3; }
fi
command -v timeout >/dev/null || { log "run.sh: coreutils timeout missing"; exit 3; }

# ---- build ----
if [ "$BUILD" = 1 ] || [ ! -x "$repo/build-release/vendorc" ]; then
	log "== building the release build (build-release/)"
	if [ ! -f "$repo/build-release/build.ninja" ]; then
		(cd "$repo" && meson setup build-release --buildtype=release -Db_ndebug=if-release) >&2 || { log "meson setup failed"; exit 3; }
	fi
	ninja -C "$repo/build-release" >&2 || { log "run.sh: the release build failed"; exit 3; }
fi
VENDORC=$repo/build-release/vendorc
rev=$(cd "$repo" && git rev-parse --short HEAD 2>/dev/null || echo unknown)
dirty=$(cd "$repo" && git status --porcelain -- src include grammar meson.build 2>/dev/null | wc -l)
[ "$dirty" -gt 0 ] && rev="$rev + $dirty uncommitted change(s) in src/include/grammar"
if [ "$BUILD" = 1 ]; then
	rev="$rev, binary built $(date -u -r "$VENDORC" '+%Y-%m-%d %H:%M UTC')"
else
	rev="the build-release/vendorc built $(date -u -r "$VENDORC" '+%Y-%m-%d %H:%M UTC') (--no-build; HEAD is now $rev)"
fi

# A fresh compile must find no output directory. Deleting the last one just
# before would time ext4's handling of thousands of just-freed inodes
# (recently_deleted() scans), not vendorc: move it aside instead, flush, and
# delete all of them at the end.
TRASH=$BENCH_DIR/trash
rm -rf "$TRASH"; mkdir -p "$TRASH"
trap 'rm -rf "$TRASH"' EXIT
fresh_out() { [ -d "$1" ] && mv "$1" "$TRASH/$(date +%s%N)"; sync; }
want() { [[ " $COMMANDS " == *" $1 "* ]]; }

# ---- helpers ----
# median of numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {if (NR==0) print "-"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
fmt() { awk -v x="$1" -v d="${2:-2}" 'BEGIN { if (x == "-" || x == "") print "-"; else printf "%.*f\n", d, x }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2f\n", a / b }'; }

declare -A WALL CPU RSS STATUS TIMED_OUT DONE
# run_once KEY N LABEL I PREP CMD...: run I of KEY, timed and appended to
# its raw file; PREP is a shell snippet run before it (not timed). A
# timeout or a failure ends KEY: STATUS says why, and a timeout skips the
# larger N of that command (unless --no-skip).
run_once() {
	local key=$1 n=$2 label=$3 i=$4 prep=$5; shift 5
	local raw="$BENCH_DIR/raw-$key.txt" rc tf=$BENCH_DIR/time.out ef=$BENCH_DIR/stderr-$key.txt
	[ "${STATUS[$key]}" = ok ] || return
	if [ "$SKIP" = 1 ] && [ -n "${TIMED_OUT[$label]:-}" ] && [ "$n" -gt "${TIMED_OUT[$label]}" ]; then
		STATUS[$key]="skipped: timed out at N=${TIMED_OUT[$label]}"
		log "   $label N=$n: skipped (timed out at N=${TIMED_OUT[$label]})"
		return
	fi
	[ -n "$prep" ] && eval "$prep"
	rm -f "$tf"
	timeout -k 10 "$TIMEOUT" /usr/bin/time -f '%e %M %U %S' -o "$tf" "$@" >/dev/null 2>"$ef"
	rc=$?
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		STATUS[$key]="timeout (> ${TIMEOUT} s)"
		TIMED_OUT[$label]=$n
		log "   $label N=$n run $i: TIMEOUT after ${TIMEOUT} s"
	elif [ "$rc" != 0 ]; then
		# A failed run measures nothing: report it and keep its stderr.
		if [ "$rc" -gt 128 ]; then
			STATUS[$key]="CRASHED (signal $((rc - 128))): $(grep -m1 -E 'terminated by signal' "$tf" 2>/dev/null)"
		else
			STATUS[$key]="failed, exit $rc: $(grep -m1 -E 'error' "$ef" | cut -c1-140)"
		fi
		cp "$ef" "$BENCH_DIR/failed-$key.txt"
		log "   $label N=$n run $i: exit $rc; first lines of stderr ($BENCH_DIR/failed-$key.txt):"
		head -5 "$ef" >&2
	else
		tail -1 "$tf" >>"$raw"
		DONE[$key]=$((DONE[$key] + 1))
		log "   $label N=$n run $i: $(tail -1 "$tf") (wall s, max RSS KB, user s, sys s)"
	fi
}

# The medians of KEY's runs into WALL/CPU/RSS, when it ended well.
summarize() {
	local key=$1 raw="$BENCH_DIR/raw-$1.txt"
	[ "${STATUS[$key]}" = ok ] && [ "${DONE[$key]}" -gt 0 ] || return
	WALL[$key]=$(awk '{print $1}' "$raw" | median)
	CPU[$key]=$(awk '{print $3 + $4}' "$raw" | median)
	RSS[$key]=$(awk '{print $2 / 1024}' "$raw" | median)
}

runs_at() {
	if [ -n "$RUNS" ]; then echo "$RUNS"; elif [ "$QUICK" = 1 ]; then echo 1;
	elif [ "$1" -ge 50000 ]; then echo 3; else echo 5; fi
}

# measure CMD LABEL PREP ARGS...: CMD at every N, in rounds: each round
# runs every N once before the next round begins. Timed one N after
# another, the 50k/10k ratio measured this VM's drift in speed as much as
# vendorc. In PREP and ARGS, @DIR@ stands for the project's directory.
measure() {
	local cmd=$1 label=$2 prep=$3; shift 3
	local most=0 n i
	for n in $SIZES; do
		STATUS[$cmd-$n]=ok; DONE[$cmd-$n]=0; : >"$BENCH_DIR/raw-$cmd-$n.txt"
		[ "$(runs_at "$n")" -gt "$most" ] && most=$(runs_at "$n")
	done
	for i in $(seq 1 "$most"); do
		for n in $SIZES; do
			[ "$i" -le "$(runs_at "$n")" ] || continue
			local dir=$BENCH_DIR/n$n
			run_once "$cmd-$n" "$n" "$label" "$i" "${prep//@DIR@/$dir}" "${@//@DIR@/$dir}"
		done
	done
	for n in $SIZES; do summarize "$cmd-$n"; done
}

machine_cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
machine_mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
log "== vendorc: $rev; $(nproc) CPUs ($machine_cpu), $machine_mem; load average $load_start"

declare -A INFO
for n in $SIZES; do
	dir=$BENCH_DIR/n$n
	log "== N=$n: generating $dir"
	[ -d "$dir" ] && mv "$dir" "$TRASH/old-n$n"
	INFO[$n]=$(python3 "$here/gen.py" "$n" "$dir" --seed "$SEED" --isolate-style "$ISTYLE") \
		|| { log "run.sh: gen.py failed"; exit 3; }
	[ "$ENFORCE" = namespace ] || printf 'enforce: %s\n' "$ENFORCE" >> "$dir/vendorc.yaml"
	[ "$BACKEND" = networkpolicy ] || printf 'backend: %s\n' "$BACKEND" >> "$dir/vendorc.yaml"
	if [ "$CLUSTERS" -gt 0 ]; then
		printf 'clusters:\n' >> "$dir/vendorc.yaml"
		for k in $(seq 1 "$CLUSTERS"); do
			env=prod; [ "$k" = 1 ] && env=staging
			printf '  - name: c%02d\n    labels: {env: %s}\n' "$k" "$env" >> "$dir/vendorc.yaml"
		done
	fi
	log "   ${INFO[$n]}"
done

want compile && measure compile "compile" "fresh_out '@DIR@/out'" \
	"$VENDORC" compile -c @DIR@/vendorc.yaml --now "$NOW"
if want nochange || want kustomize; then
	# the no-change compile and kustomize need an up-to-date output
	for n in $SIZES; do
		dir=$BENCH_DIR/n$n
		[ -f "$dir/out/kustomization.yaml" ] \
			|| timeout "$TIMEOUT" "$VENDORC" compile -c "$dir/vendorc.yaml" --now "$NOW" >/dev/null 2>&1
	done
	sync
fi
want nochange && measure nochange "compile (no change)" "" \
	"$VENDORC" compile -c @DIR@/vendorc.yaml --now "$NOW"
want check && measure check "check" "" "$VENDORC" check -c @DIR@/vendorc.yaml --now "$NOW"
want report && measure report "report" "" "$VENDORC" report -c @DIR@/vendorc.yaml --now "$NOW" \
	-o @DIR@/report.html
if want kustomize && [[ " $SIZES " == *" 1000 "* ]]; then
	if command -v kubectl >/dev/null && [ -f "$BENCH_DIR/n1000/out/kustomization.yaml" ]; then
		SIZES=1000 measure kustomize "kubectl kustomize" "" kubectl kustomize @DIR@/out
	else
		KUSTOMIZE_NOTE="kubectl kustomize: skipped ($(command -v kubectl >/dev/null && echo 'no compile output' || echo 'kubectl not installed'))"
	fi
fi

ROWS=()
PROJ_INFO=()
for n in $SIZES; do
	dir=$BENCH_DIR/n$n
	for c in compile nochange check kustomize report; do
		[ -n "${STATUS[$c-$n]:-}" ] || continue
		label=$c; [ "$c" = nochange ] && label="compile (no change)"; [ "$c" = kustomize ] && label="kubectl kustomize"
		[ "$c" = report ] && [ -f "$dir/report.html" ] && label="report ($(du -m "$dir/report.html" | cut -f1) MB HTML)"
		ROWS+=("$c-$n|$n|$label|${DONE[$c-$n]}")
	done
	if [ -d "$dir/out" ]; then
		objects=$(cat "$dir"/out/*.yaml | grep -E '^kind: (NetworkPolicy|ClusterNetworkPolicy|CiliumNetworkPolicy)$' \
			| sort | uniq -c | awk '{printf "%s%s %s", (NR > 1 ? ", " : ""), $1, $3}')
		PROJ_INFO+=("| $n | ${INFO[$n]} | $(find "$dir/out" -type f | wc -l) files, $(du -sm "$dir/out" | cut -f1) MB; $objects |")
	else
		PROJ_INFO+=("| $n | ${INFO[$n]} | no output |")
	fi
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- report ----
echo
echo "vendorc: $rev, release build; $(nproc) CPUs ($machine_cpu), $machine_mem;"
echo "load average $load_start at the start, $load_end at the end; --now $NOW, seed $SEED, timeout ${TIMEOUT} s per run; enforce: $ENFORCE; backend: $BACKEND; clusters: $CLUSTERS."
echo
echo "| N vendors | command | runs | median wall (s) | median CPU user+sys (s) | median peak RSS (MiB) | status |"
echo "|---:|---|---:|---:|---:|---:|---|"
for row in "${ROWS[@]}"; do
	IFS='|' read -r key n label done_runs <<<"$row"
	echo "| $n | \`$label\` | $done_runs | $(fmt "${WALL[$key]:-}") | $(fmt "${CPU[$key]:-}") | $(fmt "${RSS[$key]:-}" 0) | ${STATUS[$key]} |"
done
echo
for c in compile nochange check; do
	r=$(ratio "${WALL[$c-50000]:-}" "${WALL[$c-10000]:-}")
	[ "$r" != - ] && echo "- 50k / 10k median wall time, \`${c/nochange/compile (no change)}\`: $r (CPU: $(ratio "${CPU[$c-50000]:-}" "${CPU[$c-10000]:-}"))"
done
if [ -n "${WALL[kustomize-1000]:-}" ]; then
	echo "- N=1000: \`kubectl kustomize\` / \`vendorc compile\` wall time: $(ratio "${WALL[kustomize-1000]}" "${WALL[compile-1000]:-}") (vs the no-change compile: $(ratio "${WALL[kustomize-1000]}" "${WALL[nochange-1000]:-}"))"
fi
[ -n "${KUSTOMIZE_NOTE:-}" ] && echo "- $KUSTOMIZE_NOTE"
if [ -n "${WALL[compile-10000]:-}" ]; then
	echo
	echo "Targets (issue tracker):"
	w=${WALL[compile-10000]}; m=${RSS[compile-10000]}
	echo "- 10,000 vendors compile in under 1 s: $(awk -v x="$w" 'BEGIN{print (x < 1 ? "met" : "NOT met")}') ($(fmt "$w") s wall, $(fmt "${CPU[compile-10000]}") s CPU; no-change compile $(fmt "${WALL[nochange-10000]:-}") s)"
	echo "- under 200 MB peak memory: $(awk -v x="$m" 'BEGIN{print (x * 1.048576 < 200 ? "met" : "NOT met")}') ($(fmt "$m" 0) MiB = $(awk -v x="$m" 'BEGIN{printf "%.0f", x * 1.048576}') MB)"
	r=$(ratio "${WALL[compile-50000]:-}" "$w")
	if [ "$r" != - ]; then
		echo "- 50,000 under 6x the 10,000 time: $(awk -v x="$r" 'BEGIN{print (x < 6 ? "met" : "NOT met")}') (${r}x)"
	elif [[ " $SIZES " == *" 50000 "* ]]; then
		echo "- 50,000 under 6x the 10,000 time: unknown (50,000: ${STATUS[compile-50000]:-not run})"
	fi
fi
echo
echo "| N | generated project | compile output |"
echo "|---:|---|---|"
printf '%s\n' "${PROJ_INFO[@]}"
