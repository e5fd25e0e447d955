// libxlsxwriter (Debian libxlsxwriter-dev 1.1.4), wrapped for Swift by the XLSX module only.
#include <xlsxwriter.h>
