/* Kubernetes API client (see kube.h). */
#include "kube.h"
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "jnode.h"

volatile sig_atomic_t kube_interrupted;

static void on_signal(int sig)
{
	(void)sig;
	kube_interrupted = 1;
}

void kube_catch_interrupt(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

long kube_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

bool kube_sleep(long ms)
{
	long end = kube_now_ms() + ms;
	while (!kube_interrupted) {
		long left = end - kube_now_ms();
		if (left <= 0)
			return true;
		struct timespec ts = { 0, (left > 50 ? 50 : left) * 1000000L };
		nanosleep(&ts, NULL);
	}
	return false;
}

static long env_long(const char *name, long dflt)
{
	const char *s = getenv(name);
	if (!s || !*s)
		return dflt;
	char *end;
	double v = strtod(s, &end);
	return *end || v < 0 ? dflt : (long)(v * 1000);   /* seconds, fractions allowed */
}

static bool read_token_file(struct kube *k, const char *path, const char **err)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		*err = arena_printf(k->a, "cannot read token file %s", path);
		return false;
	}
	char buf[16384];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	if (!*buf) {
		*err = arena_printf(k->a, "token file %s is empty", path);
		return false;
	}
	k->auth_header = arena_printf(k->a, "Authorization: Bearer %s", buf);
	return true;
}

bool kube_open(struct kube *k, struct kube_config *kc, struct arena *a, const char **err)
{
	memset(k, 0, sizeof(*k));
	k->kc = kc;
	k->a = a;
	k->timeout_ms = env_long("HYSCALE_REQUEST_TIMEOUT", 30000);
	k->connect_ms = env_long("HYSCALE_CONNECT_TIMEOUT", 10000);
	k->backoff_ms = env_long("HYSCALE_BACKOFF", 250);
	const char *r = getenv("HYSCALE_RETRIES");
	k->attempts = r && atoi(r) > 0 ? atoi(r) : 5;
	if (kc->has_exec && !kube_exec_credentials(kc, a, err))
		return false;
	if (kc->token && *kc->token)
		k->auth_header = arena_printf(a, "Authorization: Bearer %s", kc->token);
	else if (kc->token_file && !read_token_file(k, kc->token_file, err))
		return false;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(k->curl = curl_easy_init())) {
		*err = "cannot initialise libcurl";
		return false;
	}
	return true;
}

void kube_close(struct kube *k)
{
	for (size_t i = 0; i < k->ndisco; i++)
		if (k->disco[i].doc)
			fy_document_destroy(k->disco[i].doc);
	k->ndisco = 0;
	if (k->curl) {
		curl_easy_cleanup(k->curl);
		curl_global_cleanup();
	}
	k->curl = NULL;
}

void kube_resp_free(struct kube_resp *r)
{
	sb_release(&r->body);
	if (r->doc)
		fy_document_destroy(r->doc);
	memset(r, 0, sizeof(*r));
}

struct fy_node *kube_resp_root(struct kube_resp *r) { return r->doc ? fy_document_root(r->doc) : NULL; }

const char *kube_resp_message(struct kube_resp *r, struct arena *a)
{
	if (r->error)
		return r->error;
	struct fy_node *root = kube_resp_root(r);
	const char *msg = jstr(root, "message"), *reason = jstr(root, "reason");
	if (msg && *msg)
		return reason && *reason ? arena_printf(a, "%s: %s", reason, msg) : msg;
	if (r->status == 401)
		return "Unauthorized: the cluster did not accept hyscale's credentials";
	return arena_printf(a, "HTTP %ld", r->status);
}

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
	struct sbuf *b = ud;
	if (b->len + sz * n > (64u << 20))
		return 0;   /* a response this large is not one we asked for */
	sb_add(b, p, sz * n);
	return sz * n;
}

