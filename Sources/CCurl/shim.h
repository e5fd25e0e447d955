// libcurl (Debian libcurl4-openssl-dev), wrapped for Swift by Delivery/CurlSMTP.swift only.
// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: one typed inline
// function per argument type.
#include <curl/curl.h>

static inline CURLcode aftersales_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode aftersales_setopt_string(CURL *h, CURLoption o, const char *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode aftersales_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode aftersales_setopt_mime(CURL *h, curl_mime *m) { return curl_easy_setopt(h, CURLOPT_MIMEPOST, m); }

typedef int (*aftersales_debug_fn)(CURL *handle, curl_infotype type, char *data, size_t size, void *userdata);
static inline CURLcode aftersales_setopt_debug(CURL *h, aftersales_debug_fn f, void *userdata) {
    CURLcode rc = curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, f);
    if (rc != CURLE_OK) return rc;
    return curl_easy_setopt(h, CURLOPT_DEBUGDATA, userdata);
}

static inline CURLcode aftersales_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLcode aftersales_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return curl_easy_getinfo(h, i, v); }
