import ArgumentParser

extension Preset: ExpressibleByArgument {}

@main
struct AftersalesDatagen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "aftersales-datagen",
        abstract: "Writes one realistic month of after-sales ERP exports (CSV) for aftersales.",
        discussion: """
            demo: ~120 parts, 25 dealers, ~1,200 order lines, ~1,500 movements, ~300 repair lines, \
            ~130 payment lines and ~550 open receivables a month, with a handful of deliberate bad rows \
            listed in README.md.
            month: ~20k parts, 500 dealers, 200k order lines, ~300k movements, 50k repair lines, \
            ~20k payment lines, ~100k open receivables (benchmark, no bad rows). month10: ten times that.
            Same arguments give byte-identical files.
            """)

    @Option(help: "Output directory (created if missing).")
    var out: String

    @Option(help: "demo | month | month10")
    var preset: Preset = .demo

    @Option(help: "Report month, YYYY-MM.")
    var month: String = "2026-10"

    @Option(help: "Random seed.")
    var seed: UInt64 = 42

    mutating func run() throws {
        guard let m = Month(month) else {
            throw ValidationError("--month must be YYYY-MM, got \(month)")
        }
        let g = Generator(preset: preset, month: m, seed: seed)
        g.generate()
        let stats = try g.write(to: out)
        try g.writeReadme(to: out, stats: stats, command: commandLine(m))
        var total = 0
        for s in stats {
            print("\(s.name)\t\(s.rows) rows")
            total += s.bytes
        }
        print("\(stats.count) files, \(total) bytes in \(out)")
    }

    func commandLine(_ m: Month) -> String {
        "aftersales-datagen --out \(out) --preset \(preset.rawValue) --month \(m.text) --seed \(seed)"
    }
}
