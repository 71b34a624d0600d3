#!/usr/bin/env bash
# bench/certificates.sh: issue 10's figure through the real programs: an
# event of N winners (30,000 by default: every contestant gets a prize) is
# imported, locked, published and finalized (contestd signs and stores N
# certificates in one transaction), then `judge-cli certificates EVENT --out
# DIR` writes N A4 SVGs, N QR code PNGs and awards.csv, RUNS times (default
# 3). Prints each run, the median and the ratio to the target (30,000
# certificates, SVG + PNG, in under 30 s on the two-core machine). A
# benchmark, not a test: it fails only when a program does.
#
#   bench/certificates.sh [N]
#
# Environment: BUILD_DIR (default build), RUNS, TMPDIR, KEEP=1 (keep the
# temporary directory). contestd listens on 127.0.0.1 only and is stopped on
# exit.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-30000}
runs=${RUNS:-3}
build=${BUILD_DIR:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac
contestd=$build/contestd/contestd
cli=$build/judge-cli/judge-cli
die() { echo "bench/certificates.sh: $*" >&2; exit 1; }
[ -x "$contestd" ] && [ -x "$cli" ] || die "build first: cmake --build $build (BUILD_DIR)"
PY=$(command -v /usr/bin/python3 || command -v python3)

T=$(mktemp -d "${TMPDIR:-/tmp}/bench-certificates.XXXXXX")
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
	if [ -n "${KEEP:-}" ]; then echo "kept $T" >&2; else rm -rf "$T"; fi
}
trap cleanup EXIT
export HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" JUDGE_CLI_TOKEN_FILE="$T/token"
unset CONTEST_TOKEN CONTEST_SERVER
mkdir -p "$HOME"

"$contestd" --db "$T/c.db" --listen 127.0.0.1:0 --public-url https://results.example.org \
	--contest-code CITY2026 --contest-name "2026年市职业技能大赛" 2>"$T/contestd.log" &
pid=$!
url=
for _ in $(seq 1 100); do
	url=$(sed -n 's/^contestd: listening on \(http:[^ ]*\).*/\1/p' "$T/contestd.log" | head -n 1)
	[ -n "$url" ] && break
	sleep 0.1
done
[ -n "$url" ] || die "contestd did not start: $(tail -n 5 "$T/contestd.log")"
export CONTEST_SERVER=$url
jc() { timeout 1200 "$cli" "$@"; }
jc login --admin --secret-file "$T/c.db.admin-secret" >/dev/null

# N contestants of one event, every one a winner (ratios 30/30/40), names
# and organizations as varied as bench_certificates.c's, one judge, one
# criterion.
"$PY" - "$T" "$n" <<'PY'
import sys
d, n = sys.argv[1], int(sys.argv[2])
surnames = ["张", "王", "李", "赵", "欧阳", "司马", "陈", "刘", "阿卜杜", "热依木"]
given = ["三", "娜娜", "建国", "晓明", "子涵", "浩然", "·买买提", "雨桐", "思远", "一鸣"]
orgs = ["北京市第一职业技术学院", "上海市城市建设工程学校", "深圳技师学院",
        "新疆维吾尔自治区乌鲁木齐市职业技术学院（新校区）汽车运用与维修专业教研室联合代表队",
        "广州市交通运输职业学校", "中国第一汽车集团有限公司", "杭州市萧山区第三中等职业学校"]
open(d + "/events.csv", "w").write("code,name,award_ratios\nBIG,数控铣,30/30/40\n")
open(d + "/criteria.csv", "w").write("event,module,module_name,module_weight,code,description,max,method\n"
                                     "BIG,A,实操,,A1,零件加工,100,mean\n")
open(d + "/judges.csv", "w").write("code,name,organization,pin,event,role\nJ01,王建国,市质检院,246810,BIG,judge\n")
with open(d + "/contestants.csv", "w") as c, open(d + "/scores.csv", "w") as s:
    c.write("reg_id,name,organization,event\n")
    s.write("event,contestant,criterion,judge,value\n")
    for i in range(n):
        c.write("R%06d,%s%s,%s,BIG\n" % (i, surnames[i % 10], given[i // 10 % 10], orgs[i % 7]))
        s.write("BIG,R%06d,A1,J01,%d.%02d\n" % (i, 60 + i % 40, i % 100))
PY
t0=$(date +%s.%N)
for kind in events criteria contestants judges; do jc import "$kind" "$T/$kind.csv" >/dev/null; done
jc draw BIG >/dev/null
jc import scores "$T/scores.csv" >/dev/null
jc lock BIG >/dev/null
jc publish BIG >/dev/null
t1=$(date +%s.%N)
jc finalize BIG
t2=$(date +%s.%N)
printf 'set-up (import %d contestants and scores, draw, lock, publish): %.1f s\n' "$n" "$(echo "$t1 - $t0" | bc)"
printf 'finalize (%d certificates signed and stored, audited): %.1f s\n' "$n" "$(echo "$t2 - $t1" | bc)"

times=()
# each run into a new directory (deleting the last one first would measure
# the file system reusing freed inodes rather than judge-cli)
for r in $(seq 1 "$runs"); do
	out="$T/out$r"
	s=$(date +%s.%N)
	jc certificates BIG --out "$out" >/dev/null
	e=$(date +%s.%N)
	t=$(echo "$e - $s" | bc)
	files=$(find "$out" -type f | wc -l)
	bytes=$(du -sb "$out" | cut -f1)
	[ "$files" = $((2 * n + 1)) ] || die "run $r wrote $files files, not $((2 * n + 1))"
	printf 'judge-cli certificates, run %d: %.1f s (%d files, %d MB)\n' "$r" "$t" "$files" $((bytes >> 20))
	times+=("$t")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p")
printf 'median of %d: %.1f s for %d certificates (SVG + PNG) on %d processors; ratio to the 30 s target (30,000): %.2f\n' \
	"$runs" "$median" "$n" "$(nproc)" "$(echo "$median / 30 * 30000 / $n" | bc -l)"
