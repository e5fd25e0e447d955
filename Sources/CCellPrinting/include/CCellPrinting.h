#ifndef C_CELL_PRINTING_H
#define C_CELL_PRINTING_H

/// `x` as the shortest decimal of at most 15 digits and 6 decimals that reads back as `x`, into `out`
/// (at least 32 bytes, NUL-terminated); its length, or 0 when there is none.
int aftersales_short_decimal(char *out, double x);

/// Cells with a number this thread's libxlsxwriter calls wrote through this file's __fprintf_chk (0 when it is
/// not the one the process calls).
long aftersales_direct_cells_on_this_thread(void);

#endif
