// libxlsxwriter 1.1.4 writes each cell with printf: snprintf(…, "%d", row) for the row of its reference
// ("B7"), then fprintf(…, "<c r=\"%s\" s=\"%d\"><v>%.16G</v></c>", …) for a number (…"%s"… for a string).
// glibc parses the format on every call and prints "%.16G" with its multi-precision float printer: ~7 % of
// the month's CPU, a quarter of the render stage.
//
// So this executable defines snprintf and __fprintf_chk (what fprintf is under _FORTIFY_SOURCE), and the
// dynamic linker binds libxlsxwriter's calls to them first (as CDeflateLevel's deflateInit2_): an snprintf
// of "%d" and an fprintf whose only conversions are %s, %d and %.16G (the cells, most of the XML) are
// written here directly; every other call goes to glibc's v-function unchanged.
//
// A %.16G number is written as the shortest decimal of at most 15 digits and 6 decimals that reads back as
// the same double (the cells are exact decimals made doubles: 1234.5, 0.07), else by "%.16G" as
// libxlsxwriter would. "%.16G" does not always give that decimal (0.07 → "0.07000000000000001"); both read
// back as the same double, which is what Excel and LibreOffice hold.
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

static const double powersOfTen[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
static const uint64_t integerPowersOfTen[] = {1, 10, 100, 1000, 10000, 100000, 1000000};

static _Thread_local long directCells;

/// The decimal digits of `v`, written backwards ending at `end`; returns where they start.
static char *digitsBefore(char *end, uint64_t v) {
    do { *--end = (char)('0' + v % 10); v /= 10; } while (v);
    return end;
}

/// `value` in decimal with its sign, written backwards ending at `end`; returns where it starts.
static char *signedDigitsBefore(char *end, long value) {
    char *start = digitsBefore(end, value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value);
    if (value < 0) *--start = '-';
    return start;
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

/// glibc's vsnprintf of the arguments (not this file's snprintf).
static int printed(char *out, size_t size, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int length = vsnprintf(out, size, format, args);
    va_end(args);
    return length;
}

static size_t put(const char *text, size_t length, FILE *stream) { return fwrite_unlocked(text, 1, length, stream); }

static size_t putInteger(long value, FILE *stream) {
    char digits[24], *end = digits + sizeof digits, *start = signedDigitsBefore(end, value);
    return put(start, (size_t)(end - start), stream);
}

/// Whether every conversion of `format` is %s, %d or %.16G: libxlsxwriter's cells and most of its XML.
static bool onlyDirectConversions(const char *format) {
    for (const char *c = strchr(format, '%'); c; c = strchr(c + 1, '%')) {
        if (c[1] == 's' || c[1] == 'd') { c++; continue; }
        if (strncmp(c + 1, ".16G", 4) == 0) { c += 4; continue; }
        return false;
    }
    return true;
}

/// fprintf of a format `onlyDirectConversions` accepts, written piece by piece; a %.16G number as its
/// shortest decimal when it has one (see above).
static int printDirectly(FILE *stream, const char *format, va_list args) {
    size_t length = 0;
    bool hasNumber = false;
    flockfile(stream);
    for (const char *c = format;;) {
        const char *conversion = strchr(c, '%');
        if (!conversion) { length += put(c, strlen(c), stream); break; }
        length += put(c, (size_t)(conversion - c), stream);
        if (conversion[1] == 's') {
            const char *text = va_arg(args, const char *);
            if (!text) text = "(null)";   // as glibc prints it
            length += put(text, strlen(text), stream);
            c = conversion + 2;
        } else if (conversion[1] == 'd') {
            length += putInteger(va_arg(args, int), stream);
            c = conversion + 2;
        } else {   // %.16G
            double value = va_arg(args, double);
            char number[40];
            int digits = aftersales_short_decimal(number, value);
            if (digits == 0) digits = printed(number, sizeof number, "%.16G", value);
            length += put(number, (size_t)digits, stream);
            hasNumber = true;
            c = conversion + 5;
        }
    }
    int failed = ferror_unlocked(stream);
    funlockfile(stream);
    if (hasNumber) directCells++;
    return failed ? -1 : (int)length;
}

int __fprintf_chk(FILE *stream, int flag, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int result = onlyDirectConversions(format) ? printDirectly(stream, format, args) : __vfprintf_chk(stream, flag, format, args);
    va_end(args);
    return result;
}

int snprintf(char *out, size_t size, const char *format, ...) {
    va_list args;
    va_start(args, format);
    int length;
    if (format[0] == '%' && format[1] == 'd' && format[2] == 0) {   // a cell reference's row
        char digits[16], *end = digits + sizeof digits, *start = signedDigitsBefore(end, va_arg(args, int));
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