/* Warning: 299 - "text" (RFC 7234 warn-code, agent, quoted text), as the API server sends. */
static void take_warning_header(struct kube *k, const char *p, size_t l)
{
	const char *q = memchr(p, '"', l), *end = p + l;
	while (end > p && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
		end--;
	const char *text = q ? q + 1 : p;
	if (q && end > text && end[-1] == '"')
		end--;
	if (end <= text)
		return;
	char *w = arena_strndup(k->a, text, (size_t)(end - text));
	for (char *c = w; *c; c++)
		if (c[0] == '\\' && c[1] == '"')
			memmove(c, c + 1, strlen(c));
	*ARENA_PUSH(k->a, k->warnings, k->nwarnings, k->warnings_cap) = w;
}

const char *kube_take_warning(struct kube *k)
{
	return k->warnings_taken < k->nwarnings ? k->warnings[k->warnings_taken++] : NULL;
}

static size_t on_header(char *p, size_t sz, size_t n, void *ud)
{
	struct kube *k = ud;
	size_t l = sz * n;
	if (l > 12 && !strncasecmp(p, "Retry-After:", 12)) {
		char buf[32];
		size_t m = l - 12 < sizeof(buf) - 1 ? l - 12 : sizeof(buf) - 1;
		memcpy(buf, p + 12, m);
		buf[m] = '\0';
		long s = atol(buf);
		/* only the delay-seconds form; an HTTP date falls back to our backoff */
		if (s > 0)
			k->retry_after_ms = (s > 30 ? 30 : s) * 1000;
	} else if (l > 8 && !strncasecmp(p, "Warning:", 8)) {
		take_warning_header(k, p + 8, l - 8);
	}
	return l;
}

static int on_progress(void *ud, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
	(void)ud, (void)a, (void)b, (void)c, (void)d;
	return kube_interrupted ? 1 : 0;
}

static bool retryable_transport(CURLcode c, const char *method)
{
	/* A refused connection never reached the server: any request may be sent again.
	 * Otherwise only requests whose repetition is harmless (GET, DELETE, server-side apply). */
	if (c == CURLE_COULDNT_CONNECT)
		return true;
	if (!strcmp(method, "POST"))
		return false;
	return c == CURLE_OPERATION_TIMEDOUT || c == CURLE_RECV_ERROR || c == CURLE_SEND_ERROR ||
	       c == CURLE_GOT_NOTHING || c == CURLE_PARTIAL_FILE || c == CURLE_SSL_CONNECT_ERROR;
}

static bool perform(struct kube *k, const char *method, const char *url, const char *ctype, const char *body,
		    size_t blen, struct kube_resp *r, CURLcode *code, char *errbuf)
{
	CURL *c = k->curl;
	struct kube_config *kc = k->kc;
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, k->connect_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, k->timeout_ms);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "hyscale/0.1 (C; libcurl)");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &r->body);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, k);
	curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
	if (kc->insecure) {
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	} else if (kc->ca_data) {
		struct curl_blob b = { (void *)kc->ca_data, kc->ca_len, CURL_BLOB_COPY };
		curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &b);
	} else if (kc->ca_file) {
		curl_easy_setopt(c, CURLOPT_CAINFO, kc->ca_file);
	}
	if (kc->cert_data) {
		struct curl_blob b = { (void *)kc->cert_data, kc->cert_len, CURL_BLOB_COPY };
		curl_easy_setopt(c, CURLOPT_SSLCERT_BLOB, &b);
	} else if (kc->cert_file) {
		curl_easy_setopt(c, CURLOPT_SSLCERT, kc->cert_file);
	}
	if (kc->key_data) {
		struct curl_blob b = { (void *)kc->key_data, kc->key_len, CURL_BLOB_COPY };
		curl_easy_setopt(c, CURLOPT_SSLKEY_BLOB, &b);
	} else if (kc->key_file) {
		curl_easy_setopt(c, CURLOPT_SSLKEY, kc->key_file);
	}
	struct curl_slist *h = NULL;
	h = curl_slist_append(h, "Accept: application/json");
	if (ctype)
		h = curl_slist_append(h, ctype);
	if (k->auth_header)
		h = curl_slist_append(h, k->auth_header);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
	if (!strcmp(method, "GET")) {
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	} else if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)blen);
	}
	*code = curl_easy_perform(c);
	curl_slist_free_all(h);
	if (*code != CURLE_OK)
		return false;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
	return true;
}

bool kube_call(struct kube *k, const char *method, const char *path, const char *ctype, const char *body,
	       size_t blen, struct kube_resp *r)
{
	memset(r, 0, sizeof(*r));
	const char *url = arena_printf(k->a, "%s%s", k->kc->server, path);
	const char *ct = ctype ? arena_printf(k->a, "Content-Type: %s", ctype) : NULL;
	long delay = k->backoff_ms;
	for (int attempt = 1;; attempt++) {
		char errbuf[CURL_ERROR_SIZE] = "";
		CURLcode code = CURLE_OK;
		k->retry_after_ms = 0;
		k->nwarnings = k->warnings_taken = 0;
		kube_resp_free(r);
		long t0 = kube_now_ms();
		bool got = perform(k, method, url, ct, body, blen, r, &code, errbuf);
		if (k->verbose)
			fprintf(stderr, "hyscale: %s %s → %s (%ld ms)\n", method, path,
				got ? arena_printf(k->a, "%ld", r->status) : (*errbuf ? errbuf : curl_easy_strerror(code)),
				kube_now_ms() - t0);
		if (kube_interrupted) {
			r->status = 0;
			r->error = "interrupted";
			return false;
		}
		bool retry;
		if (!got) {
			retry = retryable_transport(code, method);
			r->error = arena_printf(k->a, "cannot reach the cluster at %s: %s", k->kc->server,
						*errbuf ? errbuf : curl_easy_strerror(code));
		} else {
			retry = r->status == 429 || r->status == 500 || r->status == 502 || r->status == 503 ||
				r->status == 504;
			if (r->status >= 500 && !strcmp(method, "POST"))
				retry = false;
		}
		if (!retry || attempt >= k->attempts) {
			if (!got && attempt > 1)
				r->error = arena_printf(k->a, "%s (%d attempts)", r->error, attempt);
			break;
		}
		long wait = k->retry_after_ms ? k->retry_after_ms : delay;
		delay = delay * 2 > 8000 ? 8000 : delay * 2;
		if (!kube_sleep(wait)) {
			r->status = 0;
			r->error = "interrupted";
			return false;
		}
	}
	/* An exec plugin's token may have expired: kubectl runs the plugin again on a 401. */
	if (r->status == 401 && k->kc->has_exec && !k->reauthenticated) {
		const char *err = NULL;
		k->reauthenticated = true;
		k->kc->token = NULL;
		if (kube_exec_credentials(k->kc, k->a, &err)) {
			k->auth_header = k->kc->token ? arena_printf(k->a, "Authorization: Bearer %s", k->kc->token) : NULL;
			kube_resp_free(r);
			return kube_call(k, method, path, ctype, body, blen, r);
		}
	}
	if (r->status) {
		r->error = NULL;
		r->doc = jdoc_parse(r->body.buf, r->body.len);
		return true;
	}
	return false;
}
