import Config
import Core
import Foundation
import Ingest
import Ledger
import Reconcile
import Reports

/// The runs' reading steps besides ingest's rows: what the input folder holds, last month's closing
/// balances, the latest month.
extension Runner {
    /// Reads the inputs; a kind a selected report needs but the folder lacks is a fatal input error.
    func load(_ config: Config, kinds: Set<InputKind>, period: Month?, neededBy: [(report: ReportID, kind: InputKind)]) throws -> Dataset {
        let loader = Loader(directory: settings.inputs, config: config, period: period)
        do {
            let available = try loader.discover()
            for (report, kind) in neededBy where available[kind] == nil {
                throw IngestError.missingKind(kind: kind.rawValue, neededBy: report.rawValue)
            }
            let dataset = try loader.load(kinds)
            for (file, counts) in zip(dataset.files, dataset.rowCounts()) {
                log.info("ingest.file", metadata: ["file": "\(file.name)", "kind": "\(file.kind.rawValue)",
                                                   "encoding": "\(file.encoding.rawValue)", "read": "\(counts.read)",
                                                   "rejected": "\(counts.rejected)", "duplicate": "\(counts.duplicate)",
                                                   "warned": "\(counts.warned)"])
                if file.beforePeriod > 0 {
                    log.info("ingest.before_period", metadata: ["file": "\(file.name)", "rows": "\(file.beforePeriod)"])
                }
            }
            return dataset
        } catch {
            throw RunFailure(.fatalInput, "\(error)")
        }
    }

    /// Last month's closing balances written by this tool, when they are in the output folder.
    func previousClosing(before month: Month) throws -> [StockKey: Balance]? {
        let previous = month.previous
        let path = "\(settings.out)/\(previous)/closing-balances-\(previous).csv"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            let file = try Loader.readFile(path: path, kind: .opening)
            var balances: [StockKey: Balance] = [:]
            for row in file.openings { balances[StockKey(warehouse: row.warehouse, partNo: row.partNo)] = Balance(qty: row.qty, value: row.value) }
            return balances
        } catch {
            throw RunFailure(.fatalInput, "\(error)")
        }
    }

    /// Last month's open items written by this tool (`open-items-<M−1>.csv`), when they are in the output folder.
    func previousOpenItems(before month: Month) throws -> [ReceivableItem]? {
        let previous = month.previous
        let path = "\(settings.out)/\(previous)/open-items-\(previous).csv"
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do { return try Loader.readFile(path: path, kind: .receivables).receivables } catch {
            throw RunFailure(.fatalInput, "\(error)")
        }
    }

    /// The month of the latest doc_date among the movements (read once more just for this).
    func latestMovementMonth(_ config: Config) throws -> Month {
        let movements = try load(config, kinds: [.movements], period: nil, neededBy: [(.partsMovement, .movements)]).movements
        guard let latest = movements.map(\.docDate).max() else {
            throw RunFailure(.fatalInput, "--month latest: the movements files hold no readable movement")
        }
        return latest.month
    }

    func discover(_ config: Config) throws -> Set<InputKind> {
        do { return Set(try Loader(directory: settings.inputs, config: config).discover().keys) } catch {
            throw RunFailure(.fatalInput, "\(error)")
        }
    }
}

extension Dataset {
    /// Data rows read from every file.
    var rowsRead: Int { files.reduce(0) { $0 + $1.read } }
}
