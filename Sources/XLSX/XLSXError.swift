import CXLSXWriter

/// A failure reported by libxlsxwriter, or a value this module refuses before handing it over.
public struct XLSXError: Error, Equatable, CustomStringConvertible {
    /// What was being done, e.g. `write 汇总!B3` or `close /out/x.xlsx`.
    public let context: String
    /// libxlsxwriter's own text (`lxw_strerror`) or this module's validation message.
    public let message: String

    public init(context: String, message: String) {
        self.context = context
        self.message = message
    }

    public var description: String { "\(context): \(message)" }
}

/// Throws `XLSXError` carrying `lxw_strerror`'s text unless `error` is `LXW_NO_ERROR`.
func check(_ error: lxw_error, _ context: @autoclosure () -> String) throws {
    guard error != LXW_NO_ERROR else { return }
    throw XLSXError(context: context(), message: String(cString: lxw_strerror(error)))
}

/// Zero-based (row, col) → `B3`.
func cellName(row: Int, col: Int) -> String {
    var letters = ""
    var n = col + 1
    while n > 0 {
        let digit = (n - 1) % 26
        letters = String(UnicodeScalar(UInt8(65 + digit))) + letters
        n = (n - 1) / 26
    }
    return "\(letters)\(row + 1)"
}

// An index that does not fit the C type becomes the type's maximum, which libxlsxwriter rejects as
// out of range, so negative or huge indexes surface as its error instead of a trap or a wrong cell.
func lxwRow(_ row: Int) -> lxw_row_t { lxw_row_t(exactly: row) ?? .max }
func lxwCol(_ col: Int) -> lxw_col_t { lxw_col_t(exactly: col) ?? .max }

/// A rectangle of cells, zero-based and inclusive at both ends.
public struct CellRange: Hashable, Sendable {
    public var firstRow: Int, firstCol: Int, lastRow: Int, lastCol: Int

    public init(firstRow: Int, firstCol: Int, lastRow: Int, lastCol: Int) {
        self.firstRow = firstRow
        self.firstCol = firstCol
        self.lastRow = lastRow
        self.lastCol = lastCol
    }

    /// `A1:C10`.
    func a1() -> String {
        cellName(row: firstRow, col: firstCol) + ":" + cellName(row: lastRow, col: lastCol)
    }
}
