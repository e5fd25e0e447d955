import Core
import Reports

/// The machine-readable twin of a workbook table (SPEC §5, §6 "CSV twin"): UTF-8, canonical
/// column ids as the header, numbers as plain decimals, canonical codes whatever the locale.
public enum CSVTwin {
    public static func encode(_ table: Table) -> [UInt8] {
        var out: [UInt8] = []
        appendLine(table.columns, to: &out)
        for row in table.rows { appendLine(row.map(plain), to: &out) }
        return out
    }

    /// The value as the twin writes it: money 2 decimals, quantities without trailing zeros,
    /// unit costs 4 decimals, percentages 2, counts whole, dates ISO, missing values empty.
    public static func plain(_ cell: Cell) -> String {
        switch cell {
        case .empty: return ""
        case .text(let s), .code(let s): return s
        case .count(let n): return String(n)
        case .money(let m): return m.description
        case .qty(let q): return q.description
        case .unitCost(let p): return decimalString(Int128(p), scale: 4)
        case .percent(let p): return p?.description ?? ""
        case .date(let d): return d.description
        }
    }

    public static func appendLine(_ fields: [String], to out: inout [UInt8]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            appendField(field, to: &out)
        }
        out.append(UInt8(ascii: "\n"))
    }

    /// RFC 4180 quoting: a field with a comma, quote, CR or LF is quoted, quotes doubled.
    /// Works on the String's contiguous UTF-8 (`withUTF8`): through `utf8`'s generic iteration this was
    /// most of writing a rejects.csv of ~0.1 GB at ten times a month.
    public static func appendField(_ field: String, to out: inout [UInt8]) {
        var field = field
        field.withUTF8 { bytes in
            guard bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
                out.append(contentsOf: bytes)
                return
            }
            out.append(0x22)
            for b in bytes {
                if b == 0x22 { out.append(0x22) }
                out.append(b)
            }
            out.append(0x22)
        }
    }
}
