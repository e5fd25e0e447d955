import XCTest
import Config
import Core
@testable import Ingest

private let ordersHeader = "order_no,line_no,order_date,dealer_id,part_no,qty,unit_price,amount,channel,status,ship_date"
private let movementsHeader = "doc_no,line_no,doc_date,warehouse,part_no,move_type,qty,unit_cost,ref_no"

/// Every rejection code of SPEC §6, with its physical line and column.
final class LoaderRejectionTests: XCTestCase {
    func testOrderRejections() throws {
        let folder = InputFolder()
        folder.write("orders.csv", csv(
            ordersHeader,
            "A1,1,2026-10-05,D1,P1,2,10,,phone,open,",                  // 2 ok
            "A1,2,2026-10-05,D1,P1,2,10,,phone,open",                   // 3 10 fields
            "A1,3,2026-10-05,,P1,2x,10,,phone,open,",                   // 4 dealer empty (before the bad qty)
            "A1,4,2026-13-05,D1,P1,2x,10,,phone,open,",                 // 5 month 13 (before the bad qty)
            "A1,5,2026-10-05,D1,P1,2x,10,,phone,open,",                 // 6
            "A1,6,2026-10-05,D1,P1,-2,10,,phone,open,",                 // 7
            "A1,7,2026-10-05,D1,P1,0,10,,phone,open,",                  // 8 qty must be > 0
            "A1,8,2026-10-05,D1,P1,2,10,,phone,pending,",               // 9
            "A1,9,2026-10-05,D1,P1,2,10,,phone,shipped,",               // 10
            "A1,10,2026-10-05,D1,P1,2,,,phone,open,",                   // 11 neither price nor amount
            "A1,11,2026-10-05,D1,P1,2,-1,,phone,open,",                 // 12
            "A1,12,2026-10-05,D1,P1,2,10,,phone,open,2026-02-30",       // 13 ship_date validated though not shipped
            "A1,13,2026-10-05,D1,P1,2,10,1.2345678,phone,open,",        // 14 7 decimals
            "A1,14,2026-10-05,D1,P1,1.2345,10,,phone,open,",            // 15 4 decimals in a qty
            "A1,15,2026-10-05,D1,P1,2,10,,phone,open,,extra",           // 16 12 fields
            ",16,2026-10-05,D1,P1,2,10,,phone,open,",                   // 17
            "A1,17,2026-10-05,D1,P1,2,10,,phone,\"\",",                 // 18 quoted empty status
            "A1,18,2026-10-05,D1,P1,2,10,,phone,   ,",                  // 19 only spaces = empty
            "A1,19,2026-10-05,D1,P1,2,10,-5,phone,open,",               // 20
            "A1,20,2026-10-05,D1,P1,2,1.0000001,,phone,open,",          // 21 7 decimals in a price
            "A1,21,2026-10-05,D1,P1,1,234,10,,phone,open,",             // 22 an unquoted 1,234: 12 fields
            "A1,22,2026/10/05 25:00,D1,P1,2,10,,phone,open,"            // 23 impossible time
        ))
        let data = try folder.load([.orders])
        let f = "orders.csv"
        assertIssue(data, file: f, line: 3, code: .fieldCount, column: "ship_date")
        assertIssue(data, file: f, line: 4, code: .emptyRequired, column: "dealer_id")
        assertIssue(data, file: f, line: 5, code: .badDate, column: "order_date")
        assertIssue(data, file: f, line: 6, code: .badNumber, column: "qty")
        assertIssue(data, file: f, line: 7, code: .wrongSign, column: "qty")
        assertIssue(data, file: f, line: 8, code: .wrongSign, column: "qty")
        assertIssue(data, file: f, line: 9, code: .unknownStatus, column: "status")
        assertIssue(data, file: f, line: 10, code: .missingShipDate, column: "ship_date")
        assertIssue(data, file: f, line: 11, code: .emptyRequired, column: "unit_price")
        assertIssue(data, file: f, line: 12, code: .wrongSign, column: "unit_price")
        assertIssue(data, file: f, line: 13, code: .badDate, column: "ship_date")
        assertIssue(data, file: f, line: 14, code: .badNumber, column: "amount")
        assertIssue(data, file: f, line: 15, code: .badNumber, column: "qty")
        assertIssue(data, file: f, line: 16, code: .fieldCount, column: "(extra field 12)")
        assertIssue(data, file: f, line: 17, code: .emptyRequired, column: "order_no")
        assertIssue(data, file: f, line: 18, code: .emptyRequired, column: "status")
        assertIssue(data, file: f, line: 19, code: .emptyRequired, column: "status")
        assertIssue(data, file: f, line: 20, code: .wrongSign, column: "amount")
        assertIssue(data, file: f, line: 21, code: .badNumber, column: "unit_price")
        assertIssue(data, file: f, line: 22, code: .fieldCount, column: "(extra field 12)")
        assertIssue(data, file: f, line: 23, code: .badDate, column: "order_date")

        XCTAssertEqual(data.issues.count, 21)
        XCTAssertTrue(data.issues.allSatisfy { $0.severity == .error && $0.file == f })
        XCTAssertEqual(data.orders.map(\.lineNo), ["1"])
        XCTAssertEqual(data.counts(f), RowCounts(read: 22, accepted: 1, warned: 0, duplicate: 0, rejected: 21))
        XCTAssertEqual(data.rejectedRows, 21)
        // The raw row travels with the issue, and the message names the value.
        let sign = data.issues.first { $0.line == 7 }!
        XCTAssertEqual(sign.rawRow, "A1,6,2026-10-05,D1,P1,-2,10,,phone,open,")
        let status = data.issues.first { $0.line == 9 }!
        XCTAssertTrue(status.message.contains("pending"), status.message)
    }

