/* libcurl loaded on first use (see curl_load.h). */
#include "curl_load.h"
#include <dlfcn.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct curl_api api;
static bool loaded, failed;
static char why[512];

#define FN(member) { "curl_" #member, offsetof(struct curl_api, member) }
static const struct { const char *sym; size_t off; } fns[] = {
	FN(global_init), FN(global_cleanup), FN(version_info), FN(easy_init), FN(easy_cleanup),
	FN(easy_reset), FN(easy_setopt), FN(easy_perform), FN(easy_getinfo), FN(easy_strerror),
	FN(easy_escape), FN(free), FN(slist_append), FN(slist_free_all), FN(url), FN(url_cleanup),
	FN(url_set), FN(url_get),
};

bool curl_load(const char **err)
{
	if (loaded || failed) {
		*err = loaded ? NULL : why;
		return loaded;
	}
	/* Never closed: libcurl and OpenSSL keep state (and exit handlers) for the whole process. */
	void *h = dlopen(HS_CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(why, sizeof(why), "cannot load libcurl (%s); the cluster commands need it: apt install libcurl4",
			 e ? e : HS_CURL_SONAME);
		failed = true;
		*err = why;
		return false;
	}
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		void *p = dlsym(h, fns[i].sym);
		if (!p) {
			snprintf(why, sizeof(why), "the %s found is not a usable libcurl: it lacks %s; "
				 "the cluster commands need libcurl4 (%s or later)", HS_CURL_SONAME, fns[i].sym,
				 HS_CURL_MIN_VERSION_TEXT);
			failed = true;
			*err = why;
			return false;
		}
		/* POSIX: a function pointer and dlsym's void * have the same representation */
		memcpy((char *)&api + fns[i].off, &p, sizeof(p));
	}
	const curl_version_info_data *v = api.version_info(CURLVERSION_NOW);
	if (!v || v->version_num < HS_CURL_MIN_VERSION) {
		snprintf(why, sizeof(why), "libcurl %s is too old; the cluster commands need %s or later",
			 v && v->version ? v->version : "(unknown version)", HS_CURL_MIN_VERSION_TEXT);
		failed = true;
		*err = why;
		return false;
	}
	loaded = true;
	*err = NULL;
	return true;
}

const struct curl_api *curl_api(void)
{
	const char *err;
	if (!loaded && !curl_load(&err)) {
		fprintf(stderr, "hyscale: error: %s\n", err);
		exit(5);
	}
	return &api;
}
