import XCTest
import Config
import Core
@testable import Ingest

/// The release-2 inputs of SPEC §8.4: payments, receivables, and the dealers' credit columns.
/// Fixture `receivables-inputs`: Chinese headers; payments-1.csv is GB18030 and has no line_no column.
final class ReceivablesInputTests: XCTestCase {
    private func fixture() throws -> Dataset {
        let root = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let dir = root.appendingPathComponent("receivables-inputs").path
        return try Loader(directory: dir, config: Config(), period: nil).load(Set(InputKind.allCases))
    }

    func testFixtureRowsIssuesAndCounts() throws {
        let data = try fixture()
        XCTAssertEqual(data.files.map(\.name), ["dealers.csv", "payments-1.csv", "payments-2.csv", "receivables.csv"])
        XCTAssertEqual(data.files.map(\.encoding), [.utf8, .gb18030, .utf8, .utf8])
        XCTAssertEqual(data.issues.map { "\($0.file):\($0.line):\($0.column):\($0.code.rawValue)" }, [
            "dealers.csv:4:credit_days:wrong_sign",          // -5
            "dealers.csv:5:credit_days:bad_number",          // 30天
            "payments-1.csv:5:payment_date:bad_date",        // 2026-10-32
            "payments-1.csv:6:amount:wrong_sign",            // 0
            "payments-1.csv:7:dealer_id:unknown_dealer",     // D9, used
            "payments-2.csv:3:payment_no:duplicate_conflict", // PAY1/2 with 301, not 300
            "payments-2.csv:4:line_no:bad_number",           // x
            "receivables.csv:6:open_amount:wrong_sign",      // an invoice of -5
            "receivables.csv:7:doc_type:unknown_doc_type",   // debit
            "receivables.csv:8:open_amount:wrong_sign",      // a credit of 0
            "receivables.csv:10:doc_no:duplicate_conflict",  // line 2's key, another due date
            "receivables.csv:11:due_date:bad_date",          // 2026/9/31
            "receivables.csv:12:open_amount:wrong_sign",     // a payment of 0
        ])
        XCTAssertEqual(data.issues.first { $0.code == .unknownDocType }?.severity, .error)
        XCTAssertEqual(data.issues.first { $0.line == 10 }?.message.contains("receivables.csv:2"), true)
        XCTAssertEqual(data.rowCounts(), [
            RowCounts(read: 4, accepted: 2, warned: 0, duplicate: 0, rejected: 2),    // dealers
            RowCounts(read: 6, accepted: 3, warned: 1, duplicate: 0, rejected: 2),    // payments-1
            RowCounts(read: 3, accepted: 0, warned: 0, duplicate: 1, rejected: 2),    // payments-2
            RowCounts(read: 11, accepted: 4, warned: 0, duplicate: 1, rejected: 6),   // receivables
        ])
        XCTAssertEqual(data.duplicates, [
            DuplicateRow(file: "payments-2.csv", line: 2, firstFile: "payments-1.csv", firstLine: 2),
            DuplicateRow(file: "receivables.csv", line: 9, firstFile: "receivables.csv", firstLine: 2),
        ])
    }

    func testDealersCreditColumns() throws {
        let data = try fixture()
        XCTAssertEqual(data.dealers.keys.sorted(), ["D1", "D2"])
        XCTAssertEqual(data.dealers["D1"]?.creditDays, 45)
        XCTAssertEqual(data.dealers["D1"]?.creditLimit, Money(cents: 5_000_000))   // "50,000.00"
        XCTAssertEqual(data.dealers["D1"]?.email, "d1@example.com")
        XCTAssertEqual(data.dealers["D1"]?.name, "华东服务站")
        // Blank: no credit days (the config's default applies later), no limit, no email.
        XCTAssertNil(data.dealers["D2"]?.creditDays)
        XCTAssertNil(data.dealers["D2"]?.creditLimit)
        XCTAssertEqual(data.dealers["D2"]?.email, "")
    }