    func testMovementRejectionsAndUnitCostRules() throws {
        let folder = InputFolder()
        folder.write("movements.csv", csv(
            movementsHeader,
            "M1,1,2026-10-03,NEW,P1,PURCHASE,10,5.5,",          // 2 ok
            "M1,2,2026-10-03,NEW,P1,PURCHASE,0,5.5,",           // 3 qty 0
            "M1,3,2026-10-03,NEW,P1,TRANSFER,1,5.5,",           // 4
            "M1,4,2026-10-03,NEW,P1,PURCHASE,5,,",              // 5 a receipt needs a cost
            "M1,5,2026-10-03,NEW,P1,PURCHASE,-5,,",             // 6 … a receipt reversal too
            "M1,6,2026-10-03,NEW,P1,SALE,5,abc,A1",             // 7 unused by SALE, still validated
            "M1,7,2026-10-03,NEW,P1,SALE,5,,A1",                // 8 ok
            "M1,8,2026-10-03,OLD,P1,OLD_PART_IN,1,,R1",         // 9 ok, cost 0
            "M1,9,2026-10-03,NEW,P1,sale,-2,,A1",               // 10 ok, reversal, any case
            "M1,10,2026-10-03,NEW,P1,销售出库,1,,A1",              // 11 ok, Chinese label
            "M1,11,2026-10-03,NEW,P1,SALE,1,-3,A1",             // 12 sign checked on SALE too
            "M1,12,2026-10-03,NEW,P1, Sale ,1,,A1",             // 13 ok after trimming
            "M1,13,2026-10-03,NEW,P1,销售,1,,A1",                 // 14 not the exact label
            "M1,14,2026-10-03,NEW,P1,DEALER_RETURN,1,12.5,A1",  // 15 ok
            "M1,15,2026-10-03,NEW,P1,TRANSFER_IN,-0.000,3,",    // 16 -0 is 0
            "M1,16,2026-10-03,NEW,P1,SCRAP,-1.5,,",             // 17 ok
            "M1,17,2026-10-03,,P1,SCRAP,1,,"                    // 18 warehouse empty
        ))
        let data = try folder.load([.movements])
        let f = "movements.csv"
        assertIssue(data, file: f, line: 3, code: .wrongSign, column: "qty")
        assertIssue(data, file: f, line: 4, code: .unknownMoveType, column: "move_type")
        assertIssue(data, file: f, line: 5, code: .emptyRequired, column: "unit_cost")
        assertIssue(data, file: f, line: 6, code: .emptyRequired, column: "unit_cost")
        assertIssue(data, file: f, line: 7, code: .badNumber, column: "unit_cost")
        assertIssue(data, file: f, line: 12, code: .wrongSign, column: "unit_cost")
        assertIssue(data, file: f, line: 14, code: .unknownMoveType, column: "move_type")
        assertIssue(data, file: f, line: 16, code: .wrongSign, column: "qty")
        assertIssue(data, file: f, line: 18, code: .emptyRequired, column: "warehouse")
        XCTAssertEqual(data.issues.count, 9)

        XCTAssertEqual(data.movements.map(\.lineNo), ["1", "7", "8", "9", "10", "12", "14", "16"])
        XCTAssertEqual(data.movements.map(\.type), [.purchase, .sale, .oldPartIn, .sale, .sale, .sale, .dealerReturn, .scrap])
        XCTAssertEqual(data.movements.map(\.qty.milli), [10_000, 5000, 1000, -2000, 1000, 1000, 1000, -1500])
        XCTAssertEqual(data.movements[0].unitCost, UnitPrice(numerator: 11, denominator: 2))
        XCTAssertNil(data.movements[1].unitCost)                 // issue types carry none
        XCTAssertEqual(data.movements[2].unitCost, .zero)        // OLD_PART_IN defaults to 0
        XCTAssertEqual(data.movements[6].unitCost, UnitPrice(mantissa: 125, scale: 1))
        XCTAssertEqual(data.movements[1].refNo, "A1")
        XCTAssertEqual(data.movements[0].ref, RowRef(file: 0, line: 2))
        XCTAssertEqual(data.counts(f), RowCounts(read: 17, accepted: 8, warned: 0, duplicate: 0, rejected: 9))
    }

