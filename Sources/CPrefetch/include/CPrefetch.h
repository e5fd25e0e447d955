#ifndef CPREFETCH_H
#define CPREFETCH_H

// A software prefetch, which Swift has no spelling for: ingest asks for the hash-table slots a row
// will probe while it is still parsing the row, so that the probe does not wait on memory.
static inline void prefetchForReading(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
