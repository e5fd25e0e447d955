import XCTest
import Config
import Core
@testable import Ingest

private let ordersHeader = "order_no,line_no,order_date,dealer_id,part_no,qty,unit_price,amount,channel,status,ship_date"
private let movementsHeader = "doc_no,line_no,doc_date,warehouse,part_no,move_type,qty,unit_cost,ref_no"

final class LoaderWarningTests: XCTestCase {
    private let orders = csv(
        ordersHeader,
        "A1,1,2026-10-05,D1,P1,3,3.333333,10.01,,open,",   // 2 3 × 3.333333 = 9.999999 → 10.00: off by 0.01, fine
        "A1,2,2026-10-05,D1,P1,3,3.333333,10.02,,open,",   // 3 off by 0.02
        "A1,3,2026-10-05,D1,P1,3,3.333333,9.99,,open,",    // 4 fine
        "A1,4,2026-10-05,D1,P1,3,3.333333,9.98,,open,",    // 5 off by 0.02
        "A1,5,2026-10-05,D9,P9,1,1,,,open,",               // 6 unknown dealer and part: two warnings, one row
        "A1,6,2026-10-05,D1,P9,1,1,,,open,"                // 7 unknown part
    )

    func testUnknownCodesOnlyWithAMaster() throws {
        let folder = InputFolder()
        folder.write("orders.csv", orders)
        let data = try folder.load([.orders])
        XCTAssertEqual(data.issues.map(\.code), [.amountMismatch, .amountMismatch])
        XCTAssertEqual(data.issues.map(\.line), [3, 5])
        XCTAssertEqual(data.counts("orders.csv"), RowCounts(read: 6, accepted: 4, warned: 2, duplicate: 0, rejected: 0))
    }

    func testUnknownCodesAndAmountMismatch() throws {
        let folder = InputFolder()
        folder.write("orders.csv", orders)
        folder.write("parts.csv", csv("part_no,part_name", "P1,Filter"))
        folder.write("dealers.csv", csv("dealer_id,dealer_name,region", "D1,Station 1,East"))
        let data = try folder.load([.orders])
        let f = "orders.csv"
        assertIssue(data, file: f, line: 3, code: .amountMismatch, column: "amount")
        assertIssue(data, file: f, line: 5, code: .amountMismatch, column: "amount")
        assertIssue(data, file: f, line: 7, code: .unknownPart, column: "part_no")
        let six = data.issues.filter { $0.line == 6 }
        XCTAssertEqual(Set(six.map(\.code)), [.unknownDealer, .unknownPart])
        XCTAssertEqual(Set(six.map(\.column)), ["dealer_id", "part_no"])
        XCTAssertTrue(six.allSatisfy { $0.severity == .warning && $0.rawRow == "A1,5,2026-10-05,D9,P9,1,1,,,open," })
        XCTAssertEqual(data.issues.count, 5)
        // Every row is used, with round2(qty × unit_price) as its amount.
        XCTAssertEqual(data.orders.count, 6)
        XCTAssertEqual(data.orders.prefix(4).map(\.amount.cents), [1000, 1000, 1000, 1000])
        XCTAssertEqual(data.orders[0].unitPrice, UnitPrice(mantissa: 3_333_333, scale: 6))
        // One row with two warnings counts once.
        XCTAssertEqual(data.counts(f), RowCounts(read: 6, accepted: 2, warned: 4, duplicate: 0, rejected: 0))
        XCTAssertEqual(data.counts("parts.csv"), RowCounts(read: 1, accepted: 1, warned: 0, duplicate: 0, rejected: 0))
        XCTAssertEqual(data.dealers["D1"]?.region, "East")
    }

    func testUnknownCodesInOtherKinds() throws {
        let folder = InputFolder()
        folder.write("parts.csv", csv("part_no,part_name", "P1,Filter"))
        folder.write("dealers.csv", csv("dealer_id,dealer_name", "D1,Station 1"))
        folder.write("repairs.csv", csv(
            "repair_no,repair_date,dealer_id,product_model,part_no,warranty",
            "R1,2026-10-04,D1,M1,,Y",      // no part: nothing to check
            "R2,2026-10-04,D2,M1,P2,Y"
        ))
        folder.write("movements.csv", csv(movementsHeader, "M1,1,2026-10-03,NEW,P2,SALE,1,,A1"))
        folder.write("counts.csv", csv("count_date,warehouse,part_no,counted_qty", "2026-10-31,NEW,P2,1"))
        folder.write("opening.csv", csv("warehouse,part_no,qty,value", "NEW,P2,1,1"))
        let data = try folder.load([.repairs, .movements, .counts, .opening])
        XCTAssertEqual(data.issues.map { "\($0.file):\($0.line):\($0.code.rawValue)" }.sorted(), [
            "counts.csv:2:unknown_part", "movements.csv:2:unknown_part", "opening.csv:2:unknown_part",
            "repairs.csv:3:unknown_dealer", "repairs.csv:3:unknown_part",
        ])
    }

