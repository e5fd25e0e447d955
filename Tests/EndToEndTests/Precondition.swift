import Foundation
import XCTest

/// What a test throws when it cannot run its real check here (no binary, no mount rights, no
/// ../shared): it always says so on stderr; on a developer's machine it is a skip, in CI (CI=true,
/// as .ci/run is started) it is a failure, because XCTest counts a skip as a pass.
struct UnmetPrecondition: Error, CustomStringConvertible {
    let description: String
}

func unmet(_ why: String) -> Error {
    let message = "PRECONDITION NOT MET, the real check did not run: \(why)"
    FileHandle.standardError.write(Data((message + "\n").utf8))
    if ProcessInfo.processInfo.environment["CI"] == "true" {
        return UnmetPrecondition(description: message + " (CI=true: a failure, not a skip)")
    }
    return XCTSkip(message)
}
