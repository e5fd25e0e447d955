#ifndef C_DEFLATE_LEVEL_H
#define C_DEFLATE_LEVEL_H

/// The zlib level every deflate stream opened at zlib's default level gets in this process instead
/// (libxlsxwriter's workbook parts).
#define AFTERSALES_DEFLATE_LEVEL 2

/// How many deflate streams were opened at zlib's default level and given AFTERSALES_DEFLATE_LEVEL
/// (0 when this file's deflateInit2_ is not the one the process calls).
long aftersales_deflate_streams_relevelled(void);

#endif
