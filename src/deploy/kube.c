/* Kubernetes API client (see kube.h). */
#include "kube.h"
#include "curl_load.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../util/diag.h"
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
		*err = arena_printf(k->a, "cannot read token file %s", diag_escape(k->a, path));
		return false;
	}
	char buf[16384];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* as kubectl: surrounding white space is not part of the token */
	char *t = buf;
	while (*t == ' ' || *t == '\t' || *t == '\r' || *t == '\n')
		t++;
	size_t l = strlen(t);
	while (l && strchr(" \t\r\n", t[l - 1]))
		t[--l] = '\0';
	if (!*t) {
		*err = arena_printf(k->a, "token file %s is empty", diag_escape(k->a, path));
		return false;
	}
	const char *why = kube_token_problem(t);
	if (why) {
		*err = arena_printf(k->a, "token file %s: %s", diag_escape(k->a, path), why);
		return false;
	}
	k->auth_header = arena_printf(k->a, "Authorization: Bearer %s", t);
	return true;
}

static bool plain_http(const struct kube_config *kc) { return !strncmp(kc->server, "http://", 7); }

/* The Authorization header from the token the kubeconfig or the plugin gave (validated there). */
static void set_auth(struct kube *k)
{
	k->auth_header = k->kc->token && *k->kc->token ? arena_printf(k->a, "Authorization: Bearer %s", k->kc->token) : NULL;
}

bool kube_open(struct kube *k, struct kube_config *kc, struct arena *a, const char **err)
{
	memset(k, 0, sizeof(*k));
	k->kc = kc;
	k->a = a;
	k->timeout_ms = env_long("HYSCALE_REQUEST_TIMEOUT", 30000);
	k->connect_ms = env_long("HYSCALE_CONNECT_TIMEOUT", 10000);
	k->backoff_ms = env_long("HYSCALE_BACKOFF", 250);
	k->deadline_ms = kc->deadline_ms;
	const char *r = getenv("HYSCALE_RETRIES");
	k->attempts = r && atoi(r) > 0 ? atoi(r) : 5;
	if (plain_http(kc)) {
		/* as kubectl: a bearer token never goes over plain http, where anyone on the path reads it */
		if (kc->has_exec || (kc->token && *kc->token) || kc->token_file)
			fprintf(stderr, "hyscale: warning: the cluster %s is plain http://; the token is not sent over it "
					"(use https)\n", diag_escape(a, kc->server));
	} else {
		if (kc->has_exec && !kube_exec_credentials(kc, a, err))
			return false;
		if (kc->token && *kc->token)
			set_auth(k);
		else if (kc->token_file && !read_token_file(k, kc->token_file, err))
			return false;
	}
	if (!curl_load(err))
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
		return reason && *reason ? arena_printf(a, "%s: %s", diag_escape(a, reason), diag_escape(a, msg))
					 : diag_escape(a, msg);
	if (r->status == 401)
		return "Unauthorized: the cluster did not accept hyscale's credentials";
	return arena_printf(a, "HTTP %ld", r->status);
}

static size_t on_body(char *p, size_t sz, size_t n, void *ud)
{
	struct kube *k = ud;
	struct sbuf *b = k->body;
	if (b->len + sz * n > KUBE_BODY_MAX) {
		k->too_big = true;
		return 0;   /* a response this large is not one we asked for */
	}
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
	*ARENA_PUSH(k->a, k->warnings, k->nwarnings, k->warnings_cap) = diag_escape(k->a, w);
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
	} else if (l > 13 && !strncasecmp(p, "Content-Type:", 13)) {
		const char *v = p + 13, *end = p + l;
		while (v < end && (*v == ' ' || *v == '\t'))
			v++;
		while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
			end--;
		k->resp_ctype = arena_strndup(k->a, v, (size_t)(end - v));
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
		    size_t blen, struct kube_resp *r, CURLcode *code, char *errbuf, long attempt_ms)
{
	CURL *c = k->curl;
	struct kube_config *kc = k->kc;
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, k->connect_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, attempt_ms);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(c, CURLOPT_USERAGENT, "hyscale/0.1 (C; libcurl)");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	k->body = &r->body;
	curl_easy_setopt(c, CURLOPT_WRITEDATA, k);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)KUBE_BODY_MAX);
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
	if (k->auth_header && !plain_http(kc))
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

/* A path we build from validated parts; one holding a name from a response ("../x", "a?b")
 * must not address another object. */
static bool path_ok(const char *path)
{
	if (path[0] != '/')
		return false;
	const char *q = strchr(path, '?');
	size_t pl = q ? (size_t)(q - path) : strlen(path);
	for (size_t i = 0; i < pl; i++) {
		unsigned char c = (unsigned char)path[i];
		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') && !strchr("-._~:@/", c))
			return false;
		if (c == '/' && (path[i + 1] == '/' || (path[i + 1] == '.' && (path[i + 2] == '/' || i + 2 == pl ||
				(path[i + 2] == '.' && (path[i + 3] == '/' || i + 3 == pl))))))
			return false;
	}
	for (const char *c = q; c && *c; c++)
		if ((unsigned char)*c <= 0x20 || (unsigned char)*c >= 0x7f || *c == '#')
			return false;
	return true;
}

static bool json_type(const char *ct)
{
	if (!ct || strncasecmp(ct, "application/json", 16))
		return false;
	return !ct[16] || ct[16] == ';' || ct[16] == ' ';
}

/* Every answer of the API is a JSON object; anything else (a proxy's HTML page, a cut body)
 * is not an answer, whatever its status: false with r->error, and no status. */
