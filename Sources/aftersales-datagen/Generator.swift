// Builds one consistent month of after-sales data in memory: masters, orders, repairs,
// the stock movements that follow from them, opening balances chosen so that stock
// rarely goes negative, and the month-end physical count.

final class Generator {
    let preset: Preset
    let sc: Scale
    let month: Month
    let seed: UInt64

    /// The report month and the five before it (repairs, fleet).
    let repairMonths: [Month]

    var parts: [Part] = []
    var partNoBytes: [[UInt8]] = []
    var partNameField: [[UInt8]] = []
    var partTable = WeightedTable([])
    var partsByTemplate: [[Int32]] = []
    var partsByTemplateModel: [[Int32]] = []
    var templateIndex: [String: Int] = [:]

    var dealers: [Dealer] = []
    var dealerIdBytes: [[UInt8]] = []
    var orderDealerTable = WeightedTable([])
    var repairDealerTable = WeightedTable([])

    var orders: [Order] = []
    var lines: [OrderLine] = []

    var repairs: [Repair] = []
    var repairLines: [RepairLine] = []
    /// Repairs of repairMonths[i] are repairs[repairMonthStart[i] ..< repairMonthStart[i+1]].
    var repairMonthStart: [Int] = []

    var movements: [Movement] = []
    var history: [Movement] = []          // OLD_PART_IN dated before the month
    var externalRefs: [String] = []
    var serial: Int32 = 0

    var openNewQty: [Int64] = []
    var openNewValue: [Int64] = []
    var openOldQty: [Int64] = []
    var bookNew: [Int64] = []
    var bookOld: [Int64] = []
    var negativeA = -1                    // goes negative, recovers with a late purchase
    var negativeB = -1                    // goes negative and stays negative at month end

    struct CountRow {
        var warehouse: Warehouse
        var location: String
        var part: Int32
        var qty: Int64
        var counter: Int
    }
    var countRows: [CountRow] = []

    /// Human-readable notes on what the reports should show (README).
    var findings: [String] = []
    var badRows: [BadRow] = []
    var negativeReport: [(wh: Warehouse, part: Int, first: Int, min: Int64)] = []
    var outstandingBuckets = [0, 0, 0, 0]

    // Dealer accounts (Generator+Receivables).
    var openItems: [OpenItem] = []
    var paymentLines: [PaymentRecord] = []
    var docSeq: [String: Int] = [:]
    var overLimit: [Int] = []
    var refund: (day: Int, dealer: Int, amount: Int64, no: String)?
    var unmatched: (day: Int, dealer: Int, ref: String, no: String)?
    var docWidth = 4

    // Order-line marks used by the sales step and the bad-row planner.
    var lineMark: [UInt8] = []
    static let markUsed: UInt8 = 1

    init(preset: Preset, month: Month, seed: UInt64) {
        self.preset = preset
        self.sc = Scale.of(preset)
        self.month = month
        self.seed = seed
        self.repairMonths = (0..<6).map { month.adding($0 - 5) }
    }

    func rng(_ stream: UInt64) -> Rng { Rng(seed: seed, stream: stream) }

    func nextSerial() -> Int32 {
        serial += 1
        return serial
    }

    func isHoliday(_ d: Int) -> Bool {
        let c = Cal.civil(d)
        return (c.m == 10 && c.d <= 3) || (c.m == 1 && c.d == 1)
    }

    /// The next working day on or after d (warehouses do not ship on Sundays or 国庆 1–3).
    func workday(_ d: Int) -> Int {
        var x = d
        while Cal.weekday(x) == 0 || isHoliday(x) { x += 1 }
        return x
    }

    func generate() {
        makeParts()
        makeDealers()
        makeOrders()
        makeRepairs()
        makeSales()
        makeDealerReturns()
        makeWarrantyIssues()
        makeOldPartReceipts()
        makeOtherNewMovements()
        makeOpening()
        makeOldWarehouseIssues()
        planPurchases()
        makePurchaseReversals()
        assignDocumentNumbers()
        walkLedger()
        makeCounts()
        computeOutstanding()
        makeReceivables()
    }
}