    func testOldPartInOutsideTheOldPartsWarehouse() throws {
        let folder = InputFolder()
        folder.write("movements.csv", csv(
            movementsHeader,
            "M2,1,2026-10-02,NEW,P1,OLD_PART_IN,1,,R1",   // 2
            "M2,2,2026-10-02,OLD,P1,OLD_PART_IN,1,,R1",   // 3
            "M2,3,2026-10-02,NEW,P1,PURCHASE,1,1,"        // 4
        ))
        var data = try folder.load([.movements])
        assertIssue(data, file: "movements.csv", line: 2, code: .oldPartInWrongWarehouse, column: "warehouse")
        XCTAssertEqual(data.issues.count, 1)
        XCTAssertEqual(data.movements.count, 3)

        var config = Config()
        config.oldPartsWarehouse = "JIU"
        data = try folder.load([.movements], config: config)
        XCTAssertEqual(data.issues.map(\.line), [2, 3])
        XCTAssertTrue(data.issues.allSatisfy { $0.code == .oldPartInWrongWarehouse })
        XCTAssertEqual(data.counts("movements.csv"), RowCounts(read: 3, accepted: 1, warned: 2, duplicate: 0, rejected: 0))
    }

    func testMovementBeforePeriod() throws {
        let folder = InputFolder()
        folder.write("movements.csv", csv(
            movementsHeader,
            "M1,1,2026-09-30,NEW,P1,PURCHASE,1,2,",   // 2 before October
            "M1,2,2026-10-01,NEW,P1,PURCHASE,1,2,",   // 3
            "M1,3,2026-11-01,NEW,P1,PURCHASE,1,2,",   // 4 after: silently left to a later run
            "M1,4,2025-10-15,OLD,P1,OLD_PART_IN,1,,R" // 5 a year before
        ))
        let data = try folder.load([.movements], period: Month(year: 2026, month: 10))
        XCTAssertTrue(data.issues.isEmpty)   // history, not an issue (SPEC §8.1)
        XCTAssertEqual(data.files.map(\.beforePeriod), [2])   // lines 2 and 5
        XCTAssertEqual(data.counts("movements.csv"), RowCounts(read: 4, accepted: 4, warned: 0, duplicate: 0, rejected: 0))
        XCTAssertEqual(data.movements.count, 4)   // still read: old parts count them

        XCTAssertEqual(try folder.load([.movements]).files.map(\.beforePeriod), [0])   // no period, nothing counted
    }

    func testDuplicateFileIsSkippedWholeAtLineZero() throws {
        let folder = InputFolder()
        let text = csv(ordersHeader, "A1,1,2026-10-05,D1,P1,2,10,,phone,open,", "A1,2,2026-10-05,D1,P1,0,10,,phone,open,")
        folder.write("orders-1.csv", text)
        folder.write("orders-2.csv", text)
        folder.write("parts.csv", "part_no,part_name\n")
        let data = try folder.load([.orders])
        let dup = data.issues(.duplicateFile)
        XCTAssertEqual(dup.count, 1)
        XCTAssertEqual(dup[0].file, "orders-2.csv")
        XCTAssertEqual(dup[0].line, 0)
        XCTAssertEqual(dup[0].column, "")
        XCTAssertEqual(dup[0].severity, .warning)
        XCTAssertTrue(dup[0].message.contains("orders-1.csv"), dup[0].message)
        // The first file's rows only: one accepted, one rejected.
        XCTAssertEqual(data.orders.count, 1)
        XCTAssertEqual(data.issues(.wrongSign).map(\.file), ["orders-1.csv"])
        XCTAssertTrue(data.duplicates.isEmpty)
        XCTAssertEqual(data.counts("orders-2.csv"), RowCounts(read: 0, accepted: 0, warned: 0, duplicate: 0, rejected: 0))
        // A parts master without rows knows no part: P1 is warned about.
        XCTAssertEqual(data.counts("orders-1.csv"), RowCounts(read: 2, accepted: 0, warned: 1, duplicate: 0, rejected: 1))
        XCTAssertEqual(data.issues(.unknownPart).map(\.file), ["orders-1.csv"])
        let files = Dictionary(uniqueKeysWithValues: data.files.map { ($0.name, $0) })
        XCTAssertEqual(files["orders-2.csv"]?.sameContentAs, "orders-1.csv")
        XCTAssertNil(files["orders-1.csv"]?.sameContentAs)
        XCTAssertEqual(files["orders-1.csv"]?.sha256, files["orders-2.csv"]?.sha256)
        XCTAssertEqual(files["orders-1.csv"]?.bytes, text.utf8.count)
        // sha256 of "part_no,part_name\n", from sha256sum.
        XCTAssertEqual(files["parts.csv"]?.sha256, "009c36089317b52835212f7bbf4ef9aaa1657ee433aec089e96a9d3eac441c88")
    }
}

