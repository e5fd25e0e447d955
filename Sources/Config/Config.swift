import Core
import TOMLKit

/// The run configuration (SPEC §7). Every key is optional; an unknown key is an error,
/// so a typo never silently changes a figure.
public struct Config: Sendable, Equatable {
    public var company = ""
    public var costing = CostingMethod.monthlyAverage
    public var oldPartsWarehouse = "OLD"
    public var timezone = "Asia/Shanghai"
    public var locale = "zh-CN"
    public var tolerance = Tolerance()
    public var inputs: [InputKind: InputOptions] = [:]
    /// `[delivery]` (SPEC §8.5, §8.7): nil when the config has none, and then nothing is mailed.
    public var delivery: DeliveryConfig?
    /// `[warehouses]` (SPEC §8.7): warehouse code → the name workbooks show; CSV files keep the codes.
    public var warehouses: [String: String] = [:]
    /// `[receivables]` (SPEC §8.4, §8.7).
    public var receivables = ReceivablesConfig()

    public init() {}

    /// The reading options of one input kind (defaults when the config has no table for it).
    public func options(for kind: InputKind) -> InputOptions { inputs[kind] ?? InputOptions() }
}

public enum CostingMethod: String, Sendable, CaseIterable {
    case monthlyAverage = "monthly-average"
    case movingAverage = "moving-average"
    case fifo
}

/// `[receivables]`: the terms the dealers master leaves open, and the smallest overdue balance dunned.
public struct ReceivablesConfig: Sendable, Equatable {
    /// Days from invoice to due date for a dealer whose master row has no credit_days.
    public var creditDays: Int64 = 30
    /// An overdue balance below this is not dunned.
    public var dunningMinAmount = Money(cents: 1)
    public init() {}
}

/// Stock-count tolerances (SPEC §4.3): a variance is `ok` within them, else `investigate`.
public struct Tolerance: Sendable, Equatable {
    public var qtyAbs = Quantity.zero
    public var qtyPct = ExactDecimal.zero
    public var valueAbs = Money.zero
    public init() {}
}

public enum TextEncodingChoice: String, Sendable {
    case auto, utf8 = "utf-8", gb18030
}

/// How to read the files of one kind (SPEC §2.1): the way an export of another ERP is read unedited.
public struct InputOptions: Sendable, Equatable {
    public var encoding = TextEncodingChoice.auto
    public var delimiter = UInt8(ascii: ",")
    /// `.` or `,`; with `,` the thousands separator is `.`.
    public var decimalMark = UInt8(ascii: ".")
    /// An explicit strftime-like pattern (`%d/%m/%Y`); nil = the forms of §2.1.
    public var dateFormat: String?
    /// canonical id → header text in the file.
    public var columns: [String: String] = [:]
    /// canonical id → constant for a column the file lacks.
    public var defaults: [String: String] = [:]
    public init() {}
}

/// A config problem: exit code 2, with the key and what was expected.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension Config {
    /// Parses the TOML text of a config file. `source` names the file in messages.
    public static func parse(_ text: String, source: String) throws(ConfigError) -> Config {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw ConfigError("\(source): \(error.description) (line \(error.source.begin.line), column \(error.source.begin.column))")
        } catch { throw ConfigError("\(source): \(error)") }

        var config = Config()
        let reader = TableReader(source: source)
        for key in table.keys.sorted() {
            let value = table[key]!
            switch key {
            case "company": config.company = try reader.string(value, key)
            case "costing":
                let name = try reader.string(value, key)
                guard let method = CostingMethod(rawValue: name) else {
                    throw ConfigError("\(source): costing = \"\(name)\" is not one of monthly-average, moving-average, fifo")
                }
                config.costing = method
            case "old_parts_warehouse": config.oldPartsWarehouse = try reader.string(value, key)
            case "timezone": config.timezone = try reader.string(value, key)
            case "locale":
                let locale = try reader.string(value, key)
                guard ["zh-CN", "en"].contains(locale) else {
                    throw ConfigError("\(source): locale = \"\(locale)\" is not one of zh-CN, en")
                }
                config.locale = locale
            case "tolerance": config.tolerance = try reader.tolerance(value)
            case "inputs":
                let inputs = try reader.table(value, key)
                for kindName in inputs.keys.sorted() {
                    guard let kind = InputKind(rawValue: kindName) else {
                        throw ConfigError("\(source): unknown key inputs.\(kindName) (input kinds: \(InputKind.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    config.inputs[kind] = try reader.inputOptions(inputs[kindName]!, "inputs.\(kindName)", kind: kind)
                }
            case "delivery": config.delivery = try DeliveryConfig.parse(value, source: source)
            case "warehouses":
                let names = try reader.table(value, key)
                for code in names.keys { config.warehouses[code] = try reader.string(names[code]!, "warehouses.\(code)") }
            case "receivables": config.receivables = try reader.receivables(value)
            default: throw ConfigError("\(source): unknown key \(key)")
            }
        }
        return config
    }
}

/// Typed access to TOML values with messages that name the key.
private struct TableReader {
    let source: String

    func string(_ value: TOMLValueConvertible, _ key: String) throws(ConfigError) -> String {
        guard let s = value.string else { throw ConfigError("\(source): \(key) must be a string, found \(value.type)") }
        return s
    }

    func table(_ value: TOMLValueConvertible, _ key: String) throws(ConfigError) -> TOMLTable {
        guard let t = value.table else { throw ConfigError("\(source): \(key) must be a table, found \(value.type)") }
        return t
    }

