#!/bin/sh
# Builds the libFuzzer targets of aftersales into $FUZZ_BUILD (default .build-fuzz/):
#   csv     CSVScanner and CSVRecord                  (swiftc on Sources/CSV)
#   decode  UTF8Validator and GB18030Decoder          (swiftc on Sources/Ingest/TextDecoding.swift)
#   fields  FieldParsers, DatePattern, Core parsers   (swiftc on Sources/Core + Ingest/FieldParsers.swift)
#   loader  Loader.load, the whole row path           (needs Config/TOMLKit and swift-crypto: the package's
#           own modules, built by SwiftPM with the same instrumentation in $FUZZ_BUILD/spm)
#   stages  Ledger, Reconcile and Reports on what the Loader read (SwiftPM as for loader, target Reports)
# Usage: Fuzz/build.sh [target…]   (default: all five)
set -eu
cd "$(dirname "$0")/.."
SWIFTC=${SWIFTC:-swiftc}
SWIFT=${SWIFT:-swift}
OUT=${FUZZ_BUILD:-.build-fuzz}
JOBS=${JOBS:-2}
TARGETS=${*:-csv decode fields loader stages}
# -O keeps Swift's overflow and bounds traps; ASan catches what unsafe pointers get wrong.
FLAGS="-O -g -swift-version 6 -parse-as-library -sanitize=fuzzer,address"
mkdir -p "$OUT/modules"

# A module of the project's sources, compiled directly (instrumented like the harness).
module() {  # name, sources…
    name=$1; shift
    "$SWIFTC" $FLAGS -wmo -module-name "$name" -I "$OUT/modules" -emit-module -emit-module-path "$OUT/modules/$name.swiftmodule" \
        -c "$@" -o "$OUT/modules/$name.o"
}

# The harness: the entry point, the helpers and one target file, compiled without coverage
# instrumentation (only the project's code should guide the fuzzer) and linked with libFuzzer.
harness() {  # target, swift sources…, then objects
    target=$1; shift
    sources=""; objects=""
    for f in "$@"; do case $f in *.swift) sources="$sources $f";; *) objects="$objects $f";; esac; done
    # shellcheck disable=SC2086
    "$SWIFTC" $HARNESS_FLAGS -wmo -module-name "Fuzz_$target" $IMPORT_FLAGS \
        -c Fuzz/FuzzMain.swift Fuzz/Support.swift $sources -o "$OUT/harness-$target.o"
    rm -f "$OUT/fuzz-$target"
    # shellcheck disable=SC2086
    "$SWIFTC" -sanitize=fuzzer,address "$OUT/harness-$target.o" $objects $EXTRA_LINK_FLAGS -o "$OUT/fuzz-$target" \
        2>&1 | grep -v "Cannot export local symbol '__asan" >&2 || true
    test -x "$OUT/fuzz-$target"
}
HARNESS_FLAGS="-O -g -swift-version 6 -parse-as-library -sanitize=address"

# SwiftPM builds the package target $1 and everything it depends on, instrumented, without linking
# anything (one -sanitize=fuzzer,address: with two -sanitize options swiftc keeps only the last).
# Sets $objects (those of Core, CSV, Config, the modules $2… and the packages they use) and
# IMPORT_FLAGS/EXTRA_LINK_FLAGS for the harness (the module maps the interfaces import).
spm() {  # package target, the project's modules beyond Core, CSV and Config that it needs…
    SPM="$OUT/spm"
    "$SWIFT" build -c release -j "$JOBS" --scratch-path "$SPM" --target "$1" \
        -Xswiftc -sanitize=fuzzer,address >&2
    shift
    BIN=$("$SWIFT" build -c release --scratch-path "$SPM" --show-bin-path)
    objects=$(for d in Core CSV Config CPrefetch "$@" TOMLKit CTOML Crypto CryptoBoringWrapper CCryptoBoringSSL CCryptoBoringSSLShims; do
        find "$BIN/$d.build" -name '*.o'; done)
    maps=""
    for m in "$BIN/CTOML.build/module.modulemap" "$BIN/CPrefetch.build/module.modulemap" "$SPM"/checkouts/swift-crypto/Sources/CCryptoBoringSSL/include/module.modulemap \
             "$SPM"/checkouts/swift-crypto/Sources/CCryptoBoringSSLShims/include/module.modulemap; do
        maps="$maps -Xcc -fmodule-map-file=$m"
    done
    IMPORT_FLAGS="-I $BIN/Modules $maps -Xcc -I -Xcc $SPM/checkouts/TOMLKit/Sources/CTOML/include -Xcc -I -Xcc Sources/CPrefetch/include
        -Xcc -I -Xcc $SPM/checkouts/swift-crypto/Sources/CCryptoBoringSSL/include
        -Xcc -I -Xcc $SPM/checkouts/swift-crypto/Sources/CCryptoBoringSSLShims/include"
    EXTRA_LINK_FLAGS="-lstdc++"
}

needs_core=false
for t in $TARGETS; do case $t in csv|decode|fields) needs_core=true;; esac; done
if $needs_core; then
    echo "fuzz: compiling Core, CSV and the parsing half of Ingest"
    module Core Sources/Core/*.swift
    module CSV Sources/CSV/*.swift
    # Only the two Ingest files that need neither Config (TOMLKit) nor swift-crypto, as module Ingest.
    module Ingest Sources/Ingest/TextDecoding.swift Sources/Ingest/FieldParsers.swift
fi

for t in $TARGETS; do
    echo "fuzz: building fuzz-$t"
    IMPORT_FLAGS="-I $OUT/modules"; EXTRA_LINK_FLAGS=""   # `spm` sets its own
    case $t in
    csv)    harness csv Fuzz/CSVReference.swift Fuzz/Targets/CSVTarget.swift "$OUT/modules/CSV.o" ;;
    decode) harness decode Fuzz/Targets/DecodeTarget.swift "$OUT/modules/Ingest.o" "$OUT/modules/Core.o" ;;
    fields) harness fields Fuzz/Targets/FieldsTarget.swift "$OUT/modules/Ingest.o" "$OUT/modules/Core.o" ;;
    loader)
        spm Ingest Ingest
        # shellcheck disable=SC2086
        harness loader Fuzz/CSVReference.swift Fuzz/LoaderInput.swift Fuzz/Targets/LoaderTarget.swift $objects
        ;;
    stages)
        spm Reports Ingest Ledger Reconcile Reports
        # shellcheck disable=SC2086
        harness stages Fuzz/CSVReference.swift Fuzz/LoaderInput.swift Fuzz/Targets/StagesTarget.swift $objects
        ;;
    *) echo "unknown fuzz target $t (csv, decode, fields, loader, stages)" >&2; exit 2 ;;
    esac
done
