import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reads an .xlsx back for assertions: sheet names in tab order, cell values with shared strings
/// resolved, and raw package parts. Parts are extracted with `unzip -p`, so `unzip` must be installed.
public struct XLSXReadBack {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let path: String
    /// Sheet names in tab order.
    public let sheetNames: [String]
    private let sheetParts: [String: String]
    /// Sheet name → cell reference ("B3") → value.
    private let values: [String: [String: String]]

    public init(path: String) throws {
        self.path = path
        let workbook = try Self.parse(Self.unzip(path, "xl/workbook.xml"), "xl/workbook.xml")
        let rels = try Self.parse(Self.unzip(path, "xl/_rels/workbook.xml.rels"), "xl/_rels/workbook.xml.rels")
        var targets: [String: String] = [:]
        for rel in rels.descendants("Relationship") {
            guard let id = rel.attributes["Id"], let target = rel.attributes["Target"] else { continue }
            targets[id] = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        }
        var names: [String] = []
        var parts: [String: String] = [:]
        for sheet in workbook.descendants("sheet") {
            guard let name = sheet.attributes["name"], let id = sheet.attributes["r:id"], let part = targets[id] else {
                throw Failure(description: "\(path): unreadable <sheet> in xl/workbook.xml")
            }
            names.append(name)
            parts[name] = part
        }
        // A workbook without strings has no sharedStrings part.
        var strings: [String] = []
        if let data = try? Self.unzip(path, "xl/sharedStrings.xml") {
            strings = try Self.parse(data, "xl/sharedStrings.xml").descendants("si").map {
                $0.descendants("t").map(\.text).joined()
            }
        }
        var values: [String: [String: String]] = [:]
        for name in names {
            let part = parts[name]!
            var cells: [String: String] = [:]
            for cell in try Self.parse(Self.unzip(path, part), part).descendants("c") {
                guard let ref = cell.attributes["r"] else { continue }
                let v = cell.children.first { $0.name == "v" }?.text
                switch cell.attributes["t"] {
                case "s":
                    guard let index = v.flatMap(Int.init), strings.indices.contains(index) else {
                        throw Failure(description: "\(path): \(name)!\(ref) points at a missing shared string")
                    }
                    cells[ref] = strings[index]
                case "inlineStr":
                    cells[ref] = cell.descendants("t").map(\.text).joined()
                default:
                    cells[ref] = v
                }
            }
            values[name] = cells
        }
        self.sheetNames = names
        self.sheetParts = parts
        self.values = values
    }

    /// The value of a cell, e.g. `cell(sheet: "汇总", "B3")`: strings resolved, numbers exactly as written
    /// in the XML (`1234567.89`), booleans `1`/`0`, formulas their cached value. Nil for an empty or
    /// missing cell or sheet.
    public func cell(sheet: String, _ reference: String) -> String? {
        values[sheet]?[reference]
    }

    /// The cell as a number, for comparing with a literal: libxlsxwriter 1.1.4 writes 16 significant
    /// digits, so 66.6 appears in the XML as `66.59999999999999` yet reads back as the Double 66.6.
    public func number(sheet: String, _ reference: String) -> Double? {
        cell(sheet: sheet, reference).flatMap(Double.init)
    }

    /// Rows 1…last of the sheet, each from column A up to its last non-empty cell; gaps are "".
    public func rows(sheet: String) -> [[String]] {
        var grid: [Int: [Int: String]] = [:]
        for (reference, value) in values[sheet] ?? [:] {
            let (row, col) = Self.position(reference)
            grid[row, default: [:]][col] = value
        }
        guard let lastRow = grid.keys.max() else { return [] }
        return (0...lastRow).map { row in
            guard let cells = grid[row], let lastCol = cells.keys.max() else { return [] }
            return (0...lastCol).map { cells[$0] ?? "" }
        }
    }

    /// A package part as text, e.g. `xml(of: "xl/charts/chart1.xml")`.
    public func xml(of part: String) throws -> String {
        String(decoding: try Self.unzip(path, part), as: UTF8.self)
    }

    /// The worksheet part of the sheet named `sheet`.
    public func xml(ofSheet sheet: String) throws -> String {
        guard let part = sheetParts[sheet] else {
            throw Failure(description: "\(path): no sheet named \(sheet); sheets: \(sheetNames)")
        }
        return try xml(of: part)
    }

    /// "AB12" → (11, 27), zero-based.
    private static func position(_ reference: String) -> (row: Int, col: Int) {
        var col = 0
        var row = 0
        for scalar in reference.unicodeScalars {
            if let digit = Int(String(scalar)) {
                row = row * 10 + digit
            } else {
                col = col * 26 + Int(scalar.value) - 64
            }
        }
        return (row - 1, col - 1)
    }

    private static func unzip(_ path: String, _ part: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        process.arguments = ["-p", path, part]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "unzip -p \(path) \(part) exited with \(process.terminationStatus)")
        }
        return data
    }

    private static func parse(_ data: Data, _ part: String) throws -> Element {
        let builder = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            throw Failure(description: "\(part) is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "empty")")
        }
        return root
    }
}

/// A parsed XML element; `text` is its own character data (meaningful for leaves such as <v> and <t>).
private final class Element {
    let name: String
    let attributes: [String: String]
    var children: [Element] = []
    var text = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// Every element named `name` below this one, in document order.
    func descendants(_ name: String) -> [Element] {
        children.flatMap { ($0.name == name ? [$0] : []) + $0.descendants(name) }
    }
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    var root: Element?
    private var stack: [Element] = []

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String]) {
        let element = Element(name: elementName, attributes: attributes)
        stack.last?.children.append(element)
        if root == nil { root = element }
        stack.append(element)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        stack.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        stack.last?.text += string
    }
}