    /// A decimal written as a TOML integer, float or string, read exactly.
    func decimal(_ value: TOMLValueConvertible, _ key: String) throws(ConfigError) -> ExactDecimal {
        let text: String
        switch value.type {
        case .int, .double: text = value.debugDescription   // a float's shortest round-trip text, e.g. "0.5"
        case .string: text = value.string!
        default: throw ConfigError("\(source): \(key) must be a number, found \(value.type)")
        }
        guard let d = ExactDecimal(plain: text), d.mantissa >= 0 else {
            throw ConfigError("\(source): \(key) = \(text) is not a non-negative decimal number")
        }
        return d
    }

    func tolerance(_ value: TOMLValueConvertible) throws(ConfigError) -> Tolerance {
        var tolerance = Tolerance()
        let table = try table(value, "tolerance")
        for key in table.keys.sorted() {
            let full = "tolerance.\(key)"
            guard ["qty_abs", "qty_pct", "value_abs"].contains(key) else { throw ConfigError("\(source): unknown key \(full)") }
            let d = try decimal(table[key]!, full)
            // Bounded so that the tolerance checks stay exact: percentages up to 100, amounts and
            // quantities up to the largest number read from a file.
            let isPercent = key == "qty_pct"
            guard d.scale <= 6, isPercent ? d.mantissa <= 100 * pow10(d.scale) : ExactRange.admits(d.mantissa, scale: d.scale) else {
                throw ConfigError("\(source): \(full) = \(d) must be at most \(isPercent ? 100 : ExactRange.largestReadNumber) with at most 6 decimals")
            }
            switch key {
            case "qty_abs":
                guard let milli = d.exactly(places: 3) else { throw ConfigError("\(source): \(full) has more than 3 decimals") }
                tolerance.qtyAbs = Quantity(milli: Int64(milli))
            case "qty_pct": tolerance.qtyPct = d
            case "value_abs":
                guard let cents = d.exactly(places: 2) else { throw ConfigError("\(source): \(full) has more than 2 decimals") }
                tolerance.valueAbs = Money(cents: Int64(cents))
            default: throw ConfigError("\(source): unknown key \(full)")
            }
        }
        return tolerance
    }

    func receivables(_ value: TOMLValueConvertible) throws(ConfigError) -> ReceivablesConfig {
        var receivables = ReceivablesConfig()
        let table = try table(value, "receivables")
        for key in table.keys.sorted() {
            let full = "receivables.\(key)", value = table[key]!
            switch key {
            case "credit_days":
                // A century of days keeps every due date a real date.
                guard let days = value.int, (0...36_500).contains(days) else {
                    throw ConfigError("\(source): \(full) must be a whole number of days from 0 to 36500, found \(value.debugDescription)")
                }
                receivables.creditDays = Int64(days)
            case "dunning_min_amount":
                let d = try decimal(value, full)
                guard ExactRange.admits(d.mantissa, scale: d.scale), let cents = d.exactly(places: 2) else {
                    throw ConfigError("\(source): \(full) = \(d) must be an amount of at most \(ExactRange.largestReadNumber) with at most 2 decimals")
                }
                receivables.dunningMinAmount = Money(cents: Int64(cents))
            default: throw ConfigError("\(source): unknown key \(full)")
            }
        }
        return receivables
    }

    func inputOptions(_ value: TOMLValueConvertible, _ prefix: String, kind: InputKind) throws(ConfigError) -> InputOptions {
        var options = InputOptions()
        let table = try table(value, prefix)
        for key in table.keys.sorted() {
            let full = "\(prefix).\(key)"
            let value = table[key]!
            switch key {
            case "encoding":
                let name = try string(value, full)
                guard let choice = TextEncodingChoice(rawValue: name.lowercased()) else {
                    throw ConfigError("\(source): \(full) = \"\(name)\" is not one of auto, utf-8, gb18030")
                }
                options.encoding = choice
            case "delimiter":
                let text = try string(value, full)
                guard text.utf8.count == 1, let byte = text.utf8.first, byte != UInt8(ascii: "\""),
                      byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "\r") else {
                    throw ConfigError("\(source): \(full) must be one ASCII character such as \",\", \";\" or \"\\t\"")
                }
                options.delimiter = byte
            case "decimal_mark":
                let text = try string(value, full)
                guard text == "." || text == "," else { throw ConfigError("\(source): \(full) must be \".\" or \",\"") }
                options.decimalMark = text.utf8.first!
            case "date_format":
                let text = try string(value, full)
                guard text.isEmpty || isReadableDatePattern(text) else {
                    throw ConfigError("\(source): \(full) = \"\(text)\" must use %Y, %m and %d once each (and %% for a percent sign), e.g. \"%d/%m/%Y\"")
                }
                options.dateFormat = text.isEmpty ? nil : text
            case "columns", "defaults":
                var map: [String: String] = [:]
                let entries = try self.table(value, full)
                for id in entries.keys.sorted() {
                    guard kind.columnIds.contains(id) else {
                        throw ConfigError("\(source): unknown key \(full).\(id) (the columns of \(kind.rawValue): \(kind.columnIds.joined(separator: ", ")))")
                    }
                    map[id] = try string(entries[id]!, "\(full).\(id)")
                }
                if key == "columns" { options.columns = map } else { options.defaults = map }
            default: throw ConfigError("\(source): unknown key \(full)")
            }
        }
        return options
    }
}

/// Whether an explicit date pattern is one Ingest's `DatePattern` reads: `%Y`, `%m` and `%d`
/// exactly once each, `%%`, and literal text.
private func isReadableDatePattern(_ text: String) -> Bool {
    var counts: [Character: Int] = [:]
    var chars = Substring(text)
    while let c = chars.popFirst() {
        guard c == "%" else { continue }
        guard let directive = chars.popFirst(), "Ymd%".contains(directive) else { return false }
        if directive != "%" { counts[directive, default: 0] += 1 }
    }
    return counts == ["Y": 1, "m": 1, "d": 1]
}
