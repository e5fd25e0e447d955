// libxlsxwriter 1.1.4 compresses every part of a workbook at zlib's default level 6, fixed in its
// packager, with no option to change it (later versions have none either). At level 6 zlib was
// 36-50 % of the render stage's CPU. The workbooks' XML at the month scale (53 MB) deflates in
// 0.85 s at level 6 and 0.28 s at level 2, into 5.4 and 6.7 MB: a quarter larger, three times as fast.
//
// So this executable defines zlib's deflateInit2_ (what the deflateInit2 macro calls) and, the
// dynamic linker binding every library's calls to the executable's definition first, libminizip's
// call on behalf of libxlsxwriter lands here: a stream asked at the default level is opened at
// AFTERSALES_DEFLATE_LEVEL by the real zlib function; any other level is passed through untouched.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stddef.h>
#include "CDeflateLevel.h"

typedef int (*DeflateInit2)(void *stream, int level, int method, int windowBits, int memLevel, int strategy,
                            const char *version, int streamSize);

static atomic_long relevelled;

int deflateInit2_(void *stream, int level, int method, int windowBits, int memLevel, int strategy,
                  const char *version, int streamSize) {
    // Looked up on every call (a stream per workbook part, a few dozen a run): no shared state to race on.
    DeflateInit2 real = (DeflateInit2)dlsym(RTLD_NEXT, "deflateInit2_");
    if (level == -1) {   // Z_DEFAULT_COMPRESSION
        level = AFTERSALES_DEFLATE_LEVEL;
        atomic_fetch_add(&relevelled, 1);
    }
    return real(stream, level, method, windowBits, memLevel, strategy, version, streamSize);
}

long aftersales_deflate_streams_relevelled(void) { return atomic_load(&relevelled); }