final class LoaderLineNumberTests: XCTestCase {
    func testNumberedPerParentWithoutALineNoColumn() throws {
        let folder = InputFolder()
        folder.write("orders.csv", csv(
            "order_no,order_date,dealer_id,part_no,qty,unit_price,status,ship_date",
            "A1,2026-10-05,D1,P1,1,1,open,",       // A1/1
            "B1,2026-10-05,D1,P1,1,1,open,",       // B1/1
            "A1,2026-13-05,D1,P1,1,1,open,",       // A1/2, rejected but counted
            ",,,,,,,",                             // all empty: not read, not counted
            "A1,2026-10-05,D1,P2,1,1,open,",       // A1/3
            "B1,2026-10-05,D1,P2,1,1,open",        // B1/2, field count, still counted
            "B1,2026-10-05,D1,P3,1,1,open,"        // B1/3
        ))
        folder.write("repairs.csv", csv(
            "repair_no,repair_date,dealer_id,product_model,warranty",
            "R1,2026-10-04,D1,M1,Y",
            "R1,2026-10-04,D1,M1,N"
        ))
        folder.write("movements-1.csv", csv(
            "doc_no,doc_date,warehouse,part_no,move_type,qty,unit_cost",
            "M1,2026-10-03,NEW,P1,PURCHASE,1,1",
            "M1,2026-10-03,NEW,P2,PURCHASE,1,1"
        ))
        // Numbering restarts in each file.
        folder.write("movements-2.csv", csv(
            "doc_no,doc_date,warehouse,part_no,move_type,qty,unit_cost",
            "M1,2026-10-03,NEW,P3,PURCHASE,1,1"
        ))
        let data = try folder.load([.orders, .repairs, .movements])
        XCTAssertEqual(data.orders.map { "\($0.orderNo)/\($0.lineNo)" }, ["A1/1", "B1/1", "A1/3", "B1/3"])
        XCTAssertEqual(data.repairs.map(\.lineNo), ["1", "2"])
        // movements-2.csv's M1/1 has the key of movements-1.csv's M1/1 with other content.
        XCTAssertEqual(data.movements.map { "\($0.partNo)/\($0.lineNo)" }, ["P1/1", "P2/2"])
        assertIssue(data, file: "movements-2.csv", line: 2, code: .duplicateConflict, column: "doc_no")
    }

    func testEmptyLineNoTakesTheNextNumberOfItsParent() throws {
        let folder = InputFolder()
        folder.write("orders.csv", csv(
            ordersHeader,
            "A1,10,2026-10-05,D1,P1,1,1,,,open,",   // A1: 1st row, line_no 10
            "A1,,2026-10-05,D1,P2,1,1,,,open,",     // A1: 2nd row → "2"
            "B1, ,2026-10-05,D1,P1,1,1,,,open,",    // B1: 1st row, spaces only → "1"
            "A1,,2026-10-05,D1,P3,1,1,,,open,"      // A1: 3rd row → "3"
        ))
        let data = try folder.load([.orders])
        XCTAssertEqual(data.orders.map { "\($0.orderNo)/\($0.lineNo)" }, ["A1/10", "A1/2", "B1/1", "A1/3"])
        XCTAssertTrue(data.issues.isEmpty)
    }

    /// Rows before the first empty line_no are only logged per run of one parent; the first number
    /// asked for adds up the runs, a parent's runs that do not follow each other included.
    func testEmptyLineNoAfterRunsOfParentsCountsEveryEarlierRow() throws {
        let folder = InputFolder()
        folder.write("orders.csv", csv(
            ordersHeader,
            "A1,10,2026-10-05,D1,P1,1,1,,,open,",   // A1: 1st row
            "A1,11,2026-10-05,D1,P2,1,1,,,open,",   // A1: 2nd row
            "B1,1,2026-10-05,D1,P1,1,1,,,open,",    // B1: 1st row
            "A1,12,2026-10-05,D1,P3,1,1,,,open,",   // A1: 3rd row, a second run
            "B1,2,2026-10-05,D1,P2,1,1,,,open",     // B1: 2nd row, field count, still counted
            "A1,,2026-10-05,D1,P4,1,1,,,open,",     // A1: 4th row → "4"
            "B1,,2026-10-05,D1,P3,1,1,,,open,",     // B1: 3rd row → "3"
            "C1,7,2026-10-05,D1,P1,1,1,,,open,",    // C1: 1st row, counted after indexing
            "C1,,2026-10-05,D1,P2,1,1,,,open,"      // C1: 2nd row → "2"
        ))
        let data = try folder.load([.orders])
        XCTAssertEqual(data.orders.map { "\($0.orderNo)/\($0.lineNo)" },
                       ["A1/10", "A1/11", "B1/1", "A1/12", "A1/4", "B1/3", "C1/7", "C1/2"])
        XCTAssertEqual(data.issues.map(\.code), [.fieldCount])
    }
}

final class LoaderHeaderTests: XCTestCase {
    func testChineseLabels() throws {
        let folder = InputFolder()
        folder.write("orders.csv", csv(
            "订单号,订单日期,网点编码,配件编码,数量,单价,金额,订货方式,状态,发货日期",
            "A1,2026/10/5,D1,P1,2,10,,电话,已发货,2026年10月6日",
            "A1,2026/10/5,D1,P2,1,,15,电话,未发货,",
            "A2,20261005,D2,P1,1,10,,,已取消,"
        ))
        folder.write("movements.csv", csv(
            "单据号,行号,单据日期,仓库,配件编码,业务类型,数量,单位成本,关联单号",
            "M1,1,2026-10-03,NEW,P1,采购入库,10,5,",
            "M1,2,2026-10-03,NEW,P1,三包出库,1,,R1"
        ))
        let data = try folder.load([.orders, .movements])
        XCTAssertTrue(data.issues.isEmpty, "\(data.issues)")
        XCTAssertEqual(data.orders.map(\.status), [.shipped, .open, .cancelled])
        XCTAssertEqual(data.orders.map { "\($0.orderNo)/\($0.lineNo)" }, ["A1/1", "A1/2", "A2/1"])
        XCTAssertEqual(data.orders[0].shipDate?.description, "2026-10-06")
        XCTAssertEqual(data.orders[0].orderDate.description, "2026-10-05")
        XCTAssertEqual(data.orders[0].channel, "电话")
        XCTAssertEqual(data.orders[1].amount.cents, 1500)
        XCTAssertEqual(data.movements.map(\.type), [.purchase, .warranty])
    }

