#!/usr/bin/env bash
# make torture: SIGKILL `aftersales monthly` at moments spread over all its stages and check that
# every file under its final name is whole (the previous or the new version, byte for byte), that a
# manifest.json in place lists exactly the files beside it, that previous/ is a complete run and the
# old run is never lost (SPEC §8.6), and that the next run sweeps the leftovers, is not held up by the
# dead run's lock and writes the new version.
#
# Environment: TORTURE_KILLS (default 24, each target once), TORTURE_WORK (default a new
# folder under /tmp, removed afterwards unless TORTURE_KEEP=1), JOBS (default 2), SWIFT (default swift).
set -euo pipefail
cd "$(dirname "$0")/../.."

SWIFT=${SWIFT:-swift}
JOBS=${JOBS:-2}
SCRATCH=.build-torture
KILLS=${TORTURE_KILLS:-24}
WORK=${TORTURE_WORK:-$(mktemp -d /tmp/aftersales-torture.XXXXXX)}
mkdir -p "$WORK"
[ "${TORTURE_KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT

echo "torture: building release into $SCRATCH"
"$SWIFT" build -c release -j "$JOBS" --scratch-path "$SCRATCH" --product aftersales
"$SWIFT" build -c release -j "$JOBS" --scratch-path "$SCRATCH" --product aftersales-datagen
BIN="$SCRATCH/release/aftersales"

# Inputs: a cut of the `month` preset (~90 MB, a ~30 s run) so that one monthly run with --csv
# takes about 5 s: v1 = masters + the first lines of the month's orders, movements, opening,
# counts and repairs; v2 = v1 plus one more movements file (the next 3,000 movements).
echo "torture: generating the inputs in $WORK"
GEN="$WORK/gen"
"$SCRATCH/release/aftersales-datagen" --out "$GEN" --preset month --month 2026-10 >/dev/null
V1="$WORK/inputs-v1" V2="$WORK/inputs-v2"
rm -rf "$V1" "$V2"
mkdir -p "$V1"
cp "$GEN/parts.csv" "$GEN/dealers.csv" "$GEN/faults.csv" "$GEN/fleet.csv" "$V1/"
head -n 25001 "$GEN/orders-2026-10.csv" >"$V1/orders-2026-10.csv"
head -n 30001 "$GEN/movements-2026-10.csv" >"$V1/movements-2026-10.csv"
head -n 4001 "$GEN/opening-2026-10.csv" >"$V1/opening-2026-10.csv"
head -n 4001 "$GEN/counts-2026-10.csv" >"$V1/counts-2026-10.csv"
head -n 8001 "$GEN/repairs-2026-10.csv" >"$V1/repairs-2026-10.csv"
head -n 4001 "$GEN/repairs-2026-09.csv" >"$V1/repairs-2026-09.csv"
cp -r "$V1" "$V2"
{ head -n 1 "$GEN/movements-2026-10.csv"; sed -n '30002,33001p' "$GEN/movements-2026-10.csv"; } >"$V2/movements-2026-10-late.csv"
rm -rf "$GEN"

python3 Tests/Torture/torture.py --bin "$BIN" --templates "$PWD/templates" --work "$WORK" \
    --v1 "$V1" --v2 "$V2" --month 2026-10 --kills "$KILLS"
