#!/usr/bin/env bash
# `make bench`: the pipeline on generated month-sized data against two baselines measured in the same run.
#
#   BENCH_SCALES="month month10"  data sets (aftersales-datagen presets), default both
#   BENCH_RUNS=3                  runs of each command per scale (the summary shows medians)
#   JOBS=2                        build jobs
#
# Per scale: generates the data once into .build-bench/data/<scale>/ (kept while its arguments and the
# generator are the same). Then per run, the scales in turn: `aftersales daily --date 2026-10-31`,
# `aftersales monthly --month 2026-10` with the four release-1 reports (command `monthly`) and with every
# report (command `receivables`: the receivables report and its statements added), each followed by its baselines — `aftersales-bench raw-scan` over the same input files (read + split
# lines) and `aftersales-bench raw-xlsx` writing as many cells (and string cells) as each workbook the
# run wrote (the dealers' statements included, in one process per core), the workbooks side by side on
# every core like the renderer — and, after `monthly`,
# `aftersales validate` pinned to one core (taskset) for the one-core ingest rate, with its floor on
# the same core: `aftersales-bench byte-floor`, the loader's byte work (reads, sha256s, UTF-8 check,
# scan) without the rows — then `aftersales explain` of three cells (issue 18: at most the monthly run's ingest + 1 s
# each): a part's issue_value in the movement report, a part's margin in profit (a formula over revenue, returns and
# costed cogs) and profit's summary cogs (every SALE and DEALER_RETURN line of the month with its costing step, the
# longest explanation there is) — and, after `monthly` at the month scale only, the peer: bench/peer_pandas.py,
# the same four workbooks and month-end CSVs from the same inputs with pandas and XlsxWriter
# (constant_memory) in the venv `make bench` installs into .build-bench/venv (PEER_PYTHON overrides;
# skipped with a note when it is missing). month10 does not run it: the peer takes ~10× its month time
# there, over 5 minutes a run.
# Prints every run, then the medians and each larger scale's time over the month's in the same run;
# writes out/bench/results.csv.
# A benchmark, not a test: nothing here fails on a slow figure. A run that fails (exit > 1) is reported
# with its reason, the command is not run again on that scale, the rest goes on, and the script exits 1
# at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

SCALES=${BENCH_SCALES:-month month10}
RUNS=${BENCH_RUNS:-3}
JOBS=${JOBS:-2}
SWIFT=${SWIFT:-swift}
MONTH=2026-10
DAY=2026-10-31
SEED=42
WORK=.build-bench
BIN=$WORK/build/release
RESULTS_DIR=out/bench
RESULTS=$WORK/runs.jsonl
PEER_PYTHON=${PEER_PYTHON:-$WORK/venv/bin/python}
PEER_SCALES=month
RELEASE1_REPORTS=parts-movement,reconciliation,profit,quality-feedback

for product in aftersales aftersales-datagen aftersales-bench; do
    "$SWIFT" build -c release -j "$JOBS" --scratch-path "$WORK/build" --product "$product" 2>&1 | tail -1
done

mkdir -p "$RESULTS_DIR" "$WORK/out"
: > "$RESULTS"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo), $(uname -sr); load average $(cut -d' ' -f1-3 /proc/loadavg)"

# Runs COMMAND… under /usr/bin/time into TIMEFILE, its log into $WORK/out/last.log; returns its exit status.
timed() {
    local timefile=$1; shift
    local rc=0
    /usr/bin/time -f '%e %M %U %S' -o "$timefile" "$@" 2> "$WORK/out/last.log" || rc=$?
    return "$rc"
}
failed=()

for scale in $SCALES; do
    data=$WORK/data/$scale
    args="--preset $scale --month $MONTH --seed $SEED"
    # Generated anew when the generator changed too (its binary's digest): new kinds, new columns.
    stamp="$args $(sha256sum "$BIN/aftersales-datagen" | cut -c1-16)"
    if [ "$(cat "$data/.bench-args" 2>/dev/null)" != "$stamp" ]; then
        echo "generating $data ($args)…"
        rm -rf "$data"
        # shellcheck disable=SC2086
        "$BIN/aftersales-datagen" --out "$data" $args | tail -1
        echo "$stamp" > "$data/.bench-args"
    fi
    echo "$scale: $(du -sm "$data" | cut -f1) MB of CSV in $data"
done