    func testRepairRejectionsAndDefaults() throws {
        let folder = InputFolder()
        folder.write("repairs.csv", csv(
            "repair_no,repair_date,dealer_id,product_model,part_no,qty,warranty,old_part_return,labor_cost,parts_cost",
            "R1,2026-10-04,D1,M100,P1,,Y,,50,30.5",                   // 2 qty 1, old part returned (= warranty)
            "R1,2026-10-04,D1,M100,,,n,,20,",                         // 3 no part: qty 0; not warranty
            "R2,2026-10-04,D1,M100,P2,2,是,否,0,0",                    // 4
            "R3,2026-10-04,D1,M100,P2,1,maybe,,0,0",                  // 5
            "R3,2026-10-04,D1,M100,P2,1,Y,X,0,0",                     // 6
            "R4,2026-10-04,D1,M100,P2,1,,,0,0",                       // 7
            "R5,2026-10-04,D1,M100,P2,0,Y,,0,0",                      // 8
            "R6,2026-10-04,D1,M100,P2,1,TRUE,n,957.5775,\"1,234.50\"", // 9
            "R7,2026-10-04,D1,M100,P2,1,Y,,-1,0",                     // 10
            "R8,2026-10-04,D1,,P2,1,Y,,0,0",                          // 11
            "R9,2026-10-04,D1,M100,P3,0.5,false,YES,,"                // 12
        ))
        let data = try folder.load([.repairs])
        let f = "repairs.csv"
        assertIssue(data, file: f, line: 5, code: .badBool, column: "warranty")
        assertIssue(data, file: f, line: 6, code: .badBool, column: "old_part_return")
        assertIssue(data, file: f, line: 7, code: .emptyRequired, column: "warranty")
        assertIssue(data, file: f, line: 8, code: .wrongSign, column: "qty")
        assertIssue(data, file: f, line: 10, code: .wrongSign, column: "labor_cost")
        assertIssue(data, file: f, line: 11, code: .emptyRequired, column: "product_model")
        XCTAssertEqual(data.issues.count, 6)

        let r = data.repairs
        XCTAssertEqual(r.map(\.repairNo), ["R1", "R1", "R2", "R6", "R9"])
        XCTAssertEqual(r.map(\.lineNo), ["1", "2", "1", "1", "1"])
        XCTAssertEqual(r.map(\.qty.milli), [1000, 0, 2000, 1000, 500])
        XCTAssertEqual(r.map(\.warranty), [true, false, true, true, false])
        XCTAssertEqual(r.map(\.oldPartReturn), [true, false, false, false, true])
        XCTAssertEqual(r.map(\.laborCost.cents), [5000, 2000, 0, 95_758, 0])
        XCTAssertEqual(r.map(\.partsCost.cents), [3050, 0, 0, 123_450, 0])
        XCTAssertEqual(r[1].partNo, "")
    }

