import Glibc

extension Array {
    /// Hands the whole pages of the capacity past `count` back to the kernel (they read as zeros
    /// if touched again): an array filtered in place then holds only the memory its elements use,
    /// without a smaller copy made beside it. The capacity is unchanged; only its pages are freed.
    public mutating func releaseUnusedPages() {
        let stride = MemoryLayout<Element>.stride, used = count * stride, reserved = capacity * stride
        withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
            let first = (Int(bitPattern: base) + used + pageSize - 1) & ~(pageSize - 1)
            let end = (Int(bitPattern: base) + reserved) & ~(pageSize - 1)
            // Advice only: where it is refused, the pages stay with the process.
            if end > first { _ = madvise(UnsafeMutableRawPointer(bitPattern: first), end - first, MADV_DONTNEED) }
        }
    }

    /// Removes the elements `isRemoved` accepts, in place (the others keep their order), and hands the
    /// pages that frees back: no smaller copy is made beside the array.
    public mutating func removeAllReleasingPages(where isRemoved: (Element) throws -> Bool) rethrows {
        try removeAll(where: isRemoved)
        releaseUnusedPages()
    }
}
