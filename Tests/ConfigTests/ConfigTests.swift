import XCTest
import Core
@testable import Config

final class ConfigTests: XCTestCase {
    private func parse(_ text: String) throws -> Config { try Config.parse(text, source: "aftersales.toml") }

    /// The error's message, or a failure when the text parses.
    private func error(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try Config.parse(text, source: "aftersales.toml")
            XCTFail("expected a config error", file: file, line: line)
            return ""
        } catch {
            XCTAssertTrue(error.description.hasPrefix("aftersales.toml: "), error.description, file: file, line: line)
            return error.description
        }
    }

    func testDefaults() throws {
        for config in [Config(), try parse(""), try parse("# only a comment\n")] {
            XCTAssertEqual(config.company, "")
            XCTAssertEqual(config.costing, .monthlyAverage)
            XCTAssertEqual(config.oldPartsWarehouse, "OLD")
            XCTAssertEqual(config.timezone, "Asia/Shanghai")
            XCTAssertEqual(config.locale, "zh-CN")
            XCTAssertEqual(config.tolerance.qtyAbs, .zero)
            XCTAssertEqual(config.tolerance.qtyPct, .zero)
            XCTAssertEqual(config.tolerance.valueAbs, .zero)
            XCTAssertTrue(config.inputs.isEmpty)
            XCTAssertEqual(config.receivables.creditDays, 30)
            XCTAssertEqual(config.receivables.dunningMinAmount, Money(cents: 1))
            let orders = config.options(for: .orders)
            XCTAssertEqual(orders.encoding, .auto)
            XCTAssertEqual(orders.delimiter, UInt8(ascii: ","))
            XCTAssertEqual(orders.decimalMark, UInt8(ascii: "."))
            XCTAssertNil(orders.dateFormat)
            XCTAssertTrue(orders.columns.isEmpty)
            XCTAssertTrue(orders.defaults.isEmpty)
        }
    }

    func testEveryKey() throws {
        let config = try parse("""
            company = "华东机械有限公司"
            costing = "fifo"
            old_parts_warehouse = "JIU"
            timezone = "Europe/Berlin"
            locale = "en"

            [tolerance]
            qty_abs = 2
            qty_pct = 0.5
            value_abs = 10.5

            [inputs.orders]
            encoding = "gb18030"
            delimiter = ";"
            decimal_mark = ","
            date_format = "%d/%m/%Y"

            [inputs.orders.columns]
            order_no = "InvoiceNo"
            order_date = "Date"
            ship_date = "Date"

            [inputs.orders.defaults]
            status = "shipped"

            [inputs.movements]
            encoding = "UTF-8"
            delimiter = "\\t"
            date_format = ""
            """)
        XCTAssertEqual(config.company, "华东机械有限公司")
        XCTAssertEqual(config.costing, .fifo)
        XCTAssertEqual(config.oldPartsWarehouse, "JIU")
        XCTAssertEqual(config.timezone, "Europe/Berlin")
        XCTAssertEqual(config.locale, "en")
        XCTAssertEqual(config.tolerance.qtyAbs, Quantity(milli: 2000))
        XCTAssertEqual(config.tolerance.qtyPct, ExactDecimal(mantissa: 5, scale: 1))
        XCTAssertEqual(config.tolerance.valueAbs, Money(cents: 1050))

        let orders = config.options(for: .orders)
        XCTAssertEqual(orders.encoding, .gb18030)
        XCTAssertEqual(orders.delimiter, UInt8(ascii: ";"))
        XCTAssertEqual(orders.decimalMark, UInt8(ascii: ","))
        XCTAssertEqual(orders.dateFormat, "%d/%m/%Y")
        XCTAssertEqual(orders.columns, ["order_no": "InvoiceNo", "order_date": "Date", "ship_date": "Date"])
        XCTAssertEqual(orders.defaults, ["status": "shipped"])

        let movements = config.options(for: .movements)
        XCTAssertEqual(movements.encoding, .utf8)
        XCTAssertEqual(movements.delimiter, 0x09)
        XCTAssertEqual(movements.decimalMark, UInt8(ascii: "."))
        XCTAssertNil(movements.dateFormat)   // empty = the forms of §2.1

        // A kind without a table reads with the defaults.
        XCTAssertEqual(config.options(for: .repairs), InputOptions())
    }

    func testCostingMethods() throws {
        XCTAssertEqual(try parse(#"costing = "monthly-average""#).costing, .monthlyAverage)
        XCTAssertEqual(try parse(#"costing = "moving-average""#).costing, .movingAverage)
        XCTAssertEqual(try parse(#"costing = "fifo""#).costing, .fifo)
        let message = error(#"costing = "lifo""#)
        XCTAssertTrue(message.contains("costing"), message)
        XCTAssertTrue(message.contains("lifo"), message)
    }

    func testDelimiterTab() throws {
        XCTAssertEqual(try parse("[inputs.counts]\ndelimiter = \"\\t\"").options(for: .counts).delimiter, 0x09)
        XCTAssertEqual(try parse("[inputs.counts]\ndelimiter = '|'").options(for: .counts).delimiter, UInt8(ascii: "|"))
    }

    func testQtyPctIsReadExactly() throws {
        // 0.5 as a TOML float must become exactly 5/10, not 0.5000000000000001 or a rounding of it.
        XCTAssertEqual(try parse("[tolerance]\nqty_pct = 0.5").tolerance.qtyPct, ExactDecimal(mantissa: 5, scale: 1))
        XCTAssertEqual(try parse("[tolerance]\nqty_pct = 0.1").tolerance.qtyPct.exactly(places: 3), 100)
        XCTAssertEqual(try parse("[tolerance]\nqty_pct = 2.25").tolerance.qtyPct.exactly(places: 2), 225)
        XCTAssertEqual(try parse("[tolerance]\nqty_pct = 3").tolerance.qtyPct.exactly(places: 0), 3)
        XCTAssertEqual(try parse("[tolerance]\nqty_pct = \"0.75\"").tolerance.qtyPct, ExactDecimal(mantissa: 75, scale: 2))
        XCTAssertEqual(try parse("[tolerance]\nqty_abs = 0.125").tolerance.qtyAbs, Quantity(milli: 125))
        XCTAssertEqual(try parse("[tolerance]\nvalue_abs = 100").tolerance.valueAbs, Money(cents: 10_000))
        XCTAssertEqual(try parse("[tolerance]\nvalue_abs = 0.01").tolerance.valueAbs, Money(cents: 1))
    }

    func testBadToleranceValues() {
        XCTAssertTrue(error("[tolerance]\nqty_abs = -1").contains("tolerance.qty_abs"))
        XCTAssertTrue(error("[tolerance]\nqty_abs = 0.0005").contains("tolerance.qty_abs"))
        XCTAssertTrue(error("[tolerance]\nvalue_abs = 0.005").contains("tolerance.value_abs"))
        XCTAssertTrue(error("[tolerance]\nqty_pct = \"five\"").contains("tolerance.qty_pct"))
        XCTAssertTrue(error("[tolerance]\nqty_pct = true").contains("tolerance.qty_pct"))
        XCTAssertTrue(error("tolerance = 5").contains("tolerance"))
        // Bounded, so the tolerance checks stay exact.
        XCTAssertEqual(error("[tolerance]\nqty_pct = 100.5"), "aftersales.toml: tolerance.qty_pct = 100.5 must be at most 100 with at most 6 decimals")
        XCTAssertTrue(error("[tolerance]\nvalue_abs = 1000000000000.01").contains("must be at most 1000000000000"))
        XCTAssertTrue(error("[tolerance]\nqty_abs = \"0.0000001\"").contains("at most 6 decimals"))
    }

    func testUnknownKeys() {
        var message = error("compnay = \"ACME\"")
        XCTAssertTrue(message.contains("unknown key compnay"), message)

        message = error("[tolerance]\nqty_ab = 1")
        XCTAssertTrue(message.contains("unknown key tolerance.qty_ab"), message)
        // Whatever its value: a typo is reported as a typo, not as a bad number.
        message = error("[tolerance]\nqty_ab = \"one\"")
        XCTAssertTrue(message.contains("unknown key tolerance.qty_ab"), message)

        message = error("[inputs.orders]\ndelimeter = \";\"")
        XCTAssertTrue(message.contains("unknown key inputs.orders.delimeter"), message)

        message = error("[inputs.order]\ndelimiter = \";\"")
        XCTAssertTrue(message.contains("unknown key inputs.order"), message)
        XCTAssertTrue(message.contains("orders"), message)   // lists the kinds

        message = error("[inputs.orders.columns]\norder_number = \"InvoiceNo\"")
        XCTAssertTrue(message.contains("inputs.orders.columns.order_number"), message)

        message = error("[inputs.orders.defaults]\nstatuss = \"shipped\"")
        XCTAssertTrue(message.contains("inputs.orders.defaults.statuss"), message)

        // A column id of another kind is unknown for this one.
        message = error("[inputs.orders.columns]\ndoc_no = \"Beleg\"")
        XCTAssertTrue(message.contains("inputs.orders.columns.doc_no"), message)
    }

    func testWarehouseNames() throws {
        let config = try parse("[warehouses]\nNEW = \"新件库\"\nW02 = \"Spare parts, north\"")
        XCTAssertEqual(config.warehouses, ["NEW": "新件库", "W02": "Spare parts, north"])
        XCTAssertEqual(try parse("").warehouses, [:])
        XCTAssertTrue(error("[warehouses]\nNEW = 1").contains("warehouses.NEW must be a string"))
        XCTAssertTrue(error("warehouses = \"NEW\"").contains("warehouses must be a table"))
    }

    func testBadValues() {
        var message = error("[inputs.orders]\ndelimiter = \";;\"")
        XCTAssertTrue(message.contains("inputs.orders.delimiter"), message)
        XCTAssertTrue(error("[inputs.orders]\ndelimiter = \"\"").contains("inputs.orders.delimiter"))
        XCTAssertTrue(error("[inputs.orders]\ndelimiter = '\"'").contains("inputs.orders.delimiter"))
        XCTAssertTrue(error("[inputs.orders]\ndelimiter = \"\\n\"").contains("inputs.orders.delimiter"))
        XCTAssertTrue(error("[inputs.orders]\ndelimiter = \"；\"").contains("inputs.orders.delimiter"))   // full-width: 3 bytes

        message = error("[inputs.orders]\ndecimal_mark = \"x\"")
        XCTAssertTrue(message.contains("inputs.orders.decimal_mark"), message)

        message = error("[inputs.orders]\nencoding = \"latin1\"")
        XCTAssertTrue(message.contains("inputs.orders.encoding"), message)
        XCTAssertTrue(message.contains("latin1"), message)

        message = error("locale = \"fr\"")
        XCTAssertTrue(message.contains("locale"), message)

        message = error("company = 5")
        XCTAssertTrue(message.contains("company"), message)

        message = error("[inputs.orders]\ndelimiter = 44")
        XCTAssertTrue(message.contains("inputs.orders.delimiter"), message)

        message = error("[inputs.orders.columns]\norder_no = 1")
        XCTAssertTrue(message.contains("inputs.orders.columns.order_no"), message)

        message = error("inputs = \"orders\"")
        XCTAssertTrue(message.contains("inputs"), message)
    }

    func testBadDateFormat() {
        // A pattern that cannot be read is a config error, not a silent fall-back to the standard forms.
        for pattern in ["%d/%m/%y", "%d/%m", "%Y-%m-%d-%d", "%Q", "%"] {
            let message = error("[inputs.orders]\ndate_format = \"\(pattern)\"")
            XCTAssertTrue(message.contains("inputs.orders.date_format"), message)
        }
        XCTAssertEqual(try parse("[inputs.orders]\ndate_format = \"%m-%d-%Y\"").options(for: .orders).dateFormat, "%m-%d-%Y")
        XCTAssertEqual(try parse("[inputs.orders]\ndate_format = \"%Y年%m月%d日\"").options(for: .orders).dateFormat, "%Y年%m月%d日")
    }

    func testDecimalCommaWithCommaDelimiterIsAllowed() throws {
        // RFC 4180 quoting keeps "1,5" one field, so the combination is legal.
        XCTAssertEqual(try parse("[inputs.orders]\ndecimal_mark = \",\"").options(for: .orders).decimalMark, UInt8(ascii: ","))
    }

    func testSyntaxErrorNamesFileAndLine() {
        let message = error("company = \"ACME\"\ncosting = \n")
        XCTAssertTrue(message.contains("line 2"), message)
    }

    /// `[receivables]` (SPEC §8.7): the default credit days and the smallest overdue balance dunned.
    func testReceivables() throws {
        let config = try parse("[receivables]\ncredit_days = 45\ndunning_min_amount = 100.5")
        XCTAssertEqual(config.receivables.creditDays, 45)
        XCTAssertEqual(config.receivables.dunningMinAmount, Money(cents: 10050))
        XCTAssertEqual(try parse("[receivables]\ncredit_days = 0").receivables.creditDays, 0)
        XCTAssertEqual(try parse("[receivables]\ndunning_min_amount = 0").receivables.dunningMinAmount, .zero)
        XCTAssertEqual(try parse("[receivables]\ndunning_min_amount = \"0.01\"").receivables.dunningMinAmount, Money(cents: 1))
        XCTAssertTrue(error("[receivables]\ncredit_days = -1").contains("receivables.credit_days must be a whole number of days from 0 to 36500"))
        XCTAssertTrue(error("[receivables]\ncredit_days = 1.5").contains("receivables.credit_days"))
        XCTAssertTrue(error("[receivables]\ncredit_days = 36501").contains("from 0 to 36500"))
        XCTAssertTrue(error("[receivables]\ndunning_min_amount = 0.001").contains("at most 2 decimals"))
        XCTAssertTrue(error("[receivables]\ndunning_min_amount = -5").contains("not a non-negative decimal"))
        XCTAssertTrue(error("[receivables]\ngrace_days = 3").contains("unknown key receivables.grace_days"))
        XCTAssertTrue(error("receivables = 3").contains("receivables must be a table"))
    }
}