    func testCanonicalIdsIgnoringCaseAndSpacesAndExtraColumns() throws {
        let folder = InputFolder()
        folder.write("orders.csv", csv(
            " Order_No ,REMARK,order_date,Dealer_ID,\tpart_no,QTY,unit_price,Status,ship_date,amount",
            "A1,\"anything, even ¥x.5.\",2026-10-05,D1,P1,2,10,OPEN,,"
        ))
        let data = try folder.load([.orders])
        XCTAssertTrue(data.issues.isEmpty, "\(data.issues)")
        XCTAssertEqual(data.orders.count, 1)
        XCTAssertEqual(data.orders[0].orderNo, "A1")
        XCTAssertEqual(data.orders[0].amount.cents, 2000)
    }

    func testConfigColumnsMappingAndDefaults() throws {
        let folder = InputFolder()
        folder.write("orders.csv", csv(
            "InvoiceNo,Date,Customer,Item,Qty,Price,Remark",
            "INV1,2026-10-05,D1,P1,2,10,x",
            "INV2,2026-10-06,D1,P1,1,10,"
        ))
        var options = InputOptions()
        // Two ids may name the same header: the invoice date is the ship date.
        options.columns = ["order_no": "InvoiceNo", "order_date": "Date", "ship_date": " date ",
                           "dealer_id": "Customer", "part_no": "Item", "unit_price": "PRICE"]
        options.defaults = ["status": "shipped", "channel": "invoice"]
        var config = Config()
        config.inputs[.orders] = options
        let data = try folder.load([.orders], config: config)
        XCTAssertTrue(data.issues.isEmpty, "\(data.issues)")
        XCTAssertEqual(data.orders.map(\.orderNo), ["INV1", "INV2"])
        XCTAssertEqual(data.orders.map(\.status), [.shipped, .shipped])
        XCTAssertEqual(data.orders.map { $0.shipDate?.description }, ["2026-10-05", "2026-10-06"])
        XCTAssertEqual(data.orders.map(\.channel), ["invoice", "invoice"])
        XCTAssertEqual(data.orders.map(\.amount.cents), [2000, 1000])
        XCTAssertEqual(data.orders.map(\.lineNo), ["1", "1"])
    }

    func testADefaultDoesNotOverrideAColumnTheFileHas() throws {
        let folder = InputFolder()
        folder.write("orders.csv", csv(
            "order_no,order_date,dealer_id,part_no,qty,unit_price,status",
            "A1,2026-10-05,D1,P1,1,1,open"
        ))
        var options = InputOptions()
        options.defaults = ["status": "shipped"]
        var config = Config()
        config.inputs[.orders] = options
        XCTAssertEqual(try folder.load([.orders], config: config).orders.map(\.status), [.open])
    }

    func testABadDefaultIsRejectedLikeAValue() throws {
        let folder = InputFolder()
        folder.write("orders.csv", csv("order_no,order_date,dealer_id,part_no,qty,unit_price", "A1,2026-10-05,D1,P1,1,1"))
        var options = InputOptions()
        options.defaults = ["status": "sent"]
        var config = Config()
        config.inputs[.orders] = options
        let data = try folder.load([.orders], config: config)
        assertIssue(data, file: "orders.csv", line: 2, code: .unknownStatus, column: "status")
    }

    func testMissingRequiredColumnIsFatal() {
        let folder = InputFolder()
        folder.write("orders.csv", csv("order_no,order_date,dealer_id,part_no,unit_price,status", "A1,2026-10-05,D1,P1,1,open"))
        XCTAssertThrowsError(try folder.load([.orders])) { error in
            XCTAssertEqual(error as? IngestError, .missingColumn(file: "orders.csv", column: "qty", label: "数量"))
            XCTAssertTrue("\(error)".contains("orders.csv"))
        }
        // A file of a kind the command does not read is not looked at.
        let other = InputFolder()
        other.write("orders.csv", csv("order_no,order_date,dealer_id,part_no,qty,unit_price,status", "A1,2026-10-05,D1,P1,1,1,open"))
        other.write("movements.csv", csv("doc_no", "M1"))
        XCTAssertNoThrow(try other.load([.orders]))
        XCTAssertThrowsError(try other.load([.movements])) { error in
            XCTAssertEqual(error as? IngestError, .missingColumn(file: "movements.csv", column: "doc_date", label: "单据日期"))
        }
    }

    func testMasterWithMissingColumnIsFatalForEveryCommand() {
        let folder = InputFolder()
        folder.write("parts.csv", csv("part_no", "P1"))
        folder.write("orders.csv", csv("order_no,order_date,dealer_id,part_no,qty,unit_price,status", "A1,2026-10-05,D1,P1,1,1,open"))
        XCTAssertThrowsError(try folder.load([.orders])) { error in
            XCTAssertEqual(error as? IngestError, .missingColumn(file: "parts.csv", column: "part_name", label: "配件名称"))
        }
    }

