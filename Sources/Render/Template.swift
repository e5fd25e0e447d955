import Foundation
import Reports
import TOMLKit

/// Labels, titles and number formats of one report in one locale, read from
/// `templates/<locale>/common.toml` and `templates/<locale>/<report>.toml` (the report's
/// entries win). Adding a column to a report means adding its label here, nothing else.
public struct Template: Sendable {
    public struct TableText: Sendable {
        public var sheet: String
        public var title: String
        /// The line an empty sheet shows instead of `no_data` ("无未匹配项").
        public var empty: String? = nil
    }

    /// The report's title (售后配件订单日统计表).
    public var title: String
    /// Words used around the tables: `period`, `totals`, `no_data`, `company`, … (common.toml `[text]`).
    public var text: [String: String]
    /// Sheet name and heading per table id.
    public var tables: [String: TableText]
    /// Column id → header label.
    public var columns: [String: String]
    /// Canonical code → label (metrics, statuses, buckets, issue codes).
    public var codes: [String: String]
    /// Words of the overview sheet (`[overview]`, SPEC §8.2).
    public var overview: [String: String] = [:]
    /// Cell kind → Excel number format (`money`, `qty`, `qty_integer`, `unit_cost`, `percent`, `count`, `date`).
    public var formats: [String: String]
    /// The Data issues sheet's words (`[issues_sheet]`) and each issue code's meaning for a clerk (`[meanings]`).
    public var issuesSheet: [String: String] = [:]
    public var meanings: [String: String] = [:]

    public func column(_ id: String) -> String { columns[id] ?? id }
    public func code(_ code: String) -> String { codes[code] ?? code }
    public func word(_ key: String) -> String { text[key] ?? key }
    public func overviewWord(_ key: String) -> String { overview[key] ?? key }
    public func table(_ id: String) -> TableText { tables[id] ?? TableText(sheet: id, title: id) }

    /// The heading of `table`'s sheet: the variant's label after the title, and the table's `headingValues`
    /// filled in where the title and empty line name them (`{matched}` → "1,234").
    public func heading(of table: Table) -> TableText {
        var heading = self.table(table.id)
        if let variant = table.variant { heading.title += " — \(code(variant))" }
        for (key, value) in table.headingValues {
            heading.title = heading.title.replacingOccurrences(of: "{\(key)}", with: grouped(String(value)))
            heading.empty = heading.empty?.replacingOccurrences(of: "{\(key)}", with: grouped(String(value)))
        }
        return heading
    }

    /// The config's warehouse names (`[warehouses]`, SPEC §8.7) as the labels of the warehouse codes, so a
    /// workbook shows them wherever it shows a warehouse (columns, the movement sheets' names and headings);
    /// a warehouse the config does not name keeps the template's label, else its code.
    public func naming(warehouses names: [String: String]) -> Template {
        var named = self
        named.codes.merge(names) { $1 }
        return named
    }

    /// Loads the templates of `report` for `locale` from `directory` (the `templates/` folder).
    public static func load(directory: String, locale: String, report: ReportID) throws -> Template {
        try load(directory: directory, locale: locale, document: report.rawValue)
    }

    /// Loads common.toml and `<document>.toml` of `locale`: a report's, or `statement` (a dealer's 对账单).
    public static func load(directory: String, locale: String, document: String) throws -> Template {
        let common = try table(at: "\(directory)/\(locale)/common.toml")
        let specific = try table(at: "\(directory)/\(locale)/\(document).toml")
        var template = Template(title: specific["title"]?.string ?? document, text: [:], tables: [:],
                                columns: [:], codes: [:], formats: [:])
        for source in [common, specific] {
            template.text.merge(strings(source["text"]), uniquingKeysWith: { $1 })
            template.columns.merge(strings(source["columns"]), uniquingKeysWith: { $1 })
            template.codes.merge(strings(source["codes"]), uniquingKeysWith: { $1 })
            template.formats.merge(strings(source["formats"]), uniquingKeysWith: { $1 })
            template.overview.merge(strings(source["overview"]), uniquingKeysWith: { $1 })
            template.issuesSheet.merge(strings(source["issues_sheet"]), uniquingKeysWith: { $1 })
            template.meanings.merge(strings(source["meanings"]), uniquingKeysWith: { $1 })
            if let tables = source["tables"]?.table {
                for id in tables.keys {
                    let entry = tables[id]?.table
                    template.tables[id] = TableText(sheet: entry?["sheet"]?.string ?? id, title: entry?["title"]?.string ?? id,
                                                   empty: entry?["empty"]?.string)
                }
            }
        }
        return template
    }

    private static func table(at path: String) throws -> TOMLTable {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw RenderError("template \(path) cannot be read")
        }
        do { return try TOMLTable(string: text) } catch {
            throw RenderError("template \(path): \(error)")
        }
    }

    private static func strings(_ value: TOMLValueConvertible?) -> [String: String] {
        guard let table = value?.table else { return [:] }
        var out: [String: String] = [:]
        for key in table.keys { if let s = table[key]?.string { out[key] = s } }
        return out
    }

    /// Finds the `templates/` folder: next to the executable or one of its parents
    /// (`.build/release/aftersales` in a checkout, `<prefix>/bin` with `<prefix>/share/aftersales/templates`).
    public static func defaultDirectory(executable: String) -> String? {
        var dir = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            for candidate in [dir.appendingPathComponent("templates"), dir.appendingPathComponent("share/aftersales/templates")]
            where FileManager.default.fileExists(atPath: candidate.appendingPathComponent("zh-CN/common.toml").path) {
                return candidate.path
            }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }
}

public struct RenderError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
