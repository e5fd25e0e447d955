import CCellPrinting
import CDeflateLevel
import CXLSXWriter
import Foundation

/// The document properties written to `docProps/core.xml` and `docProps/app.xml`.
public struct DocumentProperties: Sendable {
    public var title: String?
    public var subject: String?
    public var author: String?
    public var company: String?
    /// Written as both `dcterms:created` and `dcterms:modified` (UTC, whole seconds). Pass a date derived
    /// from the report period, never the wall clock, so reruns are byte-identical.
    public var created: Date

    public init(title: String? = nil, subject: String? = nil, author: String? = nil, company: String? = nil,
                created: Date) {
        self.title = title
        self.subject = subject
        self.author = author
        self.company = company
        self.created = created
    }
}

/// An XLSX file being built; nothing touches the disk until `close()`.
///
/// The workbook owns every libxlsxwriter object made through it: worksheets, charts and the `lxw_format`s
/// behind `CellFormat`s. `close()` writes the file and frees them all, so using a `Worksheet` or `Chart`
/// afterwards is a programming error (a precondition failure). A workbook released without `close()`
/// frees its memory and writes nothing.
///
/// Output is deterministic: libxlsxwriter stamps every zip entry 1980-01-01 00:00, and `properties.created`
/// (default 1980-01-01T00:00:00Z, written in UTC) is the only date in `docProps/core.xml`. Same calls with
/// the same libxlsxwriter and zlib → same bytes.
public final class Workbook {
    /// Where `close()` writes. Write beside the final name and rename it into place yourself.
    public let path: String
    /// Applied at `close()`.
    public var properties = DocumentProperties(created: Date(timeIntervalSince1970: 315_532_800))

    /// How many zip parts this process deflated at level 2 instead of libxlsxwriter's fixed 6 (see
    /// CDeflateLevel): 0 would mean the executable's deflateInit2_ is not the one the library calls.
    public static var partsDeflatedFast: Int { aftersales_deflate_streams_relevelled() }

    /// How many number cells this thread's workbooks wrote without glibc's printf (see CCellPrinting): 0
    /// would mean the executable's __fprintf_chk is not the one the library calls.
    public static var numberCellsPrintedDirectly: Int { aftersales_direct_cells_on_this_thread() }

    private var handle: UnsafeMutablePointer<lxw_workbook>?
    private var formats: [CellFormat: UnsafeMutablePointer<lxw_format>] = [:]

    /// - Parameter constantMemory: libxlsxwriter's low-memory mode: rows must then be written in order
    ///   (each row is flushed when a later one starts) and strings are written inline rather than shared.
    ///   libxlsxwriter warns that merged ranges "generally don't work" then; a one-row `mergeRange` made
    ///   on the row being written, before any later row, does (the renderer's title rows rely on it).
    public init(path: String, constantMemory: Bool = false) throws {
        self.path = path
        var options = lxw_workbook_options()
        options.constant_memory = constantMemory ? 1 : 0
        guard let handle = workbook_new_opt(path, &options) else {
            throw XLSXError(context: "create workbook \(path)", message: "libxlsxwriter could not allocate it")
        }
        self.handle = handle
    }

    deinit {
        if let handle { lxw_workbook_free(handle) }
    }

    /// Adds a worksheet at the end. Excel's rules are checked here: 1–31 characters, none of `[]:*?/\`,
    /// no leading or trailing apostrophe, unique ignoring case.
    public func addWorksheet(_ name: String) throws -> Worksheet {
        let workbook = open()
        let context = "add worksheet \"\(name)\""
        guard !name.isEmpty else { throw XLSXError(context: context, message: "Worksheet name is empty.") }
        try check(workbook_validate_sheet_name(workbook, name), context)
        guard let sheet = workbook_add_worksheet(workbook, name) else {
            throw XLSXError(context: context, message: "libxlsxwriter could not add it")
        }
        return Worksheet(workbook: self, handle: sheet, name: name)
    }

    /// Creates a chart; it appears once inserted with `Worksheet.insertChart`.
    public func addChart(_ kind: Chart.Kind) throws -> Chart {
        guard let chart = workbook_add_chart(open(), kind.lxwType) else {
            throw XLSXError(context: "add \(kind) chart", message: "libxlsxwriter could not add it")
        }
        return Chart(workbook: self, handle: chart)
    }

    /// Writes the file and frees everything, whether or not writing succeeded. Call exactly once.
    /// Errors (e.g. an unwritable directory) carry libxlsxwriter's message.
    public func close() throws {
        let workbook = open()
        handle = nil
        formats = [:]
        let context = "close \(path)"
        var props = lxw_doc_properties()
        props.title = properties.title.map { strdup($0) } ?? nil
        props.subject = properties.subject.map { strdup($0) } ?? nil
        props.author = properties.author.map { strdup($0) } ?? nil
        props.company = properties.company.map { strdup($0) } ?? nil
        defer { for string in [props.title, props.subject, props.author, props.company] { free(string) } }
        props.created = time_t(properties.created.timeIntervalSince1970.rounded(.down))
        // libxlsxwriter reads 0 as "use the current time".
        guard props.created != 0 else {
            lxw_workbook_free(workbook)
            throw XLSXError(context: context, message: "created must not be 1970-01-01T00:00:00Z")
        }
        let propertiesError = workbook_set_properties(workbook, &props)
        guard propertiesError == LXW_NO_ERROR else {
            lxw_workbook_free(workbook)
            return try check(propertiesError, context)
        }
        try check(workbook_close(workbook), context)
    }

    /// The live handle; using the workbook or anything it made after `close()` is a programming error.
    func open() -> UnsafeMutablePointer<lxw_workbook> {
        guard let handle else { preconditionFailure("workbook \(path) used after close()") }
        return handle
    }

    /// `format` made into this workbook's format once, for writing many cells without a lookup per cell
    /// (`Worksheet.write(…, format: Format)`). Nil is the default format.
    public func format(_ format: CellFormat?) -> Format {
        Format(workbook: ObjectIdentifier(self), handle: lxwFormat(format))
    }

    /// The one `lxw_format` for `format` (made on first use), or nil for the default format.
    func lxwFormat(_ format: CellFormat?) -> UnsafeMutablePointer<lxw_format>? {
        guard let format else { return nil }
        if let made = formats[format] { return made }
        guard let made = workbook_add_format(open()) else { fatalError("libxlsxwriter: out of memory") }
        format.apply(to: made)
        formats[format] = made
        return made
    }
}

/// A `CellFormat` made into one workbook's `lxw_format` by `Workbook.format(_:)`: the same cells as
/// writing with the `CellFormat` itself, without hashing it for every cell. Only for that workbook's sheets,
/// until it is closed.
public struct Format {
    let workbook: ObjectIdentifier
    let handle: UnsafeMutablePointer<lxw_format>?
}
