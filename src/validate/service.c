/* Core service checks: name, image, replicas, ports, health checks (see validate.h). */
#include "validate.h"
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include "../spec/read.h"
#include "../util/imageref.h"
#include "../util/names.h"

static void check_name(const struct spec *s, struct arena *a, struct diags *d)
{
	if (!s->name.v)
		return;
	const char *n = name_normalize(a, s->name.v);
	const char *lost = name_dropped(s->name.v);
	if (lost) {
		diag_error(d, s->name.loc, "name",
			   "'%s' holds '%.*s', which an object name cannot hold and hyscale would drop; use letters, digits, "
			   "'-', '.', '_' or spaces (the last three become '-')", s->name.v, utf8_len(lost), lost);
		return;
	}
	if (!is_dns1035_label(n)) {
		diag_error(d, s->name.loc, "name",
			   "'%s' cannot be made a valid Kubernetes Service name (got '%s'): it must start with a "
			   "letter, hold only letters, digits, '-', '.', '_' or spaces, and be at most 63 characters",
			   s->name.v, n);
		return;
	}
	/* HyScale's convention: the file is named after the service (a pipe has no such name). */
	if (s->from_stream)
		return;
	const char *base = strrchr(s->file, '/');
	base = base ? base + 1 : s->file;
	size_t bl = strlen(base);
	const char *dot = strrchr(base, '.');
	if (!dot || strcmp(dot, ".hspec") || (size_t)(dot - base) != strlen(s->name.v) ||
	    strncmp(base, s->name.v, (size_t)(dot - base)))
		/* A note: HyScale's convention, nothing breaks, so --strict must not fail on it. */
		diag_note(d, s->name.loc, "name",
			  "service name '%s' does not match the file name '%.*s'; the convention is <service-name>.hspec",
			  s->name.v, (int)bl, base);
}

/* A user value quoted in a message, cut short: a 3 MB name must not make a 3 MB line. */
static const char *diag_short(struct arena *a, const char *s)
{
	return strlen(s) > 80 ? arena_printf(a, "%.60s... (%zu characters)", s, strlen(s)) : s;
}

/* The first valid digest given and its field: a later one must be the same. */
struct digest_seen { const char *digest, *field; };

static void check_digest(struct digest_seen *seen, const char *text, struct loc l, const char *field, struct arena *a,
			 struct diags *d)
{
	const char *why = imageref_digest_error(text);
	if (why)
		diag_error(d, l, field, "'%s' is not a digest: %s", diag_short(a, text), why);
	else if (seen->digest && strcmp(seen->digest, text))
		diag_error(d, l, field, "digest %s differs from %s given in %s", text, seen->digest, seen->field);
	else if (!seen->digest)
		*seen = (struct digest_seen){ text, field };
}

/* image.name may carry a tag (HyScale's examples: library/redis:4) and a digest
 * (name@sha256:...); image.tag a digest too (1.25@sha256:...); image.digest is the
 * explicit form. Together they must make one reference a container runtime parses. */
static void check_image(const struct spec *s, struct arena *a, struct diags *d)
{
	if (!s->has_image)
		return;
	struct digest_seen seen = { NULL, NULL };
	bool registry_ok = true;
	if (s->image_registry.v) {
		const char *why = imageref_name_error(arena_printf(a, "%s/x", s->image_registry.v), strlen(s->image_registry.v) + 2);
		registry_ok = *s->image_registry.v && !why;
		if (!registry_ok)
			diag_error(d, s->image_registry.loc, "image.registry", "'%s' is not a registry host%s%s",
				   diag_short(a, s->image_registry.v), why ? ": " : "", why ? why : "");
	}
	if (!s->image_name.v || !*s->image_name.v) {
		diag_error(d, s->image_loc, "image.name", "missing required field");
	} else {
		const char *nm = s->image_name.v;
		const char *at = strchr(nm, '@');
		size_t nl = at ? (size_t)(at - nm) : strlen(nm);
		if (at)
			check_digest(&seen, at + 1, s->image_name.loc, "image.name", a, d);
		/* A tag follows the last ':' after the last '/' (an earlier ':' is a registry port). */
		const char *colon = NULL;
		for (const char *p = nm; p < nm + nl; p++)
			colon = *p == '/' ? NULL : *p == ':' ? p : colon;
		if (colon) {
			size_t tl = (size_t)(nm + nl - colon - 1);
			const char *why = imageref_tag_error(colon + 1, tl);
			if (why)
				diag_error(d, s->image_name.loc, "image.name", "tag '%.*s' in '%s' is not valid: %s", (int)tl, colon + 1,
					   diag_short(a, nm), why);
			else if (s->image_tag.v)
				diag_error(d, s->image_name.loc, "image.name", "'%s' carries tag '%.*s' and image.tag gives '%s'; keep one",
					   diag_short(a, nm), (int)tl, colon + 1, diag_short(a, s->image_tag.v));
			else
				diag_warn(d, s->image_name.loc, "image.name", "'%s' carries its tag; write it as image.tag: %.*s",
					  diag_short(a, nm), (int)tl, colon + 1);
			nl = (size_t)(colon - nm);
		}
		const char *full = s->image_registry.v && *s->image_registry.v
					   ? arena_printf(a, "%s/%.*s", s->image_registry.v, (int)nl, nm)
					   : arena_strndup(a, nm, nl);
		const char *why = imageref_name_error(full, strlen(full));
		if (why && strlen(full) > IMAGEREF_NAME_MAX)
			diag_error(d, s->image_name.loc, "image.name", "the image name has %zu characters (with the registry); the most is %d",
				   strlen(full), IMAGEREF_NAME_MAX);
		else if (why && (registry_ok || imageref_name_error(nm, nl))) /* else the registry's fault, reported there */
			diag_error(d, s->image_name.loc, "image.name", "'%s' is not a valid image name: %s",
				   diag_short(a, nm), registry_ok ? why : imageref_name_error(nm, nl));
	}
	if (s->image_tag.v) {
		const char *t = s->image_tag.v;
		const char *at = strchr(t, '@');
		size_t tl = at ? (size_t)(at - t) : strlen(t);
		if (at)
			check_digest(&seen, at + 1, s->image_tag.loc, "image.tag", a, d);
		if (imageref_tag_error(t, tl))
			diag_error(d, s->image_tag.loc, "image.tag",
				   "'%s' is not a valid image tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}, optionally @sha256:<digest>)",
				   diag_short(a, t));
	}
	if (s->image_digest.v)
		check_digest(&seen, s->image_digest.v, s->image_digest.loc, "image.digest", a, d);
	if (s->image_pull_policy.v) {
		const char *p = s->image_pull_policy.v;
		if (strcmp(p, "Always") && strcmp(p, "IfNotPresent") && strcmp(p, "Never"))
			diag_error(d, s->image_pull_policy.loc, "image.pullPolicy",
				   "'%s' is not a pull policy; expected Always, IfNotPresent or Never%s", diag_short(a, p),
				   !strcasecmp(p, "always") || !strcasecmp(p, "ifnotpresent") || !strcasecmp(p, "never")
					   ? " (the case matters)" : "");
	}
	if (s->image_builds)
		diag_warn(d, s->image_build_loc, "image",
			  "hyscale does not build images; the manifests use %s as it is in the registry",
			  s->image_name.v ? diag_short(a, s->image_name.v) : "the image");
}

