// A plain reading of the CSV rules documented on CSVScanner, used by the `csv` and `loader`
// targets as the independent reference the scanner must agree with.

let quote = UInt8(ascii: "\""), lf: UInt8 = 0x0A, cr: UInt8 = 0x0D

/// One record as a scan reports it, copied out of the callback.
struct ScannedRecord: Equatable {
    var line: Int
    var fields: [[UInt8]]
    var lengths: [Int]
    var overlong: Bool
    var unterminated: Bool
    var raw: [UInt8]
}

/// The records the documented rules give, read one byte at a time with no chunks and no limit.
func referenceRecords(_ input: [UInt8], delimiter: UInt8) -> [ScannedRecord] {
    let n = input.count
    var p = input.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    var records: [ScannedRecord] = []
    var line = 1
    while p < n {
        let start = p
        var fields: [[UInt8]] = []
        var newlines = 0
        var unterminated = false
        var rawEnd = n
        record: while true {
            var field: [UInt8] = []
            if p < n && input[p] == quote {
                p += 1
                var closed = false
                while p < n {
                    if input[p] == quote {
                        if p + 1 < n && input[p + 1] == quote { field.append(quote); p += 2; continue }
                        p += 1
                        closed = true
                        break
                    }
                    if input[p] == lf { newlines += 1 }
                    field.append(input[p])
                    p += 1
                }
                if !closed { unterminated = true; fields.append(field); break record }
            }
            // An unquoted field, or what follows a closing quote: literal up to a delimiter or line end.
            while p < n {
                let b = input[p]
                if b == delimiter { p += 1; fields.append(field); continue record }
                if b == lf { rawEnd = p; p += 1; fields.append(field); break record }
                if b == cr && p + 1 < n && input[p + 1] == lf { rawEnd = p; p += 2; fields.append(field); break record }
                field.append(b)
                p += 1
            }
            fields.append(field)  // the end of the input
            break record
        }
        records.append(ScannedRecord(line: line, fields: fields, lengths: fields.map(\.count), overlong: false,
                                     unterminated: unterminated, raw: Array(input[start ..< rawEnd])))
        line += newlines + 1
    }
    return records
}