static bool take_body(struct kube *k, struct kube_resp *r)
{
	const char *why = NULL;
	if (!json_type(k->resp_ctype)) {
		why = arena_printf(k->a, "answered HTTP %ld with Content-Type %s, not JSON (a proxy or a login page in the "
					 "way?)", r->status, k->resp_ctype ? diag_escape(k->a, k->resp_ctype) : "(none)");
	} else {
		/* the body's buffer goes to libfyaml as it is: no copy */
		char *text = r->body.buf;
		size_t len = r->body.len;
		if (!text) {
			why = arena_printf(k->a, "answered HTTP %ld with an empty body, not JSON", r->status);
		} else {
			r->body = (struct sbuf)SBUF_INIT;
			r->doc = jdoc_parse_json(text, len, JSON_TOKENS_MAX, &why);
			if (r->doc)
				return true;
			why = arena_printf(k->a, "answered HTTP %ld, but the response %s", r->status, why);
		}
	}
	r->error = arena_printf(k->a, "the cluster at %s %s", k->kc->server, why);
	r->status = 0;
	return false;
}

static const char *timeout_text(struct arena *a, long ms)
{
	return ms % 1000 ? arena_printf(a, "%.1fs", (double)ms / 1000) : arena_printf(a, "%lds", ms / 1000);
}

/* An exec credential that has expired is fetched again before it is used (as kubectl). */
static bool fresh_credentials(struct kube *k, const char **err)
{
	if (!k->kc->has_exec || !k->kc->token_expiry || plain_http(k->kc) || (long)time(NULL) < k->kc->token_expiry)
		return true;
	k->kc->token = NULL;
	if (!kube_exec_credentials(k->kc, k->a, err))
		return false;
	set_auth(k);
	return true;
}

bool kube_call(struct kube *k, const char *method, const char *path, const char *ctype, const char *body,
	       size_t blen, struct kube_resp *r)
{
	memset(r, 0, sizeof(*r));
	if (!path_ok(path)) {
		r->error = arena_printf(k->a, "refusing to send a request to an unsafe path %s", diag_escape(k->a, path));
		return false;
	}
	const char *url = arena_printf(k->a, "%s%s", k->kc->server, path);
	const char *ct = ctype ? arena_printf(k->a, "Content-Type: %s", ctype) : NULL;
	long delay = k->backoff_ms;
	long hard = k->deadline_ms ? k->deadline_ms + KUBE_DEADLINE_GRACE_MS : 0;
	const char *out_of_time = k->deadline_ms ? arena_printf(k->a, "--timeout %s ran out (the cluster at %s had not answered)",
								 timeout_text(k->a, k->kc->timeout_ms), k->kc->server) : NULL;
	for (int attempt = 1;; attempt++) {
		char errbuf[CURL_ERROR_SIZE] = "";
		CURLcode code = CURLE_OK;
		k->retry_after_ms = 0;
		k->nwarnings = k->warnings_taken = 0;
		k->resp_ctype = NULL;
		k->too_big = false;
		kube_resp_free(r);
		const char *cred_err = NULL;
		if (!fresh_credentials(k, &cred_err)) {
			r->error = cred_err;
			return false;
		}
		long t0 = kube_now_ms(), attempt_ms = k->timeout_ms;
		if (hard && hard - t0 <= 0) {
			r->error = out_of_time;
			return false;
		}
		bool cut_by_deadline = hard && hard - t0 < attempt_ms;
		if (cut_by_deadline)
			attempt_ms = hard - t0;
		bool got = perform(k, method, url, ct, body, blen, r, &code, errbuf, attempt_ms);
		if (k->verbose)
			fprintf(stderr, "hyscale: %s %s → %s (%ld ms)\n", method, path,
				got ? arena_printf(k->a, "%ld", r->status)
				    : diag_escape(k->a, *errbuf ? errbuf : curl_easy_strerror(code)),
				kube_now_ms() - t0);
		if (kube_interrupted) {
			r->status = 0;
			r->error = "interrupted";
			return false;
		}
		bool retry;
		if (!got && (k->too_big || code == CURLE_FILESIZE_EXCEEDED)) {
			r->error = arena_printf(k->a, "the cluster at %s sent a response larger than %u MiB, hyscale's limit for one "
						      "API response", k->kc->server, KUBE_BODY_MAX >> 20);
			return false;
		}
		if (!got && code == CURLE_OPERATION_TIMEDOUT && cut_by_deadline) {
			r->error = out_of_time;
			return false;
		}
		if (!got) {
			retry = retryable_transport(code, method);
			r->error = arena_printf(k->a, "cannot reach the cluster at %s: %s", k->kc->server,
						diag_escape(k->a, *errbuf ? errbuf : curl_easy_strerror(code)));
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
		if (hard && kube_now_ms() + wait >= hard) {
			if (!got)
				r->error = arena_printf(k->a, "%s; %s", r->error, out_of_time);
			break;
		}
		if (!kube_sleep(wait)) {
			r->status = 0;
			r->error = "interrupted";
			return false;
		}
	}
	/* An exec plugin's token may have expired: kubectl runs the plugin again on a 401. */
	if (r->status == 401 && k->kc->has_exec && !k->reauthenticated && !plain_http(k->kc)) {
		const char *err = NULL;
		k->reauthenticated = true;
		k->kc->token = NULL;
		if (kube_exec_credentials(k->kc, k->a, &err)) {
			set_auth(k);
			kube_resp_free(r);
			return kube_call(k, method, path, ctype, body, blen, r);
		}
	}
	if (r->status)
		return take_body(k, r);
	return false;
}
