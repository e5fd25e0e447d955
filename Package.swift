// swift-tools-version: 6.0
import PackageDescription

// The pipeline's stages, each a library: ingest → ledger → reconcile → reports → render → pipeline.
// The executable `aftersales` is only the command line over `Pipeline`.
let package = Package(
    name: "aftersales",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "aftersales", targets: ["aftersales"]),
        .executable(name: "aftersales-datagen", targets: ["aftersales-datagen"]),
        .executable(name: "aftersales-bench", targets: ["aftersales-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // libxlsxwriter (Debian's libxlsxwriter-dev) and its one safe Swift wrapper.
        .systemLibrary(name: "CXLSXWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        .target(name: "XLSX", dependencies: ["CXLSXWriter", "CDeflateLevel", "CCellPrinting"]),
        // zlib's deflateInit2_ in front of the real one: libxlsxwriter's parts deflated at level 2, not its fixed 6.
        .target(name: "CDeflateLevel"),
        // snprintf and __fprintf_chk in front of glibc's: libxlsxwriter's per-cell printf of a row and a number written directly.
        .target(name: "CCellPrinting"),
        // libcurl (Debian's libcurl4-openssl-dev): SMTP and MIME for the delivery, wrapped once in Delivery.
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),

        // A software prefetch for the hash-table probes (C: Swift cannot spell it).
        .target(name: "CPrefetch"),
        // Exact decimals, dates and months, the input kinds and the hash tables shared by every stage.
        .target(name: "Core", dependencies: ["CPrefetch"]),
        // Streaming RFC 4180 scanner over bytes.
        .target(name: "CSV"),
        // The TOML run configuration (SPEC §7).
        .target(name: "Config", dependencies: ["Core", .product(name: "TOMLKit", package: "TOMLKit")]),
        // bytes → typed rows, with every rejected or warned row accounted for.
        .target(name: "Ingest", dependencies: ["Core", "CSV", "Config", .product(name: "Crypto", package: "swift-crypto")],
                // The row path's state lives in classes; dynamic exclusivity checks on it cost ~6 % of ingest.
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
        .target(name: "Ledger", dependencies: ["Core", "Ingest", "Config"]),
        .target(name: "Reconcile", dependencies: ["Core", "Ingest", "Ledger", "Config"]),
        .target(name: "Reports", dependencies: ["Core", "Ingest", "Ledger", "Reconcile"]),
        .target(name: "Render", dependencies: ["Core", "Reports", "XLSX", .product(name: "TOMLKit", package: "TOMLKit")]),
        // Mails a complete period folder (SPEC §8.5): messages, deliveries.json, the send loop, SMTP via libcurl.
        .target(name: "Delivery", dependencies: [
            "Core", "Config", "CCurl", .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"), .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        .target(name: "Pipeline", dependencies: [
            "Core", "Config", "CSV", "Ingest", "Ledger", "Reconcile", "Reports", "Render", "Delivery",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "aftersales", dependencies: [
            "Core", "Pipeline", "Render", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // Writes the demo month in inputs/ and the larger benchmark data sets.
        .executableTarget(name: "aftersales-datagen", dependencies: [
            "Core", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // The baselines of `make bench`: a raw line scan of the inputs, the loader's byte work without
        // the rows, and raw libxlsxwriter cells.
        // Its raw libxlsxwriter deflates and prints cells as the renderer does (CDeflateLevel, CCellPrinting), to compare like with like.
        .executableTarget(name: "aftersales-bench", dependencies: [
            "CXLSXWriter", "CDeflateLevel", "CCellPrinting", "Config", "CSV", "Ingest", .product(name: "Crypto", package: "swift-crypto"),
        ]),

        // Reads a written workbook back (unzip + XML) for the tests of Render, Pipeline and the binary; the
        // loopback SMTP server (aiosmtpd) of the delivery's tests and the binary's.
        .target(name: "TestSupport", path: "Tests/TestSupport", exclude: ["smtp_server.py"]),
        .testTarget(name: "CoreTests", dependencies: ["Core"]),
        .testTarget(name: "CSVTests", dependencies: ["CSV", "TestSupport"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "Core"]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "Core", "Config"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", "Core", "Ingest", "Config", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "ReconcileTests", dependencies: ["Reconcile", "Ledger", "Ingest", "Core", "Config"]),
        .testTarget(name: "XLSXTests", dependencies: ["XLSX", "TestSupport"]),
        .testTarget(name: "ReportsTests", dependencies: ["Reports", "Ingest", "Ledger", "Core", "TestSupport"]),
        .testTarget(name: "RenderTests", dependencies: ["Render", "Reports", "Ingest", "Core", "TestSupport"]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Ingest", "Reconcile", "Reports", "Render", "Config", "Core", "TestSupport",
                                                    .product(name: "Logging", package: "swift-log")]),
        // Against a real SMTP server (aiosmtpd, Debian python3) on the loopback, started by the tests.
        .testTarget(name: "DeliveryTests", dependencies: ["Delivery", "Config", "Core", "Reports", "TestSupport",
                                                    .product(name: "Crypto", package: "swift-crypto"),
                                                    .product(name: "Logging", package: "swift-log")]),
        // Runs the built `aftersales` binary on fixture folders and reads the XLSX back.
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"], exclude: ["Golden"], resources: [.copy("Fixtures")]),
    ]
)