    /// The masters are parsed while the other files are examined; an unreadable file of pass 1 is still
    /// reported before a master's parse failure, and a master's failure before any other kind's.
    func testPassOneFailureIsReportedBeforeAMastersParseFailure() throws {
        let folder = InputFolder()
        folder.write("parts.csv", csv("part_no", "P1"))
        try FileManager.default.createDirectory(atPath: folder.path + "/orders.csv", withIntermediateDirectories: false)
        XCTAssertThrowsError(try folder.load([.orders])) { error in
            guard case .unreadable(let file, _)? = error as? IngestError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, "orders.csv")
        }
        try FileManager.default.removeItem(atPath: folder.path + "/orders.csv")
        folder.write("orders.csv", "")
        XCTAssertThrowsError(try folder.load([.orders])) { error in
            XCTAssertEqual(error as? IngestError, .missingColumn(file: "parts.csv", column: "part_name", label: "配件名称"))
        }
    }

    func testEmptyFileHasNoHeader() {
        let folder = InputFolder()
        folder.write("orders.csv", "")
        XCTAssertThrowsError(try folder.load([.orders])) { error in
            XCTAssertEqual(error as? IngestError, .noHeader(file: "orders.csv"))
        }
    }

    func testHeaderOnlyFileIsFine() throws {
        let folder = InputFolder()
        folder.write("orders.csv", ordersHeader)   // no final line end either
        let data = try folder.load([.orders])
        XCTAssertEqual(data.files.map(\.name), ["orders.csv"])
        XCTAssertEqual(data.counts("orders.csv")?.read, 0)
    }
}

final class LoaderFormatTests: XCTestCase {
    private let dealersText = "dealer_id,dealer_name,region\nD1,华东服务站,华东\nD2,\"北京, 海淀\",华北\n"

    func testGB18030IsDetected() throws {
        let folder = InputFolder()
        let bytes = gb18030(dealersText)
        XCTAssertNotEqual(bytes, Array(dealersText.utf8))
        folder.write("dealers.csv", bytes: bytes)
        folder.write("orders.csv", bytes: gb18030(csv("订单号,订单日期,网点编码,配件编码,数量,单价,状态", "A1,2026-10-05,D1,P1,1,1,未发货")))
        let data = try folder.load([.orders])
        XCTAssertEqual(data.files.map(\.encoding), [.gb18030, .gb18030])
        XCTAssertEqual(data.dealers["D1"]?.name, "华东服务站")
        XCTAssertEqual(data.dealers["D2"]?.name, "北京, 海淀")
        XCTAssertEqual(data.dealers["D1"]?.region, "华东")
        XCTAssertEqual(data.orders.map(\.status), [.open])
        XCTAssertTrue(data.issues.isEmpty)
    }

    func testUTF8IsDetected() throws {
        let folder = InputFolder()
        folder.write("dealers.csv", dealersText)
        let data = try folder.load([])
        XCTAssertEqual(data.files.map(\.encoding), [.utf8])
        XCTAssertEqual(data.dealers["D1"]?.name, "华东服务站")
    }

    func testForcedEncoding() throws {
        let folder = InputFolder()
        folder.write("dealers.csv", bytes: gb18030(dealersText))
        var options = InputOptions()
        options.encoding = .utf8
        var config = Config()
        config.inputs[.dealers] = options
        var data = try folder.load([], config: config)
        XCTAssertEqual(data.files.map(\.encoding), [.utf8])
        let name = try XCTUnwrap(data.dealers["D1"]?.name)
        XCTAssertNotEqual(name, "华东服务站")
        XCTAssertTrue(name.contains("\u{FFFD}"), name)

        config.inputs[.dealers]?.encoding = .gb18030
        data = try folder.load([], config: config)
        XCTAssertEqual(data.files.map(\.encoding), [.gb18030])
        XCTAssertEqual(data.dealers["D1"]?.name, "华东服务站")
    }

    func testInvalidEvenAsGB18030IsFatal() {
        let folder = InputFolder()
        // "dealer_id,dealer_name\nD1," is 25 bytes; 0x81 0x20 is no GB18030 sequence.
        folder.write("dealers.csv", bytes: Array("dealer_id,dealer_name\nD1,".utf8) + [0x81, 0x20, 0x78, 0x0A])
        XCTAssertThrowsError(try folder.load([])) { error in
            XCTAssertEqual(error as? IngestError, .invalidEncoding(file: "dealers.csv", line: 2, byteOffset: 25))
        }
    }

