/* Core service checks: name, image, replicas, ports, health checks (see validate.h). */
#include "validate.h"
#include <ctype.h>
#include <string.h>
#include "../spec/read.h"
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
		diag_warn(d, s->name.loc, "name",
			  "service name '%s' does not match the file name '%.*s'; the convention is <service-name>.hspec",
			  s->name.v, (int)bl, base);
}

static void check_image(const struct spec *s, struct diags *d)
{
	if (!s->has_image)
		return;
	if (!s->image_name.v || !*s->image_name.v) {
		diag_error(d, s->image_loc, "image.name", "missing required field");
	} else {
		const char *colon = strchr(s->image_name.v, ':');
		/* HyScale's examples write name: library/redis:4 with no tag; that is a valid
		 * reference as long as image.tag does not add a second tag. */
		bool tag_in_name = colon && !s->image_tag.v && colon[1] && !strchr(colon + 1, ':') &&
				   !strchr(colon + 1, '/') && !strchr(colon + 1, '@');
		if (tag_in_name)
			diag_warn(d, s->image_name.loc, "image.name", "'%s' carries its tag; write it as image.tag: %s",
				  s->image_name.v, colon + 1);
		for (const char *p = s->image_name.v; *p; p++)
			if (isspace((unsigned char)*p) || isupper((unsigned char)*p) || (*p == ':' && !tag_in_name) || *p == '@') {
				diag_error(d, s->image_name.loc, "image.name",
					   "'%s' is not a valid image name (lower case, no spaces; put the tag in image.tag)",
					   s->image_name.v);
				break;
			}
	}
	if (s->image_tag.v) {
		const char *t = s->image_tag.v;
		bool ok = *t && strlen(t) <= 128 && (isalnum((unsigned char)*t) || *t == '_');
		for (; ok && *t; t++)
			ok = isalnum((unsigned char)*t) || strchr("._-", *t);
		if (!ok)
			diag_error(d, s->image_tag.loc, "image.tag",
				   "'%s' is not a valid image tag ([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})", s->image_tag.v);
	}
	if (s->image_registry.v) {
		const char *r = s->image_registry.v;
		bool ok = *r;
		for (; ok && *r; r++)
			ok = !isspace((unsigned char)*r) && *r != '@';
		if (!ok)
			diag_error(d, s->image_registry.loc, "image.registry", "'%s' is not a registry host",
				   s->image_registry.v);
	}
	if (s->image_builds)
		diag_warn(d, s->image_build_loc, "image",
			  "hyscale does not build images; the manifests use %s as it is in the registry",
			  s->image_name.v ? s->image_name.v : "the image");
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
	check_image(s, d);
	check_replicas(s, d);
	check_ports(&s->ports, "ports", a, d);
	for (size_t i = 0; i < s->nagents; i++)
		check_ports(&s->agents[i].ports, arena_printf(a, "agents[%zu].ports", i), a, d);
	if (s->start_command.v && !*s->start_command.v)
		diag_warn(d, s->start_command.loc, "startCommand", "empty: the image's own command is used");
}