    func testFieldTooLong() throws {
        let folder = InputFolder()
        let limit = String(repeating: "x", count: 65_536)
        let over = String(repeating: "y", count: 65_537)
        folder.write("orders.csv", csv(
            ordersHeader,
            "A1,1,2026-10-05,D1,P1,1,1,,\(limit),open,",     // 2 exactly 64 KiB: fine
            "A1,2,2026-10-05,D1,P1,1,1,,\(over),open,",      // 3 over 64 KiB
            "A1,3,2026-10-05,D1,P1,1,1,,\"\(over)\",open,",  // 4 quoted, over
            "A1,4,2026-10-05,D1,P1,1,1,,short,open,"         // 5 the scanner recovers
        ))
        let data = try folder.load([.orders])
        assertIssue(data, file: "orders.csv", line: 3, code: .fieldTooLong, column: "channel")
        assertIssue(data, file: "orders.csv", line: 4, code: .fieldTooLong, column: "channel")
        XCTAssertEqual(data.orders.map(\.lineNo), ["1", "4"])
        XCTAssertEqual(data.orders[0].channel.utf8.count, 65_536)
        XCTAssertEqual(data.orders[1].channel, "short")
    }

    func testUnterminatedQuoteRejectsTheLastRecord() throws {
        let folder = InputFolder()
        folder.write("orders.csv", ordersHeader + "\n"
            + "A1,1,2026-10-05,D1,P1,1,1,,phone,open,\n"       // 2
            + "A1,2,2026-10-05,D1,P1,1,1,,\"phone,open,\n"    // 3: the quote never closes
            + "A1,3,2026-10-05,D1,P1,1,1,,phone,open,\n")
        let data = try folder.load([.orders])
        assertIssue(data, file: "orders.csv", line: 3, code: .unterminatedQuote, column: "")
        XCTAssertEqual(data.orders.map(\.lineNo), ["1"])
        XCTAssertEqual(data.counts("orders.csv"), RowCounts(read: 2, accepted: 1, warned: 0, duplicate: 0, rejected: 1))
    }

    func testChecksRunInOrderAndOnlyTheFirstIsReported() throws {
        let folder = InputFolder()
        folder.write("orders.csv", csv(
            ordersHeader,
            "A1,1,bad,D1,P1,x,10,,phone,open",          // 2 field count beats the bad date and qty
            "A1,2,bad,D1,P1,x,-1,,phone,nope,",         // 3 order_date is the first bad column
            "A1,3,2026-10-05,D1,P1,x,-1,,phone,nope,",  // 4 then qty
            "A1,4,2026-10-05,D1,P1,1,-1,,phone,nope,",  // 5 then unit_price's sign
            "A1,5,2026-10-05,D1,P1,1,1,,phone,nope,",   // 6 then status
            "A1,6,2026-10-05,D1,P1,1,,,phone,shipped,"  // 7 rules between fields come last
        ))
        let data = try folder.load([.orders])
        let f = "orders.csv"
        assertIssue(data, file: f, line: 2, code: .fieldCount, column: "ship_date")
        assertIssue(data, file: f, line: 3, code: .badDate, column: "order_date")
        assertIssue(data, file: f, line: 4, code: .badNumber, column: "qty")
        assertIssue(data, file: f, line: 5, code: .wrongSign, column: "unit_price")
        assertIssue(data, file: f, line: 6, code: .unknownStatus, column: "status")
        XCTAssertEqual(data.issues.first { $0.line == 7 }?.code, .emptyRequired)
        XCTAssertEqual(data.issues.count, 6)
    }

