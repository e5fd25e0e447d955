#!/bin/sh
# Runs each fuzz target for FUZZ_SECONDS seconds (default 60) on one core (-jobs=1 -workers=1)
# and prints its executions, coverage and whether it crashed. New inputs go to the git-ignored
# $FUZZ_BUILD/corpus/<target>/ (the committed seeds in Fuzz/corpus/<target>/ are only read);
# a crash or invariant failure leaves the input in $FUZZ_BUILD/artifacts/<target>/.
# Usage: Fuzz/run.sh [target…]   (default: csv decode fields loader stages). Exit 1 if any target failed.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
OUT=${FUZZ_BUILD:-.build-fuzz}
case $OUT in /*) ;; *) OUT="$ROOT/$OUT" ;; esac
SECONDS_PER_TARGET=${FUZZ_SECONDS:-60}
TARGETS=${*:-csv decode fields loader stages}
failed=""
printf '%-7s %12s %9s %7s %7s %7s  %s\n' target executions exec/s cov ft corpus result
for t in $TARGETS; do
    work="$OUT/run/$t"
    # TMPDIR: the loader and stages targets' input folders; a crashed run leaves its folder there.
    rm -rf "$work"
    mkdir -p "$work/tmp" "$OUT/corpus/$t" "$OUT/artifacts/$t"
    # First the committed seeds, each once and whole: fuzzing cuts inputs to -max_len=4096 (the
    # stages target's many-orders overflow seed is 585 KB, and mutating it would cost ~1 s a run).
    # A seed that fails stops here: fuzzing would only stop at it again.
    log="$work/seeds.log"
    if ! ( cd "$work" && TMPDIR="$work/tmp" SWIFT_BACKTRACE=enable=no "$OUT/fuzz-$t" \
           -artifact_prefix="$OUT/artifacts/$t/" "$ROOT/Fuzz/corpus/$t"/* ) >"$log" 2>&1; then
        printf '%-7s %12s %9s %7s %7s %7s  %s\n' "$t" - - - - - "FAILED on a committed seed (see $log)"
        failed="$failed $t"
        continue
    fi
    # libFuzzer with -jobs writes the job's output to fuzz-0.log in the working directory.
    ( cd "$work" && TMPDIR="$work/tmp" SWIFT_BACKTRACE=enable=no "$OUT/fuzz-$t" -jobs=1 -workers=1 \
        -max_total_time="$SECONDS_PER_TARGET" -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -dict="$ROOT/Fuzz/fuzz.dict" -artifact_prefix="$OUT/artifacts/$t/" \
        "$OUT/corpus/$t" "$ROOT/Fuzz/corpus/$t" ) >"$work/driver.log" 2>&1 && rc=0 || rc=$?
    log="$work/fuzz-0.log"
    last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
    corp=$(echo "$last" | sed -n 's/.* corp: \([0-9]*\)\/.*/\1/p')
    if [ "$rc" -eq 0 ] && ! grep -qE '^==[0-9]+==ERROR|FUZZ INVARIANT FAILED|deadly signal' "$log"; then
        result=ok
    else
        result="FAILED (see $log and $OUT/artifacts/$t/)"
        failed="$failed $t"
    fi
    printf '%-7s %12s %9s %7s %7s %7s  %s\n' "$t" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result"
done
if [ -n "$failed" ]; then
    echo "fuzz: failed:$failed" >&2
    for t in $failed; do
        echo "--- $t:" >&2
        log="$OUT/run/$t/fuzz-0.log"
        [ -f "$log" ] || { log="$OUT/run/$t/seeds.log"; grep '^Running:' "$log" | tail -1 >&2; }
        grep -m1 -E 'FUZZ INVARIANT FAILED|ERROR:' "$log" >&2 || true
        grep -E 'Swift runtime failure|/Sources/' "$log" | head -4 >&2 || true
        ls "$OUT/artifacts/$t/" >&2
    done
    exit 1
fi
