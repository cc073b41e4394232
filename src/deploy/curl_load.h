/* libcurl, loaded with dlopen by the commands that talk to a cluster.
 *
 * Linking libcurl made every run — a one-service `generate` as much as `deploy` — pay the
 * dynamic loader for libcurl's chain of libraries (HTTP/2, IDN, Kerberos, LDAP, SSH, ...):
 * more than half of a one-service generate's instructions. The binary does not link it; the
 * cluster code includes this header instead of <curl/curl.h> (kept for the types and
 * constants), and each libcurl function it calls is a macro over a table that is filled on
 * first use. A libcurl function missing from the table is an undefined symbol at link time,
 * so no call can bypass it. README "Deploying to a cluster" says why dlopen and not a helper
 * binary. */
#ifndef HS_CURL_LOAD_H
#define HS_CURL_LOAD_H
#include <stdbool.h>
/* curl.h defines curl_easy_setopt/getinfo as macros of its own (typecheck-gcc.h, or a
 * same-call macro that checks the argument count), which the ones below replace */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>
#undef curl_easy_setopt
#undef curl_easy_getinfo

#define HS_CURL_SONAME "libcurl.so.4"
/* CURLOPT_PROTOCOLS_STR (kube.c) is the newest libcurl feature used */
#define HS_CURL_MIN_VERSION 0x075500
#define HS_CURL_MIN_VERSION_TEXT "7.85.0"

struct curl_api {
	CURLcode (*global_init)(long flags);
	void (*global_cleanup)(void);
	curl_version_info_data *(*version_info)(CURLversion v);
	CURL *(*easy_init)(void);
	void (*easy_cleanup)(CURL *c);
	void (*easy_reset)(CURL *c);
	CURLcode (*easy_setopt)(CURL *c, CURLoption opt, ...);
	CURLcode (*easy_perform)(CURL *c);
	CURLcode (*easy_getinfo)(CURL *c, CURLINFO info, ...);
	const char *(*easy_strerror)(CURLcode code);
	char *(*easy_escape)(CURL *c, const char *s, int len);
	void (*free)(void *p);
	struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
	void (*slist_free_all)(struct curl_slist *l);
	CURLU *(*url)(void);
	void (*url_cleanup)(CURLU *u);
	CURLUcode (*url_set)(CURLU *u, CURLUPart part, const char *content, unsigned int flags);
	CURLUcode (*url_get)(const CURLU *u, CURLUPart part, char **content, unsigned int flags);
};

/* Loads libcurl once. false with *err (a message naming the library and what to install)
 * when it is not installed, not libcurl, or older than HS_CURL_MIN_VERSION. */
bool curl_load(const char **err);
/* The table; loads libcurl if needed and, if it cannot, prints why and exits with 5 (the
 * cluster commands' code). The commands call curl_load() first, so this exit is a guard. */
const struct curl_api *curl_api(void);

#define curl_global_init(...) (curl_api()->global_init(__VA_ARGS__))
#define curl_global_cleanup() (curl_api()->global_cleanup())
#define curl_version_info(...) (curl_api()->version_info(__VA_ARGS__))
#define curl_easy_init() (curl_api()->easy_init())
#define curl_easy_cleanup(...) (curl_api()->easy_cleanup(__VA_ARGS__))
#define curl_easy_reset(...) (curl_api()->easy_reset(__VA_ARGS__))
#define curl_easy_setopt(...) (curl_api()->easy_setopt(__VA_ARGS__))
#define curl_easy_perform(...) (curl_api()->easy_perform(__VA_ARGS__))
#define curl_easy_getinfo(...) (curl_api()->easy_getinfo(__VA_ARGS__))
#define curl_easy_strerror(...) (curl_api()->easy_strerror(__VA_ARGS__))
#define curl_easy_escape(...) (curl_api()->easy_escape(__VA_ARGS__))
#define curl_free(...) (curl_api()->free(__VA_ARGS__))
#define curl_slist_append(...) (curl_api()->slist_append(__VA_ARGS__))
#define curl_slist_free_all(...) (curl_api()->slist_free_all(__VA_ARGS__))
#define curl_url() (curl_api()->url())
#define curl_url_cleanup(...) (curl_api()->url_cleanup(__VA_ARGS__))
#define curl_url_set(...) (curl_api()->url_set(__VA_ARGS__))
#define curl_url_get(...) (curl_api()->url_get(__VA_ARGS__))
#endif
