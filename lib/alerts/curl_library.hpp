// CurlLibrary: libcurl, loaded the first time a webhook is posted. Linking it would map about
// thirty libraries (TLS, Kerberos, LDAP...) into every process that uses logstream, some 7 MiB
// of resident memory and their start-up cost, for a feature most runs never use.
#pragma once

#include <string>

#include <curl/curl.h>

namespace logstream::alerts {

/// The functions of libcurl webhooks use, resolved from libcurl.so.4.
struct CurlLibrary {
  CURLcode (*global_init)(long flags);
  CURL* (*easy_init)();
  void (*easy_cleanup)(CURL* handle);
  CURLcode (*easy_setopt)(CURL* handle, CURLoption option, ...);
  CURLcode (*easy_perform)(CURL* handle);
  CURLcode (*easy_getinfo)(CURL* handle, CURLINFO info, ...);
  const char* (*easy_strerror)(CURLcode code);
  curl_slist* (*slist_append)(curl_slist* list, const char* text);
  void (*slist_free_all)(curl_slist* list);
};

/// libcurl, loaded and initialised once (any thread); null when it cannot be loaded, with the
/// reason in `error` (the same for every later call).
const CurlLibrary* curl_library(std::string& error);

}  // namespace logstream::alerts
