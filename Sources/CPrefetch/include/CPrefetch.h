#ifndef CPREFETCH_H
#define CPREFETCH_H

// A software prefetch, which Swift has no spelling for: the row loops ask for the hash-table slots a row
// will probe ahead of the probe (ingest while it parses the row, the later stages some rows before),
// so that the probe does not wait on memory.
static inline void prefetchForReading(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
