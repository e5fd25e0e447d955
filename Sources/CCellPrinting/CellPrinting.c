// libxlsxwriter 1.1.4 writes each cell with printf: snprintf(…, "%d", row) for the row of its reference
// ("B7"), then fprintf(…, "<c r=\"%s\" s=\"%d\"><v>%.16G</v></c>", …) for a number. glibc parses the
// format on every call and prints "%.16G" with its multi-precision float printer: ~7 % of the month's CPU.
//
// So this executable defines snprintf and __fprintf_chk (what fprintf is under _FORTIFY_SOURCE), and the
// dynamic linker binds libxlsxwriter's calls to them first (as CDeflateLevel's deflateInit2_): those
// formats are written here directly; every other call goes to glibc's v-function unchanged.
//
// A number is written as the shortest decimal of at most 15 digits and 6 decimals that reads back as the
// same double (the cells are exact decimals made doubles: 1234.5, 0.07), else by "%.16G" as libxlsxwriter
// would. "%.16G" does not always give that decimal (0.07 → "0.07000000000000001"); both read back as the
// same double, which is what Excel and LibreOffice hold.
#define _GNU_SOURCE
#undef _FORTIFY_SOURCE
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "CCellPrinting.h"

int __vfprintf_chk(FILE *stream, int flag, const char *format, va_list args);

static const char numberCell[] = "<c r=\"%s\"><v>%.16G</v></c>";
static const char styledNumberCell[] = "<c r=\"%s\" s=\"%d\"><v>%.16G</v></c>";
static const double powersOfTen[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
static const uint64_t integerPowersOfTen[] = {1, 10, 100, 1000, 10000, 100000, 1000000};

static _Thread_local long directCells;

/// The decimal digits of `v`, written backwards ending at `end`; returns where they start.
static char *digitsBefore(char *end, uint64_t v) {
    do { *--end = (char)('0' + v % 10); v /= 10; } while (v);
    return end;
}

/// Writes `x` into `out` (at least 32 bytes) as the shortest decimal of at most 15 digits and 6 decimals
/// that reads back as `x`; returns its length, or 0 when there is none (then "%.16G" is used).
int aftersales_short_decimal(char *out, double x) {
    if (!(fabs(x) < 1e15) || (x == 0 && signbit(x))) return 0;   // NaN, infinities, −0 and the large
    for (int s = 0; s <= 6; s++) {
        double scaled = x * powersOfTen[s];
        if (!(fabs(scaled) < 1e15)) return 0;
        int64_t m = llround(scaled);
        // Both sides exact or correctly rounded: x is the double nearest to m / 10^s.
        if ((double)m / powersOfTen[s] != x) continue;
        uint64_t a = m < 0 ? (uint64_t)0 - (uint64_t)m : (uint64_t)m;
        char buffer[40], *end = buffer + sizeof buffer, *start = end;
        if (s > 0) {
            uint64_t fraction = a % integerPowersOfTen[s];
            char *digits = digitsBefore(end, fraction);
            while (end - digits < s) *--digits = '0';
            while (end > digits && end[-1] == '0') end--;   // none with the smallest s; kept for safety
            start = digits;
            if (end > start) *--start = '.'; else end = start;
        }
        start = digitsBefore(start, a / integerPowersOfTen[s]);
        if (m < 0) *--start = '-';
        int length = (int)(end - start);
        memcpy(out, start, (size_t)length);
        out[length] = 0;
        return length;
    }
    return 0;
}

long aftersales_direct_cells_on_this_thread(void) { return directCells; }

static int printed(char *out, size_t size, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int length = vsnprintf(out, size, format, args);
    va_end(args);
    return length;
}

static size_t put(const char *text, FILE *stream) {
    size_t length = strlen(text);
    return fwrite_unlocked(text, 1, length, stream);
}

/// A number cell written straight to `stream` from fprintf's arguments (reference, style if `styled`, value).
static int writeNumberCell(FILE *stream, bool styled, va_list args) {
    const char *reference = va_arg(args, const char *);
    int style = styled ? va_arg(args, int) : 0;
    double value = va_arg(args, double);
    char number[40], styleDigits[16], *styleEnd = styleDigits + sizeof styleDigits;
    if (aftersales_short_decimal(number, value) == 0) printed(number, sizeof number, "%.16G", value);
    flockfile(stream);
    size_t length = 0;
    length += put("<c r=\"", stream);
    length += put(reference, stream);
    if (styled) {
        length += put("\" s=\"", stream);
        char *digits = digitsBefore(styleEnd, (uint64_t)(style < 0 ? -(int64_t)style : style));
        if (style < 0) *--digits = '-';
        length += fwrite_unlocked(digits, 1, (size_t)(styleEnd - digits), stream);
    }
    length += put("\"><v>", stream);
    length += put(number, stream);
    length += put("</v></c>", stream);
    int failed = ferror_unlocked(stream);
    funlockfile(stream);
    directCells++;
    return failed ? -1 : (int)length;
}

int __fprintf_chk(FILE *stream, int flag, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int result;
    bool styled = strcmp(format, styledNumberCell) == 0;
    if (styled || strcmp(format, numberCell) == 0) {
        result = writeNumberCell(stream, styled, args);
    } else {
        result = __vfprintf_chk(stream, flag, format, args);
    }
    va_end(args);
    return result;
}

int snprintf(char *out, size_t size, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int length;
    if (format[0] == '%' && format[1] == 'd' && format[2] == 0) {   // a cell reference's row
        int value = va_arg(args, int);
        char digits[16], *end = digits + sizeof digits;
        char *start = digitsBefore(end, (uint64_t)(value < 0 ? -(int64_t)value : value));
        if (value < 0) *--start = '-';
        length = (int)(end - start);
        if (size > 0) {
            size_t copied = (size_t)length < size - 1 ? (size_t)length : size - 1;
            memcpy(out, start, copied);
            out[copied] = 0;
        }
    } else {
        length = vsnprintf(out, size, format, args);
    }
    va_end(args);
    return length;
}