    func testLineNumbersArePhysicalLines() throws {
        let folder = InputFolder()
        folder.write("orders.csv", csv(
            ordersHeader,                                           // 1
            "A1,1,2026-10-05,D1,P1,1,1,,\"phone",                   // 2
            "call\",open,",                                         // 3 (inside the quotes)
            "A1,2,2026-10-05,D1,P1,1,1,,phone,open,oops",           // 4
            "",                                                     // 5 blank
            "A1,3,2026-10-05,D1,P1,1,1,,\"a\r\nb\",open,",          // 6 a CRLF inside quotes
            "A1,4,2026-10-05,D1,P1,0,1,,phone,open,",               // 8
            ",,,,,,,,,,",                                           // 9 all empty
            "A1,5,2026-10-05,D1,P1,-1,1,,phone,open,"               // 10
        ))
        let data = try folder.load([.orders])
        let f = "orders.csv"
        assertIssue(data, file: f, line: 4, code: .badDate, column: "ship_date")
        assertIssue(data, file: f, line: 8, code: .wrongSign, column: "qty")
        assertIssue(data, file: f, line: 10, code: .wrongSign, column: "qty")
        XCTAssertEqual(data.orders.map(\.ref.line), [2, 6])
        XCTAssertEqual(data.orders.map(\.channel), ["phone\ncall", "a\r\nb"])
        XCTAssertEqual(data.counts(f)?.read, 5)
    }

    func testDuplicateConflictNamesTheFirstFileAndLine() throws {
        let folder = InputFolder()
        folder.write("orders-1.csv", csv(
            ordersHeader,
            "A1,1,2026-10-05,D1,P1,2,1234,,phone,open,",
            "A1,2,2026-10-05,D1,P1,1,5,,phone,open,"
        ))
        folder.write("orders-2.csv", csv(
            ordersHeader,
            "A1,1,2026-10-05,D1,P1,2,\"1,234.00\",,phone,open,",   // 2 exact duplicate of orders-1.csv:2
            "A1,2,2026-10-05,D1,P1,3,5,,phone,open,",              // 3 conflicts with orders-1.csv:3
            "A1,3,2026-10-05,D1,P1,3,5,,phone,open,",              // 4
            "A1,3,2026-10-05, D1 ,P1,3.000,5.00,,phone,OPEN,",     // 5 exact duplicate of line 4
            "A1,3,2026-10-05,D1,P1,3,5,,phone,open,2026-10-09"     // 6 conflicts with line 4 (ship_date differs)
        ))
        let data = try folder.load([.orders])
        assertIssue(data, file: "orders-2.csv", line: 3, code: .duplicateConflict, column: "order_no")
        assertIssue(data, file: "orders-2.csv", line: 6, code: .duplicateConflict, column: "order_no")
        let conflict = data.issues.first { $0.line == 3 }!
        XCTAssertTrue(conflict.message.contains("orders-1.csv:3"), conflict.message)
        XCTAssertTrue(data.issues.first { $0.line == 6 }!.message.contains("orders-2.csv:4"))
        XCTAssertEqual(data.duplicates, [
            DuplicateRow(file: "orders-2.csv", line: 2, firstFile: "orders-1.csv", firstLine: 2),
            DuplicateRow(file: "orders-2.csv", line: 5, firstFile: "orders-2.csv", firstLine: 4),
        ])
        // The first is kept.
        XCTAssertEqual(data.orders.map { "\($0.orderNo)/\($0.lineNo)/\($0.qty)" }, ["A1/1/2", "A1/2/1", "A1/3/3"])
        XCTAssertEqual(data.counts("orders-1.csv"), RowCounts(read: 2, accepted: 2, warned: 0, duplicate: 0, rejected: 0))
        XCTAssertEqual(data.counts("orders-2.csv"), RowCounts(read: 5, accepted: 1, warned: 0, duplicate: 2, rejected: 2))
        // Duplicates are not issues: rejects.csv holds rejects and warnings only.
        XCTAssertEqual(data.issues.count, 2)
    }

