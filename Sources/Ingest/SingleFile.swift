import Foundation
import Config
import Core

extension Loader {
    /// Reads one file of `kind` on its own — no masters, no other files — with the same rules as
    /// the input folder (last month's closing-balances file is an opening file as is).
    public static func readFile(path: String, kind: InputKind, config: Config = Config()) throws(IngestError) -> Dataset {
        var state = LoadState(config: config)
        let name = (path as NSString).lastPathComponent
        do { try state.read(path: path, name: name, kind: kind) }
        catch let error as IngestError { throw error }
        catch { throw .unreadable(file: name, reason: "\(error)") }
        return state.dataset
    }
}