    func testBOMAndCRLF() throws {
        let folder = InputFolder()
        let text = "\u{FEFF}" + ordersHeader + "\r\n"
            + "A1,1,2026-10-05,D1,P1,2,10,,\"two\r\nlines\",open,\r\n"
            + "A1,2,2026-10-05,D1,P1,0,10,,,open,\r\n"
            + "A1,3,2026-10-05,D1,P1,1,10,,,shipped,2026-10-06\r\n"
        folder.write("orders.csv", text)
        let data = try folder.load([.orders])
        assertIssue(data, file: "orders.csv", line: 4, code: .wrongSign, column: "qty")
        XCTAssertEqual(data.issues.count, 1)
        XCTAssertEqual(data.orders.map(\.orderNo), ["A1", "A1"])
        XCTAssertEqual(data.orders.map(\.ref.line), [2, 5])
        XCTAssertEqual(data.orders[0].channel, "two\r\nlines")
        XCTAssertNil(data.orders[0].shipDate)
        XCTAssertEqual(data.orders[1].shipDate?.description, "2026-10-06")
        XCTAssertEqual(data.files[0].encoding, .utf8)
    }

    func testSemicolonsDecimalCommasAndADayFirstPattern() throws {
        let folder = InputFolder()
        folder.write("orders.csv", csv(
            "order_no;line_no;order_date;dealer_id;part_no;qty;unit_price;amount;channel;status;ship_date",
            "A1;1;05.10.2026;D1;P1;1,5;1.234,50;;fax, mail;shipped;06.10.2026 14:30",   // 2
            "A1;2;5.10.2026;D1;P1;2;0,5;1,00;fax;open;",                                // 3
            "A1;3;2026-10-05;D1;P1;2;0,5;;fax;open;",                                   // 4 not the pattern's form
            "A1;4;05.10.2026;D1;P1;2.5;1;;fax;open;",                                   // 5 "." groups thousands now
            "A1;5;05.10.2026;D1;P1;\"2,5\";\"¥1.000\";;fax;open;"                       // 6
        ))
        var options = InputOptions()
        options.delimiter = UInt8(ascii: ";")
        options.decimalMark = UInt8(ascii: ",")
        options.dateFormat = "%d.%m.%Y"
        var config = Config()
        config.inputs[.orders] = options
        let data = try folder.load([.orders], config: config)
        assertIssue(data, file: "orders.csv", line: 4, code: .badDate, column: "order_date")
        assertIssue(data, file: "orders.csv", line: 5, code: .badNumber, column: "qty")
        XCTAssertEqual(data.issues.count, 2)
        XCTAssertEqual(data.orders.map(\.lineNo), ["1", "2", "5"])
        XCTAssertEqual(data.orders[0].qty, Quantity(milli: 1500))
        XCTAssertEqual(data.orders[0].unitPrice, UnitPrice(mantissa: 123_450, scale: 2))
        XCTAssertEqual(data.orders[0].amount.cents, 185_175)    // 1.5 × 1234.50 = 1851.75
        XCTAssertEqual(data.orders[0].channel, "fax, mail")
        XCTAssertEqual(data.orders[0].orderDate.description, "2026-10-05")
        XCTAssertEqual(data.orders[0].shipDate?.description, "2026-10-06")
        XCTAssertEqual(data.orders[1].amount.cents, 100)
        XCTAssertEqual(data.orders[2].amount.cents, 250_000)    // 2.5 × 1000
    }

    func testOptionsFromAConfigFile() throws {
        // The whole path: TOML text → Config → Loader, for an export of another ERP read unedited.
        let config = try Config.parse("""
            [inputs.orders]
            delimiter = ";"
            decimal_mark = ","
            date_format = "%d/%m/%Y"
            [inputs.orders.columns]
            order_no = "Rechnung"
            order_date = "Datum"
            ship_date = "Datum"
            dealer_id = "Kunde"
            part_no = "Artikel"
            qty = "Menge"
            amount = "Betrag"
            [inputs.orders.defaults]
            status = "shipped"
            """, source: "aftersales.toml")
        let folder = InputFolder()
        folder.write("orders.csv", csv("Rechnung;Datum;Kunde;Artikel;Menge;Betrag", "R-7;31/10/2026;D1;P1;3;1.000,00"))
        let data = try folder.load([.orders], config: config)
        XCTAssertTrue(data.issues.isEmpty, "\(data.issues)")
        let line = try XCTUnwrap(data.orders.first)
        XCTAssertEqual(line.orderDate.description, "2026-10-31")
        XCTAssertEqual(line.shipDate, line.orderDate)
        XCTAssertEqual(line.amount.cents, 100_000)
        XCTAssertEqual(line.unitPrice.description, "333.3333")
        XCTAssertEqual(line.status, .shipped)
    }

    func testTabDelimiter() throws {
        let folder = InputFolder()
        folder.write("dealers.csv", "dealer_id\tdealer_name\tregion\nD1\tStation, One\t East \n")
        var options = InputOptions()
        options.delimiter = 0x09
        var config = Config()
        config.inputs[.dealers] = options
        let data = try folder.load([], config: config)
        XCTAssertEqual(data.dealers["D1"]?.name, "Station, One")
        XCTAssertEqual(data.dealers["D1"]?.region, "East")
    }