    /// The key index is a hash table confirmed against the stored rows: with every key hashing alike,
    /// duplicates, conflicts and the rows kept are exactly those of the normal load.
    func testKeysWhoseHashesCollideAreStillToldApart() throws {
        let folder = InputFolder()
        folder.write("orders-1.csv", csv(
            ordersHeader,
            "A1,1,2026-10-05,D1,P1,2,1234,,phone,open,",
            "A1,2,2026-10-05,D1,P1,1,5,,phone,open,",
            "A2,1,2026-10-05,D1,P1,1,5,,phone,open,"))
        folder.write("orders-2.csv", csv(
            ordersHeader,
            "A1,1,2026-10-05,D1,P1,2,1234.00,,phone,open,",       // exact duplicate of orders-1.csv:2
            "A1,2,2026-10-05,D1,P1,3,5,,phone,open,",             // conflicts with orders-1.csv:3
            "A2,2,2026-10-05,D1,P1,1,5,,phone,open,",             // new
            "A2,2,2026-10-05,D1,P1,1,5,,phone,open,"))            // exact duplicate of the line above
        let normal = try folder.load([.orders])
        var state = LoadState(config: Config())
        state.everyKeyCollides = true
        for name in ["orders-1.csv", "orders-2.csv"] { try state.read(path: folder.path + "/" + name, name: name, kind: .orders) }
        let collided = state.dataset
        XCTAssertEqual(collided.orders, normal.orders)
        XCTAssertEqual(collided.orders.map { "\($0.orderNo)/\($0.lineNo)" }, ["A1/1", "A1/2", "A2/1", "A2/2"])
        XCTAssertEqual(collided.duplicates, normal.duplicates)
        XCTAssertEqual(collided.duplicates.map(\.line), [2, 5])
        XCTAssertEqual(collided.issues.map { "\($0.file):\($0.line) \($0.code.rawValue)" }, ["orders-2.csv:3 duplicate_conflict"])
        XCTAssertEqual(collided.issues.map(\.message), normal.issues.map(\.message))
    }

    func testConflictWhenOnlyTheGivenAmountDiffers() throws {
        // The canonical columns are compared as parsed (SPEC §6): a different amount is a different
        // row even though both compute the same round2(qty × unit_price).
        let folder = InputFolder()
        folder.write("orders.csv", csv(
            ordersHeader,
            "A1,1,2026-10-05,D1,P1,2,10,20,phone,open,",
            "A1,1,2026-10-05,D1,P1,2,10,25,phone,open,",
            "A1,1,2026-10-05,D1,P1,2,10,20.00,phone,open,"
        ))
        let data = try folder.load([.orders])
        assertIssue(data, file: "orders.csv", line: 3, code: .duplicateConflict, column: "order_no")
        XCTAssertEqual(data.duplicates, [DuplicateRow(file: "orders.csv", line: 4, firstFile: "orders.csv", firstLine: 2)])
        XCTAssertEqual(data.issues.count, 1)   // no amount_mismatch for a rejected row
    }

    func testRepairLinesDifferingOnlyInTheSerialNumberConflict() throws {
        // serial_no is not kept in the typed row (no report reads it), yet it still tells a conflict
        // from an exact duplicate: the row's parsed values are compared, not the typed row.
        let folder = InputFolder()
        folder.write("repairs.csv", csv(
            "repair_no,line_no,repair_date,dealer_id,product_model,serial_no,part_no,warranty",
            "R1,1,2026-10-05,D1,M1,SN-001,P1,1",
            "R1,1,2026-10-05,D1,M1,SN-002,P1,1",   // 3 another machine: a conflict
            "R1,1,2026-10-05,D1,M1,SN-001,P1,1"    // 4 an exact duplicate of line 2
        ))
        let data = try folder.load([.repairs])
        assertIssue(data, file: "repairs.csv", line: 3, code: .duplicateConflict, column: "repair_no")
        XCTAssertEqual(data.duplicates, [DuplicateRow(file: "repairs.csv", line: 4, firstFile: "repairs.csv", firstLine: 2)])
        XCTAssertEqual(data.repairs.map(\.ref.line), [2])
    }

