/* A small Kubernetes API client on libcurl: one connection (reused), TLS and auth from the
 * kubeconfig, bounded timeouts, retries with backoff for connection errors, 429 and 5xx
 * (Retry-After honoured), and Ctrl-C handling. Bodies are read with libfyaml.
 *
 * What a server sends is not trusted: every response must be a JSON object (Content-Type and
 * parse) of at most KUBE_BODY_MAX bytes and JSON_VALUES_MAX values, else the call fails with a
 * message and no status; the command's --timeout bounds every request and retry; strings
 * taken from responses for messages go through diag_escape(). */
#ifndef HS_KUBE_H
#define HS_KUBE_H
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <libfyaml.h>
#include "../util/arena.h"
#include "../util/sbuf.h"
#include "kubeconfig.h"

/* The largest response body read: a list of one app's Secrets of ~1 MiB each must fit, and
 * scalar-heavy JSON costs libfyaml about its own size (dense JSON is bounded by JSON_VALUES_MAX). */
#define KUBE_BODY_MAX (32u << 20)
/* After --timeout, a request still running gets this much longer (the rollout wait's last look
 * at the workload starts exactly at its timeout); none starts later. */
#define KUBE_DEADLINE_GRACE_MS 1000

struct kube {
	struct kube_config *kc;
	struct arena *a;
	void *curl;
	long timeout_ms;         /* one request, HYSCALE_REQUEST_TIMEOUT (seconds), default 30 */
	long connect_ms;         /* connecting, default 10 s */
	int attempts;            /* tries for a retryable failure, HYSCALE_RETRIES, default 5 */
	long backoff_ms;         /* first retry delay, doubled each time (HYSCALE_BACKOFF_MS) */
	const char *auth_header; /* "Authorization: Bearer ..." or NULL */
	long retry_after_ms;     /* from the last response */
	bool reauthenticated;    /* the exec plugin was run again after a 401 */
	bool verbose;            /* -v: one line per request on stderr */
	long deadline_ms;        /* kube_now_ms() when --timeout runs out (kc->deadline_ms), 0: none */
	const char *resp_ctype;  /* Content-Type of the last response */
	bool too_big;            /* the last body passed KUBE_BODY_MAX */
	struct sbuf *body;       /* where the body being received goes */
	const char **warnings;   /* Warning headers of the last response (deprecations and the like) */
	size_t nwarnings, warnings_cap, warnings_taken;
	struct kube_disco *disco; /* API discovery documents read so far, by group/version */
	size_t ndisco, disco_cap;
};

struct kube_disco { const char *group_version; struct fy_document *doc; /* NULL: not served */ };

struct kube_resp {
	long status;             /* HTTP status; 0 when no response arrived */
	struct sbuf body;
	struct fy_document *doc; /* the body parsed, or NULL */
	const char *error;       /* transport failure (with status 0), or NULL */
};

extern volatile sig_atomic_t kube_interrupted;
/* SIGINT/SIGTERM set kube_interrupted: transfers abort and waits return early. */
void kube_catch_interrupt(void);

bool kube_open(struct kube *k, struct kube_config *kc, struct arena *a, const char **err);
void kube_close(struct kube *k);
/* Sends method path (path starts with /api or /apis); body may be NULL. Retries as above.
 * Returns false when no HTTP response was obtained (r->error says why). */
bool kube_call(struct kube *k, const char *method, const char *path, const char *ctype, const char *body,
	       size_t blen, struct kube_resp *r);
void kube_resp_free(struct kube_resp *r);
/* "reason: message" from a Status body, else the HTTP status line. */
const char *kube_resp_message(struct kube_resp *r, struct arena *a);
struct fy_node *kube_resp_root(struct kube_resp *r);
/* The next Warning header text of the last response, or NULL. */
const char *kube_take_warning(struct kube *k);
/* Sleeps up to ms, returning early (false) when interrupted. */
bool kube_sleep(long ms);
long kube_now_ms(void);
#endif
