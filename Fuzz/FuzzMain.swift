// The libFuzzer entry point shared by every fuzz target. Each binary is linked with exactly
// one file of Targets/, which defines `fuzzTarget(_:)` (see Fuzz/build.sh).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzTarget(UnsafeBufferPointer(start: data, count: size))
    return 0
}