    func testARejectedRowNeverClaimsAKey() throws {
        let folder = InputFolder()
        folder.write("orders.csv", csv(
            ordersHeader,
            "A1,1,2026-13-01,D1,P1,2,10,,phone,open,",   // 2 rejected
            "A1,1,2026-10-01,D1,P1,2,10,,phone,open,",   // 3 the first with this key: accepted
            "A1,1,2026-10-01,D1,P1,5,10,,phone,open,"    // 4 conflicts with line 3, not line 2
        ))
        let data = try folder.load([.orders])
        assertIssue(data, file: "orders.csv", line: 2, code: .badDate, column: "order_date")
        assertIssue(data, file: "orders.csv", line: 4, code: .duplicateConflict, column: "order_no")
        XCTAssertTrue(data.issues[1].message.contains("orders.csv:3"), data.issues[1].message)
        XCTAssertEqual(data.orders.map(\.ref.line), [3])
    }

    func testKeysOfOtherKinds() throws {
        let folder = InputFolder()
        folder.write("opening.csv", csv(
            "warehouse,part_no,qty,value,as_of",
            "NEW,P1,10,100,2026-10-01",
            "NEW,P1,10,100,",               // no as_of: another key
            "NEW,P1,10,100.00,2026/10/1",   // exact duplicate of line 2
            "NEW,P1,11,100,2026-10-01",     // conflict
            "OLD,P1,-1,-957.5775,2026-10-01"
        ))
        folder.write("counts.csv", csv(
            "count_date,warehouse,location,part_no,counted_qty,counter",
            "2026-10-31,NEW,A-01,P1,5,Li",
            "2026-10-31,NEW,A-02,P1,2,Li",      // another location: another key
            "2026-10-31,NEW,A-01,P1,5,Wang",    // counter differs: a conflict
            "2026-10-31,NEW,A-03,P1,-1,Li"      // counted_qty ≥ 0
        ))
        folder.write("parts.csv", csv(
            "part_no,part_name,list_price",
            "P1,Filter,12.5",
            "P1,Filter,12.50",        // exact duplicate
            "P1,Oil filter,12.5"      // conflict
        ))
        folder.write("fleet.csv", csv(
            "product_model,month,units",
            "M100,2026-10,\"1,200\"",
            "M100,2026-10,1200",       // duplicate
            "M100,2026-09,-5",
            "M100,2026-08,12.5"
        ))
        let data = try folder.load([.opening, .counts])
        assertIssue(data, file: "opening.csv", line: 5, code: .duplicateConflict, column: "part_no")
        assertIssue(data, file: "counts.csv", line: 4, code: .duplicateConflict, column: "part_no")
        assertIssue(data, file: "counts.csv", line: 5, code: .wrongSign, column: "counted_qty")
        assertIssue(data, file: "parts.csv", line: 4, code: .duplicateConflict, column: "part_no")
        assertIssue(data, file: "fleet.csv", line: 4, code: .wrongSign, column: "units")
        assertIssue(data, file: "fleet.csv", line: 5, code: .badNumber, column: "units")
        XCTAssertEqual(data.openings.map(\.value.cents), [10_000, 10_000, -95_758])
        XCTAssertEqual(data.openings.map { $0.asOf?.description ?? "-" }, ["2026-10-01", "-", "2026-10-01"])
        XCTAssertEqual(data.counts.map(\.location), ["A-01", "A-02"])
        XCTAssertEqual(data.parts["P1"]?.name, "Filter")
        XCTAssertEqual(data.fleet[Dataset.FleetKey(productModel: "M100", month: Month(year: 2026, month: 10)!)], 1200)
        XCTAssertEqual(data.fleet.count, 1)
        XCTAssertEqual(data.duplicates.map { "\($0.file):\($0.line)" }, ["parts.csv:3", "fleet.csv:3", "opening.csv:4"])
    }
}