    func testAllEmptyRowsAreSkippedAndNotRead() throws {
        let folder = InputFolder()
        folder.write("orders.csv", csv(
            "",                                                  // 1 blank before the header
            "order_no,order_date,dealer_id,part_no,qty,unit_price,status",  // 2
            "A1,2026-10-05,D1,P1,1,1,open",                      // 3
            ",,,,,,",                                            // same field count
            ",,,",                                               // fewer fields
            ",,,,,,,,,,",                                        // more fields
            "",                                                  // blank line
            "\"\",\"  \",  ,\t,,,",                              // quoted empties and spaces
            "A1,2026-10-05,D1,P2,1,1,open",                      // 9
            ",,,,,,"
        ))
        let data = try folder.load([.orders])
        XCTAssertTrue(data.issues.isEmpty, "\(data.issues)")
        XCTAssertEqual(data.orders.map(\.ref.line), [3, 9])
        XCTAssertEqual(data.orders.map(\.lineNo), ["1", "2"])
        XCTAssertEqual(data.counts("orders.csv"), RowCounts(read: 2, accepted: 2, warned: 0, duplicate: 0, rejected: 0))
    }

    func testOnlyAmountGivesAnExactUnitPrice() throws {
        let folder = InputFolder()
        folder.write("orders.csv", csv(
            ordersHeader,
            "A1,1,2026-10-05,D1,P1,3,,100,,open,",          // 100 / 3
            "A1,2,2026-10-05,D1,P1,2.5,,957.5775,,open,",   // rounded on read to 957.58; / 2.5 = 383.032
            "A1,3,2026-10-05,D1,P1,1,957.5775,957.5775,,open,", // the price keeps its 4 decimals
            "A1,4,2026-10-05,D1,P1,7,,¥1,,open,"            // 1.00 / 7
        ))
        let data = try folder.load([.orders])
        XCTAssertTrue(data.issues.isEmpty, "\(data.issues)")
        let o = data.orders
        XCTAssertEqual(o[0].unitPrice, UnitPrice(numerator: 100, denominator: 3))
        XCTAssertEqual(o[0].amount.cents, 10_000)
        XCTAssertEqual(o[0].unitPrice.description, "33.3333")
        XCTAssertEqual(o[1].amount.cents, 95_758)
        XCTAssertEqual(o[1].unitPrice, UnitPrice(mantissa: 383_032, scale: 3))
        XCTAssertEqual(o[2].unitPrice, UnitPrice(mantissa: 9_575_775, scale: 4))
        XCTAssertEqual(o[2].amount.cents, 95_758)
        // The line amount stays what the file said, though 7 × round4(1/7) would not give it back.
        XCTAssertEqual(o[3].amount.cents, 100)
        XCTAssertEqual(o[3].unitPrice, UnitPrice(numerator: 1, denominator: 7))
    }

    func testMoneyIsRoundedOnRead() throws {
        let folder = InputFolder()
        folder.write("opening.csv", csv(
            "warehouse,part_no,qty,value",
            "NEW,P1,1,957.5775",
            "NEW,P2,1,-0.005",
            "NEW,P3,1,0.004999",
            "NEW,P4,1,\"¥1,234.565\"",
            "NEW,P5,1,0.0000001"      // 7 decimals: bad, not rounded
        ))
        let data = try folder.load([.opening])
        XCTAssertEqual(data.openings.map(\.value.cents), [95_758, -1, 0, 123_457])
        assertIssue(data, file: "opening.csv", line: 6, code: .badNumber, column: "value")
    }