# The scales take turns within each run, so that the ratio of a run's month10 to its month compares
# minutes close together: this machine's speed drifts by tens of percent within an hour.
for run in $(seq 1 "$RUNS"); do
    for scale in $SCALES; do
        data=$WORK/data/$scale
        out=$WORK/out/$scale
        for command in daily monthly receivables; do
            if [[ " ${failed[*]} " == *" $scale/$command "* ]]; then continue; fi
            # `monthly` writes the four release-1 workbooks the peer writes; `receivables` is the whole month-end
            # set (receivables and its statements added): its wall over monthly's is the receivables' cost.
            case $command in
                daily) period=$DAY; select=(daily --date "$DAY") ;;
                monthly) period=$MONTH; select=(monthly --month "$MONTH" --reports "$RELEASE1_REPORTS") ;;
                receivables) period=$MONTH; select=(monthly --month "$MONTH") ;;
            esac
            # Each run writes a first run of its period: a rerun would keep the last one as previous/ and compare.
            rm -rf "${out:?}/$period"
            rc=0
            timed "$WORK/out/time" "$BIN/aftersales" "${select[@]}" --inputs "$data" --out "$out" || rc=$?
            # Exit 1 is "written, some rows rejected": a result like 0.
            if [ "$rc" -gt 1 ]; then
                failed+=("$scale/$command")
                python3 bench/bench.py failure "$RESULTS" "$scale" "$command" "$run" "$rc" "$WORK/out/last.log"
                continue
            fi
            manifest=$out/$period/manifest.json

            # Baseline (a): the same input bytes, read and split into lines only.
            mapfile -t files < <(python3 bench/bench.py inputs "$manifest" | sed "s|^|$data/|")
            "$BIN/aftersales-bench" raw-scan "${files[@]}" > "$WORK/out/rawscan"

            # Baseline (b): raw libxlsxwriter, as many cells as each workbook of the run (counted once per scale),
            # the workbooks written side by side on every core, largest first, as the renderer does.
            # The dealers' statements (statements/) are workbooks of the run too, written in one process per core.
            cells=$WORK/out/cells-$scale-$command
            [ "$run" -gt 1 ] || python3 bench/bench.py cells "$out/$period"/*.xlsx $(compgen -G "$out/$period/statements/*.xlsx") > "$cells"
            python3 bench/bench.py raw-jobs "$cells" "$(nproc)" "$WORK/out" > "$WORK/out/rawjobs"
            started=$EPOCHREALTIME
            RAW_BIN="$BIN/aftersales-bench" xargs -P "$(nproc)" -L 1 sh -c '"$RAW_BIN" raw-xlsx "$@" > /dev/null' sh < "$WORK/out/rawjobs"
            awk -v from="$started" -v to="$EPOCHREALTIME" 'BEGIN { printf "all %.4f\n", to - from }' > "$WORK/out/rawxlsx"
            rm -rf "$WORK/out"/raw-*.xlsx "$WORK/out"/raw-batch-* "$WORK/out"/batch-*.txt

            # Ingest on one core: `validate` (every input, nothing written) pinned to CPU 0.
            # Baseline (c), on the same core: the byte work ingest cannot skip (both passes' reads and sha256s,
            # the UTF-8 check, the scan into fields), rows ignored.
            onecore=()
            if [ "$command" = monthly ]; then
                timed "$WORK/out/time1" taskset -c 0 "$BIN/aftersales" validate --inputs "$data" > /dev/null || true
                taskset -c 0 "$BIN/aftersales-bench" byte-floor "${files[@]}" > "$WORK/out/bytefloor"
                onecore=("$WORK/out/time1" "$WORK/out/bytefloor")
            fi

            # Explain (issue 18), after `monthly`: three cells, each run timed as a whole (ingest included), printed to /dev/null.
            explain=()
            if [ "$command" = monthly ]; then
                part=$(python3 bench/bench.py first-row "$data" counts)
                for cell in "movement parts-movement/movement $part issue_value" "part-margin profit/by_part ${part#*,} margin_pct" \
                            "summary-cogs profit/summary cogs value"; do
                    read -r name table key column <<< "$cell"
                    erc=0
                    timed "$WORK/out/time-explain-$name" "$BIN/aftersales" explain --month "$MONTH" --table "$table" --key "$key" \
                        --column "$column" --inputs "$data" --out "$out" > /dev/null || erc=$?
                    [ "$erc" -eq 0 ] || echo "  explain $table $key $column: exit $erc (see $WORK/out/last.log)"
                    explain+=("--explain-$name=$WORK/out/time-explain-$name")
                done
            fi

            # The peer (issue 15): pandas + XlsxWriter writing the same workbooks from the same inputs.
            peer=()
            if [ "$command" = monthly ] && [[ " $PEER_SCALES " == *" $scale "* ]] && [[ " ${failed[*]} " != *" $scale/peer "* ]]; then
                if [ ! -x "$PEER_PYTHON" ]; then
                    [ "$run" -gt 1 ] || echo "  (no peer: $PEER_PYTHON is missing; \`make bench\` installs it)"
                else
                    peer_out=$WORK/out/peer-$scale
                    rm -rf "$peer_out"
                    prc=0
                    timed "$WORK/out/time-peer" "$PEER_PYTHON" bench/peer_pandas.py --inputs "$data" --out "$peer_out" \
                        --month "$MONTH" || prc=$?
                    if [ "$prc" -ne 0 ]; then
                        failed+=("$scale/peer")
                        python3 bench/bench.py failure "$RESULTS" "$scale" peer "$run" "$prc" "$WORK/out/last.log"
                    else
                        peer_cells=$WORK/out/cells-$scale-peer
                        [ -s "$peer_cells" ] && [ "$run" -gt 1 ] || python3 bench/bench.py cells "$peer_out/$period"/*.xlsx > "$peer_cells"
                        peer=("--peer=$WORK/out/time-peer" "--peer-cells=$peer_cells" "--peer-log=$WORK/out/last.log")
                    fi
                fi
            fi

            python3 bench/bench.py record "$RESULTS" "$scale" "$command" "$run" "$manifest" "$WORK/out/time" \
                "$WORK/out/rawscan" "$WORK/out/rawxlsx" "$cells" "${onecore[@]}" "${peer[@]}" "${explain[@]}"
        done
    done
done

python3 bench/bench.py summary "$RESULTS" "$RESULTS_DIR/results.csv"
[ ${#failed[@]} -eq 0 ] || { echo "bench: failed: ${failed[*]}" >&2; exit 1; }