    func testPaymentsTypedValuesAndLineNumbers() throws {
        let data = try fixture()
        // payments-1.csv has no line_no: rows are numbered within their payment_no, the rejected line 5
        // (PAY1's third row) counting, so line 7 is PAY1/4.
        XCTAssertEqual(data.payments.map { "\($0.paymentNo)/\($0.lineNo)" }, ["PAY1/1", "PAY1/2", "PAY2/1", "PAY1/4"])
        XCTAssertEqual(data.payments.map(\.paymentDate.description), ["2026-10-05", "2026-10-05", "2026-10-08", "2026-10-09"])
        XCTAssertEqual(data.payments.map(\.dealerId), ["D1", "D1", "D2", "D9"])
        // ¥1,200.50; 300; −150.255 rounded half away from zero to −150.26 (a refund); 5.
        XCTAssertEqual(data.payments.map(\.amount.cents), [120_050, 30_000, -15_026, 500])
        XCTAssertEqual(data.payments.map(\.method), ["bank", "bank", "现金", "cash"])
        XCTAssertEqual(data.payments.map(\.refNo), ["A1", "", "", ""])
        XCTAssertEqual(data.payments.map(\.ref.line), [2, 3, 4, 7])
    }

    func testReceivablesTypedValues() throws {
        let data = try fixture()
        let items = data.receivables
        XCTAssertEqual(items.map(\.docNo), ["A0", "C0", "PAY0", "A0"])
        // 发票, CREDIT (the id in any case), 收款, invoice.
        XCTAssertEqual(items.map(\.docType), [.invoice, .credit, .payment, .invoice])
        XCTAssertEqual(items.map(\.asOf.description), Array(repeating: "2026-10-01", count: 4))
        XCTAssertEqual(items.map(\.docDate.description), ["2026-09-10", "2026-09-20", "2026-09-25", "2026-08-10"])
        XCTAssertEqual(items.map(\.dueDate.description), ["2026-10-10", "2026-09-20", "2026-09-25", "2026-09-09"])
        XCTAssertEqual(items.map(\.dealerId), ["D1", "D1", "D2", "D1"])
        // A payment item > 0 is a refund not absorbed: accepted.
        XCTAssertEqual(items.map(\.openAmount.cents), [100_000, -20_000, 5_000, 30_000])
    }

    /// An export from another ERP, read through the config's header mapping and a default.
    func testConfigMappingForPaymentsAndReceivables() throws {
        let folder = InputFolder()
        folder.write("payments.csv", csv(
            "Receipt,Date,Customer,Value,Invoice",
            "R1,05/10/2026,D1,\"1.234,5\",A1",
            "R1,06/10/2026,D1,-4,",
            "R2,07/10/2026,D1,0,"                 // 4 wrong sign
        ))
        folder.write("receivables.csv", csv(
            "Stand,Doc,Kind,Date,Due,Customer,Open",
            "2026-10-01,A1,Invoice,2026-09-01,2026-10-01,D1,-1"   // 2 an invoice < 0
        ))
        var payments = InputOptions()
        payments.columns = ["payment_no": "Receipt", "payment_date": "date", "dealer_id": "Customer", "amount": "Value",
                            "ref_no": "Invoice"]
        payments.defaults = ["method": "bank"]
        payments.decimalMark = UInt8(ascii: ",")
        payments.dateFormat = "%d/%m/%Y"
        var receivables = InputOptions()
        receivables.columns = ["as_of": "Stand", "doc_no": "Doc", "doc_type": "Kind", "doc_date": "Date", "due_date": "Due",
                               "dealer_id": "Customer", "open_amount": "Open"]
        var config = Config()
        config.inputs[.payments] = payments
        config.inputs[.receivables] = receivables
        let data = try folder.load([.payments, .receivables], config: config)
        XCTAssertEqual(data.payments.map { "\($0.paymentNo)/\($0.lineNo)" }, ["R1/1", "R1/2"])
        XCTAssertEqual(data.payments.map(\.amount.cents), [123_450, -400])
        XCTAssertEqual(data.payments.map(\.paymentDate.description), ["2026-10-05", "2026-10-06"])
        XCTAssertEqual(data.payments.map(\.method), ["bank", "bank"])
        XCTAssertEqual(data.payments.map(\.refNo), ["A1", ""])
        assertIssue(data, file: "payments.csv", line: 4, code: .wrongSign, column: "amount")
        assertIssue(data, file: "receivables.csv", line: 2, code: .wrongSign, column: "open_amount")
        XCTAssertTrue(data.receivables.isEmpty)
    }

    /// Missing a required column is fatal for the file, naming the column.
    func testMissingRequiredColumnIsFatal() {
        let folder = InputFolder()
        folder.write("receivables.csv", csv("日期,单据号,单据日期,到期日,网点编码,未清金额", "2026-10-01,A1,2026-09-01,2026-10-01,D1,1"))
        XCTAssertThrowsError(try folder.load([.receivables])) { error in
            XCTAssertEqual(error as? IngestError, .missingColumn(file: "receivables.csv", column: "doc_type", label: "类型"))
        }
    }
}