static void check_replicas(const struct spec *s, struct diags *d)
{
	const struct sreplicas *r = &s->replicas;
	if (!r->set)
		return;
	if (!r->is_object) {
		if (r->count.v < 0)
			diag_error(d, r->count.loc, "replicas", "%ld is negative", r->count.v);
		return;
	}
	if (r->min.set && r->min.v < 0)
		diag_error(d, r->min.loc, "replicas.min", "%ld is negative", r->min.v);
	if (r->max.set && r->max.v < 1)
		diag_error(d, r->max.loc, "replicas.max", "%ld must be at least 1", r->max.v);
	if (r->min.set && r->max.set && r->max.v < r->min.v)
		diag_error(d, r->max.loc, "replicas.max", "%ld is less than replicas.min %ld", r->max.v, r->min.v);
}

/* Ports: range, and two entries that become the same Service port. */
static void check_ports(const struct sports *ps, const char *path, struct arena *a, struct diags *d)
{
	for (size_t i = 0; i < ps->n; i++) {
		const struct sport *p = &ps->v[i];
		const char *fp = arena_printf(a, "%s[%zu].port", path, i);
		if (!p->valid)
			continue;
		if (p->number < 1 || p->number > 65535)
			diag_error(d, p->loc, fp, "%ld is out of range 1-65535", p->number);
		for (size_t j = 0; j < i; j++) {
			const struct sport *q = &ps->v[j];
			if (q->valid && q->number == p->number && (q->proto == PROTO_UDP) == (p->proto == PROTO_UDP))
				diag_warn(d, p->loc, fp, "port %s repeats %s[%zu] ('%s'); one Service port is generated",
					  p->raw, path, j, q->raw);
		}
		if (p->http_path.v) {
			const char *hp = p->http_path.v;
			const char *hf = arena_printf(a, "%s[%zu].healthCheck.httpPath", path, i);
			if (!*hp)
				diag_warn(d, p->http_path.loc, hf, "empty path: no health check is generated");
			else if (hp[0] != '/')
				diag_error(d, p->http_path.loc, hf, "'%s' must start with '/'", hp);
			else
				for (const char *c = hp; *c; c++)
					if ((unsigned char)*c <= ' ' || *c == 0x7f) {
						diag_error(d, p->http_path.loc, hf, "contains a space or control character");
						break;
					}
			if (p->proto == PROTO_UDP)
				diag_error(d, p->http_path.loc, hf, "an HTTP health check cannot probe UDP port %ld",
					   p->number);
		}
	}
}

void validate_service(const struct spec *s, struct arena *a, struct diags *d)
{
	check_name(s, a, d);
	check_image(s, a, d);
	check_replicas(s, d);
	check_ports(&s->ports, "ports", a, d);
	for (size_t i = 0; i < s->nagents; i++)
		check_ports(&s->agents[i].ports, arena_printf(a, "agents[%zu].ports", i), a, d);
	if (s->start_command.v && !*s->start_command.v)
		diag_warn(d, s->start_command.loc, "startCommand", "empty: the image's own command is used");
}