    func testFilesOfOneKindInCodePointOrder() throws {
        let folder = InputFolder()
        for name in ["orders-B.csv", "orders-a.csv", "orders-10.csv", "orders-9.csv", "ordersZ.csv",
                     "Orders-x.csv", "orders.txt", "notes.csv", "my-orders.csv", "orders-é.csv"] {
            folder.write(name, csv("order_no,order_date,dealer_id,part_no,qty,unit_price,status", "\(name),2026-10-05,D1,P1,1,1,open"))
        }
        let data = try folder.load([.orders])
        let expected = ["orders-10.csv", "orders-9.csv", "orders-B.csv", "orders-a.csv", "orders-é.csv", "ordersZ.csv"]
        XCTAssertEqual(data.files.map(\.name), expected)
        XCTAssertEqual(data.orders.map(\.orderNo), expected)
        XCTAssertEqual(data.orders.map(\.ref.file), [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(try Loader(directory: folder.path, config: Config()).discover()[.orders], expected)
    }

    func testOnlyTheNeededKindsAndTheMastersAreRead() throws {
        let folder = InputFolder()
        folder.write("parts.csv", csv("part_no,part_name", "P1,Filter"))
        folder.write("faults.csv", csv("fault_code,fault_category,description", "F1,Engine,Will not start"))
        folder.write("fleet.csv", csv("product_model,month,units", "M1,2026-10,500"))
        folder.write("orders.csv", csv("order_no,order_date,dealer_id,part_no,qty,unit_price,status", "A1,2026-10-05,D1,P1,1,1,open"))
        folder.write("movements.csv", csv(movementsHeader, "M1,1,2026-10-03,NEW,P1,SALE,1,,A1"))
        let data = try folder.load([.orders])
        XCTAssertEqual(data.files.map(\.kind), [.parts, .faults, .fleet, .orders])
        XCTAssertEqual(data.kindsPresent, [.parts, .faults, .fleet, .orders])
        XCTAssertTrue(data.movements.isEmpty)
        XCTAssertEqual(data.faults["F1"]?.category, "Engine")
        XCTAssertEqual(data.fleet[Dataset.FleetKey(productModel: "M1", month: Month(year: 2026, month: 10)!)], 500)
    }
}

final class LoaderAccountingTests: XCTestCase {
    func testReadEqualsAcceptedWarnedDuplicateRejectedPerFile() throws {
        let folder = InputFolder()
        folder.write("parts.csv", csv("part_no,part_name", "P1,Filter"))
        folder.write("dealers.csv", csv("dealer_id,dealer_name", "D1,Station"))
        folder.write("orders-1.csv", csv(
            ordersHeader,
            "A1,1,2026-10-05,D1,P1,1,1,,,open,",       // accepted
            "A1,2,2026-10-05,D9,P9,1,1,5,,open,",      // warned three times, counted once
            "A1,1,2026-10-05,D1,P1,1,1.0,,,open,",     // duplicate
            "A1,3,2026-10-05,D1,P1,1,1,,,shipped,",    // rejected
            "",
            ",,,,,,,,,,"
        ))
        folder.write("orders-2.csv", csv(
            ordersHeader,
            "A1,2,2026-10-05,D9,P9,1,1,5,,open,",      // duplicate of a warned row: no new warnings
            "A1,4,2026-10-05,D1,P1,1,1,,,open,"
        ))
        let data = try folder.load([.orders])
        XCTAssertEqual(data.counts("orders-1.csv"), RowCounts(read: 4, accepted: 1, warned: 1, duplicate: 1, rejected: 1))
        XCTAssertEqual(data.counts("orders-2.csv"), RowCounts(read: 2, accepted: 1, warned: 0, duplicate: 1, rejected: 0))
        XCTAssertEqual(data.issues.filter { $0.severity == .warning }.count, 3)
        XCTAssertEqual(data.issues.filter { $0.line == 3 }.map(\.code), [.amountMismatch, .unknownDealer, .unknownPart])
        for (file, counts) in zip(data.files, data.rowCounts()) {
            XCTAssertEqual(counts.read, counts.accepted + counts.warned + counts.duplicate + counts.rejected, file.name)
        }
        XCTAssertEqual(data.orders.count, 3)
    }
}

final class FixtureTests: XCTestCase {
    /// The `all-kinds` fixture: one small file of every kind, canonical headers, a few bad rows.
    func testAllKindsFixture() throws {
        let root = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let dir = root.appendingPathComponent("all-kinds").path
        let data = try Loader(directory: dir, config: Config(), period: Month(year: 2026, month: 10))
            .load(Set(InputKind.allCases))
        XCTAssertEqual(data.files.map(\.name), ["parts.csv", "dealers.csv", "faults.csv", "fleet.csv", "orders.csv",
                                                "movements.csv", "opening.csv", "counts.csv", "repairs.csv"])
        XCTAssertEqual(data.parts.count, 3)
        XCTAssertEqual(data.parts["P-100"]?.listPrice, UnitPrice(mantissa: 1250, scale: 2))
        XCTAssertEqual(data.parts["P-300"]?.supplier, "Ningbo Seals")
        XCTAssertEqual(data.dealers.count, 2)
        XCTAssertEqual(data.faults.count, 2)
        XCTAssertEqual(data.fleet.count, 2)
        XCTAssertEqual(data.orders.count, 3)
        XCTAssertEqual(data.movements.count, 5)
        XCTAssertEqual(data.openings.count, 2)
        XCTAssertEqual(data.counts.count, 2)
        XCTAssertEqual(data.repairs.count, 3)
        XCTAssertEqual(data.issues.map { "\($0.file):\($0.line):\($0.column):\($0.code.rawValue)" }, [
            "orders.csv:4:ship_date:missing_ship_date",
            "orders.csv:5:dealer_id:unknown_dealer",
            "movements.csv:3:warehouse:old_part_in_wrong_warehouse",
            "movements.csv:7:move_type:unknown_move_type",
            "repairs.csv:3:part_no:unknown_part",
        ])
        XCTAssertEqual(data.rowCounts(), [
            RowCounts(read: 3, accepted: 3, warned: 0, duplicate: 0, rejected: 0),   // parts
            RowCounts(read: 2, accepted: 2, warned: 0, duplicate: 0, rejected: 0),   // dealers
            RowCounts(read: 2, accepted: 2, warned: 0, duplicate: 0, rejected: 0),   // faults
            RowCounts(read: 2, accepted: 2, warned: 0, duplicate: 0, rejected: 0),   // fleet
            RowCounts(read: 4, accepted: 2, warned: 1, duplicate: 0, rejected: 1),   // orders
            RowCounts(read: 6, accepted: 4, warned: 1, duplicate: 0, rejected: 1),   // movements
            RowCounts(read: 3, accepted: 2, warned: 0, duplicate: 1, rejected: 0),   // opening
            RowCounts(read: 2, accepted: 2, warned: 0, duplicate: 0, rejected: 0),   // counts
            RowCounts(read: 3, accepted: 2, warned: 1, duplicate: 0, rejected: 0),   // repairs
        ])
        XCTAssertEqual(data.files.first { $0.name == "movements.csv" }?.beforePeriod, 1)   // line 6, PI-0 of 2026-09-28
        let shipped = data.orders.first { $0.status == .shipped }
        XCTAssertEqual(shipped?.amount.cents, 3750)   // 3 × 12.50
        XCTAssertEqual(data.repairs.map(\.qty.milli), [1000, 2000, 0])
    }
}
