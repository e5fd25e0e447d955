// The module is its header (a static inline function); SwiftPM needs one source file.
#include "CPrefetch.h"
