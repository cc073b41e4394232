/* Typed reading of an .hspec document (see read.h). */
#include "read.h"
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "../util/names.h"
#include "fields.h"

struct rd {
	struct arena *a;
	struct diags *d;
	struct yfile *yf;
};

static const char *join(struct rd *r, const char *path, const char *key)
{
	return path && *path ? arena_printf(r->a, "%s.%s", path, key) : arena_strdup(r->a, key);
}

static const char *idx(struct rd *r, const char *path, size_t i)
{
	return arena_printf(r->a, "%s[%zu]", path, i);
}

static struct loc L(struct rd *r, struct fy_node *n) { return yloc(r->yf, n); }

/* What an unknown key is: HyScale ignored unknown fields, so most stay warnings; in our
 * loadBalancer block every one is an error, and so is a top-level key one edit or only
 * the case away from a known field (`loadbalancer:` silently dropped all routing). */
enum unknown_keys { UNKNOWN_WARN, UNKNOWN_ERROR, UNKNOWN_TOP };

static const char *field_home(struct rd *r, const char *path, const char *key);

static void check_keys_as(struct rd *r, struct fy_node *map, const char *path, const struct field *known,
			  enum unknown_keys how)
{
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(map, &it))) {
		struct fy_node *k = fy_node_pair_key(p);
		const char *ks = yscalar(k, NULL);
		if (!ks) {
			diag_error(r->d, L(r, k), path, "mapping keys must be plain strings");
			continue;
		}
		bool found = false;
		const char *best = NULL;
		size_t bestd = 3;
		/* Known keys first: edit distances only for an unknown one. */
		for (const struct field *kn = known; kn->name && !found; kn++)
			found = !strcmp(kn->name, ks);
		for (const struct field *kn = known; kn->name && !found; kn++) {
			size_t dist = edit_distance(ks, kn->name, 3);
			if (!strcasecmp(ks, kn->name))
				dist = 0;
			if (dist < bestd || (dist <= 3 && !strcasecmp(ks, kn->name))) {
				bestd = dist;
				best = kn->name;
			}
		}
		if (found)
			continue;
		const char *fp = join(r, path, ks);
		const char *home = field_home(r, path, ks);
		if (home) {
			diag_error(r->d, L(r, k), fp, "not a field here; it belongs in %s", home);
			continue;
		}
		bool error = how == UNKNOWN_ERROR || (how == UNKNOWN_TOP && best && bestd <= 1);
		if (best)
			diag_report(r->d, error ? DIAG_ERROR : DIAG_WARNING, L(r, k), fp, "unknown field; did you mean '%s'?", best);
		else
			diag_report(r->d, error ? DIAG_ERROR : DIAG_WARNING, L(r, k), fp, "unknown field (%s)",
				    error ? "loadBalancer is hyscale's block: every field must be known" : "ignored");
	}
}

static void check_keys(struct rd *r, struct fy_node *map, const char *path, const struct field *known)
{
	check_keys_as(r, map, path, known, strncmp(path, "loadBalancer", 12) ? UNKNOWN_WARN : UNKNOWN_ERROR);
}

/* Value of `key` in map, aliases resolved; *kl receives the key's position. */
static struct fy_node *get(struct rd *r, struct fy_node *map, const char *key, struct loc *kl)
{
	struct fy_node_pair *p = fy_node_mapping_lookup_pair_by_string(map, key, FY_NT);
	if (!p)
		return NULL;
	struct loc l = L(r, fy_node_pair_key(p));
	if (kl)
		*kl = l;
	return ynode(r->yf, fy_node_pair_value(p), r->d, l);
}

static bool plain_is(struct fy_node *n, const char *const *words)
{
	if (yis_quoted(n))
		return false;
	const char *s = yscalar(n, NULL);
	for (; s && *words; words++)
		if (!strcmp(s, *words))
			return true;
	return false;
}

static const char *const k_true[] = { "true", "True", "TRUE", NULL };
static const char *const k_false[] = { "false", "False", "FALSE", NULL };
static const char *const k_yaml11_bool[] = { "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON",
					     "off", "Off", "OFF", "y", "Y", "n", "N", NULL };
/* The YAML 1.1 words HyScale's parser (SnakeYAML) read as booleans; y and n it did not. */
static const char *const k_yaml11_true[] = { "yes", "Yes", "YES", "on", "On", "ON", NULL };
static const char *const k_yaml11_false[] = { "no", "No", "NO", "off", "Off", "OFF", NULL };

static bool is_int_text(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static bool is_number_text(const char *s)
{
	char *end;
	if (!*s)
		return false;
	errno = 0;
	strtod(s, &end);
	return *end == '\0' && isdigit((unsigned char)s[strlen(s) - 1]);
}

/* A scalar as text. Numbers are taken as written (tag: 1.10 stays "1.10"); booleans and
 * nulls are type errors since they are almost always a mistake. */
static bool scalar_text(struct rd *r, struct fy_node *n, const char *path, struct sstr *out, struct loc kl)
{
	if (r->yf->budget_reported)
		return false;
	if (!n || yis_null(n)) {
		diag_error(r->d, kl, path, "expected a string, got null");
		return false;
	}
	if (!fy_node_is_scalar(n)) {
		diag_error(r->d, L(r, n), path, "expected a string, got %s", ytype_name(n));
		return false;
	}
	if (plain_is(n, k_true) || plain_is(n, k_false)) {
		diag_error(r->d, L(r, n), path, "expected a string, got a boolean; quote it if meant as text");
		return false;
	}
	size_t len;
	const char *s = yscalar(n, &len);
	if (!s) {
		diag_error(r->d, L(r, n), path, "contains a NUL character");
		return false;
	}
	out->v = arena_strndup(r->a, s, len);
	out->loc = L(r, n);
	return true;
}

static void rd_str(struct rd *r, struct fy_node *map, const char *key, const char *path, struct sstr *out)
{
	struct loc kl;
	struct fy_node *n = get(r, map, key, &kl);
	if (!fy_node_mapping_lookup_pair_by_string(map, key, FY_NT))
		return;
	scalar_text(r, n, join(r, path, key), out, kl);
}

/* hyscale_field: a boolean field of HyScale's schema, where its YAML 1.1 words are
 * accepted with a warning (they were booleans there); in our extensions they are errors. */
static void rd_bool(struct rd *r, struct fy_node *map, const char *key, const char *path, struct sbool *out,
		    bool hyscale_field)
{
	struct loc kl;
	if (!fy_node_mapping_lookup_pair_by_string(map, key, FY_NT))
		return;
	struct fy_node *n = get(r, map, key, &kl);
	const char *fp = join(r, path, key);
	if (n && plain_is(n, k_true)) {
		*out = (struct sbool){ true, true, L(r, n) };
	} else if (n && plain_is(n, k_false)) {
		*out = (struct sbool){ false, true, L(r, n) };
	} else if (n && hyscale_field && (plain_is(n, k_yaml11_true) || plain_is(n, k_yaml11_false))) {
		bool v = plain_is(n, k_yaml11_true);
		*out = (struct sbool){ v, true, L(r, n) };
		diag_warn(r->d, L(r, n), fp, "'%s' is a boolean only in YAML 1.1 (HyScale read it as %s); write %s",
			  yscalar(n, NULL), v ? "true" : "false", v ? "true" : "false");
	} else if (n && plain_is(n, k_yaml11_bool)) {
		diag_error(r->d, L(r, n), fp, "'%s' is not a boolean in YAML 1.2; write true or false",
			   yscalar(n, NULL));
	} else if (n) {
		diag_error(r->d, yis_null(n) ? kl : L(r, n), fp, "expected true or false, got %s",
			   yis_null(n) ? "null" : fy_node_is_scalar(n) ? arena_printf(r->a, "'%s'", yscalar(n, NULL) ? yscalar(n, NULL) : "") : ytype_name(n));
	}
}

static bool node_int(struct rd *r, struct fy_node *n, const char *fp, struct sint *out, struct loc kl)
{
	if (r->yf->budget_reported)
		return false;
	const char *s = n && fy_node_is_scalar(n) && !yis_quoted(n) ? yscalar(n, NULL) : NULL;
	if (!s || !is_int_text(s)) {
		diag_error(r->d, n && !yis_null(n) ? L(r, n) : kl, fp, "expected an integer, got %s",
			   !n || yis_null(n) ? "null" : fy_node_is_scalar(n) ? arena_printf(r->a, "'%s'", yscalar(n, NULL) ? yscalar(n, NULL) : "") : ytype_name(n));
		return false;
	}
	errno = 0;
	long v = strtol(s, NULL, 10);
	if (errno == ERANGE || v > 1000000000L || v < -1000000000L) {
		diag_error(r->d, L(r, n), fp, "integer %s is out of range", s);
		return false;
	}
	*out = (struct sint){ v, true, L(r, n) };
	return true;
}

/* A mapping of scalars (props, headers, labels…). */
static void rd_kvs(struct rd *r, struct fy_node *map, const char *key, const char *path, struct skvs *out)
{
	struct loc kl;
	if (!fy_node_mapping_lookup_pair_by_string(map, key, FY_NT))
		return;
	struct fy_node *n = get(r, map, key, &kl);
	const char *fp = join(r, path, key);
	out->loc = kl;
	if (!n)
		return;
	if (yis_null(n)) {
		out->set = true;
		return;
	}
	if (!fy_node_is_mapping(n)) {
		diag_error(r->d, L(r, n), fp, "expected a mapping of names to values, got %s", ytype_name(n));
		return;
	}
	out->set = true;
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(n, &it))) {
		struct fy_node *k = fy_node_pair_key(p);
		const char *ks = yscalar(k, NULL);
		if (!ks) {
			diag_error(r->d, L(r, k), fp, "keys must be strings");
			continue;
		}
		const char *ep = arena_printf(r->a, "%s.%s", fp, ks);
		struct fy_node *v = ynode(r->yf, fy_node_pair_value(p), r->d, L(r, k));
		if (r->yf->budget_reported)
			return;
		if (!v || yis_null(v) || !fy_node_is_scalar(v)) {
			diag_error(r->d, v && !yis_null(v) ? L(r, v) : L(r, k), ep,
				   "expected a string, number or boolean, got %s", v ? ytype_name(v) : "null");
			continue;
		}
		const char *vs = yscalar(v, NULL);
		if (!vs) {
			diag_error(r->d, L(r, v), ep, "contains a NUL character");
			continue;
		}
		struct skv *e = ARENA_PUSH(r->a, out->v, out->n, out->cap);
		e->key = arena_strdup(r->a, ks);
		e->value = arena_strdup(r->a, vs);
		e->kloc = L(r, k);
		e->vloc = L(r, v);
		e->value_is_str = yis_quoted(v) || !(is_number_text(vs) || plain_is(v, k_true) || plain_is(v, k_false));
	}
}

static struct fy_node *expect(struct rd *r, struct fy_node *map, const char *key, const char *path,
			      bool want_map, struct loc *kl)
{
	if (!fy_node_mapping_lookup_pair_by_string(map, key, FY_NT))
		return NULL;
	struct fy_node *n = get(r, map, key, kl);
	if (!n || yis_null(n) || r->yf->budget_reported)
		return NULL;
	if (want_map ? !fy_node_is_mapping(n) : !fy_node_is_sequence(n)) {
		diag_error(r->d, L(r, n), join(r, path, key), "expected %s, got %s",
			   want_map ? "a mapping" : "a list", ytype_name(n));
		return NULL;
	}
	return n;
}

/* Iterates the items of a sequence with aliases resolved. */
#define FOR_ITEMS(r, seq, i, item)                                                         \
	for (size_t i = 0, n_##i = (size_t)fy_node_sequence_item_count(seq); i < n_##i && !(r)->yf->budget_reported; i++) \
		for (struct fy_node *item = ynode((r)->yf, fy_node_sequence_get_by_index(seq, (int)i), (r)->d, L((r), seq)), \
		     *once_##i = (struct fy_node *)1; once_##i; once_##i = NULL)

/* `- ` with nothing after it: HyScale's own docs have one (k8sSnippets in the seed
 * example); it names nothing, so it is skipped with a warning instead of ending the run. */
static bool empty_item(struct rd *r, struct fy_node *it, struct fy_node *seq, const char *ip)
{
	if (it && !yis_null(it))
		return false;
	struct loc l = it ? L(r, it) : L(r, seq);
	/* An empty scalar has no token, so its position is the '-' that introduces it: the
	 * next dash at most as indented as the item before, after that item's line. */
	int i = fy_node_sequence_item_count(seq);
	struct fy_node *prev = NULL;
	for (int k = 0; k < i; k++) {
		struct fy_node *x = fy_node_sequence_get_by_index(seq, k);
		if (x == it || (it == NULL && k == i - 1))
			break;
		prev = x;
	}
	if (prev && r->yf->text && !yis_null(prev)) {
		struct loc pl = L(r, prev);
		const char *t = r->yf->text;
		for (int line = 1; t && *t; line++) {
			size_t ind = strspn(t, " ");
			if (line > pl.line && t[ind] == '-' && (t[ind + 1] == ' ' || t[ind + 1] == '\n' || t[ind + 1] == '\r' ||
								!t[ind + 1]) && (int)ind + 1 < pl.col) {
				l.line = line;
				l.col = (int)ind + 1;
				break;
			}
			t = strchr(t, '\n');
			t = t ? t + 1 : NULL;
		}
	}
	diag_warn(r->d, l, ip, "empty list entry (skipped)");
	return true;
}

static void rd_str_list(struct rd *r, struct fy_node *map, const char *key, const char *path,
			struct sstr **arr, size_t *n, size_t *cap, bool *has, struct loc *where)
{
	struct loc kl = { 0 };
	struct fy_node *seq = expect(r, map, key, path, false, &kl);
	if (where)
		*where = kl;
	if (!seq)
		return;
	if (has)
		*has = true;
	const char *fp = join(r, path, key);
	FOR_ITEMS(r, seq, i, it) {
		if (empty_item(r, it, seq, idx(r, fp, i)))
			continue;
		struct sstr s = { 0 };
		if (scalar_text(r, it, idx(r, fp, i), &s, L(r, seq)))
			*ARENA_PUSH(r->a, *arr, *n, *cap) = s;
	}
}

const char *proto_name(enum port_proto p)
{
	static const char *const names[] = { "tcp", "udp", "http", "https" };
	return names[p];
}

bool port_parse(const char *text, long *number, enum port_proto *proto)
{
	const char *s = text;
	if (!isdigit((unsigned char)*s))
		return false;
	long v = 0;
	for (; isdigit((unsigned char)*s); s++) {
		v = v * 10 + (*s - '0');
		if (v > 1000000)
			return false;
	}
	*proto = PROTO_TCP;
	if (*s == '/') {
		s++;
		if (!strcasecmp(s, "tcp"))
			*proto = PROTO_TCP;
		else if (!strcasecmp(s, "udp"))
			*proto = PROTO_UDP;
		else if (!strcasecmp(s, "http"))
			*proto = PROTO_HTTP;
		else if (!strcasecmp(s, "https"))
			*proto = PROTO_HTTPS;
		else
			return false;
	} else if (*s) {
		return false;
	}
	*number = v;
	return true;
}

/* A port value: 8080 or "8080/http". Range checks are validation's job. */
static void port_value(struct rd *r, struct fy_node *n, const char *fp, struct sport *p, struct loc kl)
{
	struct sstr t = { 0 };
	if (n && fy_node_is_scalar(n) && !yis_null(n) && !yis_quoted(n) && is_int_text(yscalar(n, NULL) ? yscalar(n, NULL) : "x")) {
		t.v = yscalar(n, NULL);
	} else if (!scalar_text(r, n, fp, &t, kl)) {
		return;
	}
	p->raw = arena_strdup(r->a, t.v);
	p->loc = L(r, n);
	if (!port_parse(t.v, &p->number, &p->proto)) {
		diag_error(r->d, p->loc, fp,
			   "'%s' is not a port; expected <number>[/tcp|udp|http|https], e.g. 8080/http", t.v);
		return;
	}
	p->valid = true;
}


static void rd_ports(struct rd *r, struct fy_node *map, const char *path, struct sports *out)
{
	struct loc kl = { 0 };
	struct fy_node *seq = expect(r, map, "ports", path, false, &kl);
	out->loc = kl;
	if (!seq)
		return;
	out->set = true;
	const char *fp = join(r, path, "ports");
	FOR_ITEMS(r, seq, i, it) {
		const char *ip = idx(r, fp, i);
		if (empty_item(r, it, seq, ip))
			continue;
		if (!it || !fy_node_is_mapping(it)) {
			diag_error(r->d, it ? L(r, it) : kl, ip, "expected a mapping with 'port', got %s",
				   ytype_name(it));
			continue;
		}
		check_keys(r, it, ip, spec_fields("ports[]"));
		struct sport *p = ARENA_PUSH(r->a, out->v, out->n, out->cap);
		p->loc = L(r, it);
		struct loc pk;
		struct fy_node *pn = get(r, it, "port", &pk);
		if (!fy_node_mapping_lookup_pair_by_string(it, "port", FY_NT))
			diag_error(r->d, L(r, it), ip, "missing required field 'port'");
		else
			port_value(r, pn, join(r, ip, "port"), p, pk);
		struct loc hk;
		if (fy_node_mapping_lookup_pair_by_string(it, "healthCheck", FY_NT)) {
			struct fy_node *h = get(r, it, "healthCheck", &hk);
			p->health_loc = hk;
			if (h && fy_node_is_mapping(h)) {
				p->has_health = true;
				check_keys(r, h, join(r, ip, "healthCheck"), spec_fields("ports[].healthCheck"));
				rd_str(r, h, "httpPath", join(r, ip, "healthCheck"), &p->http_path);
			} else if (h && !yis_null(h)) {
				diag_error(r->d, L(r, h), join(r, ip, "healthCheck"), "expected a mapping, got %s",
					   ytype_name(h));
			}
		}
	}
}

static void rd_secrets(struct rd *r, struct fy_node *map, const char *path, struct ssecrets *out)
{
	struct loc kl;
	if (!fy_node_mapping_lookup_pair_by_string(map, "secrets", FY_NT))
		return;
	struct fy_node *n = get(r, map, "secrets", &kl);
	out->loc = kl;
	if (!n || yis_null(n))
		return;
	if (fy_node_is_mapping(n)) {
		out->set = out->is_map = true;
		rd_kvs(r, map, "secrets", path, &out->map);
	} else if (fy_node_is_sequence(n)) {
		out->set = true;
		bool has;
		rd_str_list(r, map, "secrets", path, &out->names, &out->nnames, &out->names_cap, &has, NULL);
	} else {
		diag_error(r->d, L(r, n), join(r, path, "secrets"),
			   "expected a list of secret names or a mapping of names to values, got %s", ytype_name(n));
	}
}


static void rd_image(struct rd *r, struct fy_node *root, struct spec *s)
{
	struct loc kl;
	if (!fy_node_mapping_lookup_pair_by_string(root, "image", FY_NT))
		return;
	struct fy_node *n = get(r, root, "image", &kl);
	s->image_loc = kl;
	if (!n || !fy_node_is_mapping(n)) {
		diag_error(r->d, n && !yis_null(n) ? L(r, n) : kl, "image",
			   "expected a mapping with registry, name and tag, got %s", ytype_name(n));
		return;
	}
	s->has_image = true;
	check_keys(r, n, "image", spec_fields("image"));
	rd_str(r, n, "registry", "image", &s->image_registry);
	rd_str(r, n, "name", "image", &s->image_name);
	rd_str(r, n, "tag", "image", &s->image_tag);
	rd_str(r, n, "digest", "image", &s->image_digest);
	rd_str(r, n, "pullPolicy", "image", &s->image_pull_policy);
	struct loc bl;
	struct fy_node *df = expect(r, n, "dockerfile", "image", true, &bl);
	if (df) {
		check_keys(r, df, "image.dockerfile", spec_fields("image.dockerfile"));
		s->image_builds = true;
		s->image_build_loc = bl;
	}
	struct fy_node *bs = expect(r, n, "buildSpec", "image", true, &bl);
	if (bs) {
		check_keys(r, bs, "image.buildSpec", spec_fields("image.buildSpec"));
		s->image_builds = true;
		s->image_build_loc = bl;
	}
}


static void rd_replicas(struct rd *r, struct fy_node *root, struct spec *s)
{
	struct loc kl = { 0 }; /* -O3 cannot see that get() always sets it */
	if (!fy_node_mapping_lookup_pair_by_string(root, "replicas", FY_NT))
		return;
	struct fy_node *n = get(r, root, "replicas", &kl);
	s->replicas.loc = kl;
	if (n && fy_node_is_mapping(n)) {
		s->replicas.set = s->replicas.is_object = true;
		check_keys(r, n, "replicas", spec_fields("replicas"));
		struct loc l2;
		struct fy_node *v;
		if ((v = get(r, n, "min", &l2)))
			node_int(r, v, "replicas.min", &s->replicas.min, l2);
		if ((v = get(r, n, "max", &l2)))
			node_int(r, v, "replicas.max", &s->replicas.max, l2);
		rd_str(r, n, "cpuThreshold", "replicas", &s->replicas.cpu_threshold);
	} else if (node_int(r, n, "replicas", &s->replicas.count, kl)) {
		s->replicas.set = true;
	}
}


static void rd_volumes(struct rd *r, struct fy_node *root, struct spec *s)
{
	struct loc kl;
	struct fy_node *seq = expect(r, root, "volumes", "", false, &kl);
	if (!seq)
		return;
	s->has_volumes = true;
	FOR_ITEMS(r, seq, i, it) {
		const char *ip = idx(r, "volumes", i);
		if (empty_item(r, it, seq, ip))
			continue;
		if (!it || !fy_node_is_mapping(it)) {
			diag_error(r->d, it ? L(r, it) : kl, ip, "expected a mapping, got %s", ytype_name(it));
			continue;
		}
		check_keys(r, it, ip, spec_fields("volumes[]"));
		struct svolume *v = ARENA_PUSH(r->a, s->volumes, s->nvolumes, s->volumes_cap);
		v->loc = L(r, it);
		rd_str(r, it, "name", ip, &v->name);
		rd_str(r, it, "path", ip, &v->path);
		rd_str(r, it, "size", ip, &v->size);
		rd_str(r, it, "storageClass", ip, &v->storage_class);
		rd_bool(r, it, "readOnly", ip, &v->read_only, true);
	}
}


static void rd_agents(struct rd *r, struct fy_node *root, struct spec *s)
{
	struct loc kl;
	struct fy_node *seq = expect(r, root, "agents", "", false, &kl);
	if (!seq)
		return;
	FOR_ITEMS(r, seq, i, it) {
		const char *ip = idx(r, "agents", i);
		if (empty_item(r, it, seq, ip))
			continue;
		if (!it || !fy_node_is_mapping(it)) {
			diag_error(r->d, it ? L(r, it) : kl, ip, "expected a mapping, got %s", ytype_name(it));
			continue;
		}
		check_keys(r, it, ip, spec_fields("agents[]"));
		struct sagent *ag = ARENA_PUSH(r->a, s->agents, s->nagents, s->agents_cap);
		ag->loc = L(r, it);
		rd_str(r, it, "name", ip, &ag->name);
		rd_str(r, it, "image", ip, &ag->image);
		rd_kvs(r, it, "props", ip, &ag->props);
		rd_str(r, it, "propsVolumePath", ip, &ag->props_path);
		rd_secrets(r, it, ip, &ag->secrets);
		rd_str(r, it, "secretsVolumePath", ip, &ag->secrets_path);
		rd_ports(r, it, ip, &ag->ports);
		struct loc vl;
		struct fy_node *vs = expect(r, it, "volumes", ip, false, &vl);
		if (!vs)
			continue;
		const char *vp = join(r, ip, "volumes");
		FOR_ITEMS(r, vs, j, v) {
			const char *jp = idx(r, vp, j);
			if (empty_item(r, v, vs, jp))
				continue;
			if (!v || !fy_node_is_mapping(v)) {
				diag_error(r->d, v ? L(r, v) : vl, jp, "expected a mapping, got %s", ytype_name(v));
				continue;
			}
			check_keys(r, v, jp, spec_fields("agents[].volumes[]"));
			struct sagent_volume *av = ARENA_PUSH(r->a, ag->volumes, ag->nvolumes, ag->volumes_cap);
			av->loc = L(r, v);
			rd_str(r, v, "attach", jp, &av->attach);
			rd_str(r, v, "mountPath", jp, &av->mount_path);
			rd_bool(r, v, "readOnly", jp, &av->read_only, true);
		}
	}
}


static void rd_traffic(struct rd *r, struct fy_node *root, struct spec *s)
{
	struct loc kl;
	if (!fy_node_mapping_lookup_pair_by_string(root, "allowTraffic", FY_NT))
		return;
	s->has_traffic = true;
	struct fy_node *seq = expect(r, root, "allowTraffic", "", false, &kl);
	s->traffic_loc = kl;
	if (!seq)
		return;
	FOR_ITEMS(r, seq, i, it) {
		const char *ip = idx(r, "allowTraffic", i);
		if (empty_item(r, it, seq, ip))
			continue;
		if (!it || !fy_node_is_mapping(it)) {
			diag_error(r->d, it ? L(r, it) : kl, ip, "expected a mapping, got %s", ytype_name(it));
			continue;
		}
		check_keys(r, it, ip, spec_fields("allowTraffic[]"));
		struct straffic *t = ARENA_PUSH(r->a, s->traffic, s->ntraffic, s->traffic_cap);
		t->loc = L(r, it);
		rd_str_list(r, it, "ports", ip, &t->ports, &t->nports, &t->ports_cap, &t->has_ports, NULL);
		rd_str_list(r, it, "from", ip, &t->from, &t->nfrom, &t->from_cap, &t->has_from, NULL);
	}
}


static void rd_context_paths(struct rd *r, struct fy_node *m, const char *mp, struct smapping *mm)
{
	struct loc kl;
	struct fy_node *seq = expect(r, m, "contextPaths", mp, false, &kl);
	if (!seq)
		return;
	mm->has_paths = true;
	mm->paths_given = (size_t)fy_node_sequence_item_count(seq);
	const char *fp = join(r, mp, "contextPaths");
	FOR_ITEMS(r, seq, i, it) {
		const char *ip = idx(r, fp, i);
		if (empty_item(r, it, seq, ip))
			continue;
		struct spath p = { 0 };
		if (it && fy_node_is_mapping(it)) {
			/* {path: /healthz, match: exact|prefix} */
			check_keys(r, it, ip, spec_fields("loadBalancer.mapping[].contextPaths[]"));
			struct sstr ps = { 0 }, ms = { 0 };
			rd_str(r, it, "path", ip, &ps);
			rd_str(r, it, "match", ip, &ms);
			if (!ps.v) {
				if (!fy_node_mapping_lookup_pair_by_string(it, "path", FY_NT))
					diag_error(r->d, L(r, it), ip, "missing required field 'path'");
				continue;
			}
			if (ms.v && strcmp(ms.v, "exact") && strcmp(ms.v, "prefix")) {
				diag_error(r->d, ms.loc, join(r, ip, "match"),
					   "'%s' is not a match type; expected exact or prefix", ms.v);
				continue;
			}
			p.path = ps.v;
			p.loc = ps.loc;
			p.exact = ms.v && !strcmp(ms.v, "exact");
		} else {
			struct sstr ps = { 0 };
			if (!scalar_text(r, it, ip, &ps, kl))
				continue;
			p.path = ps.v;
			p.loc = ps.loc;
		}
		*ARENA_PUSH(r->a, mm->paths, mm->npaths, mm->cap) = p;
	}
}

static void rd_lb(struct rd *r, struct fy_node *root, struct sloadbalancer *lb)
{
	struct loc kl;
	if (!fy_node_mapping_lookup_pair_by_string(root, "loadBalancer", FY_NT))
		return;
	struct fy_node *n = get(r, root, "loadBalancer", &kl);
	lb->loc = kl;
	if (!n || yis_null(n))
		return;
	if (!fy_node_is_mapping(n)) {
		diag_error(r->d, L(r, n), "loadBalancer", "expected a mapping, got %s%s", ytype_name(n),
			   fy_node_is_sequence(n) ? " (HyScale's docs show a list in one place, but the field is a mapping)" : "");
		return;
	}
	lb->set = true;
	const char *P = "loadBalancer";
	check_keys(r, n, P, spec_fields("loadBalancer"));
	rd_str(r, n, "provider", P, &lb->provider);
	rd_str(r, n, "className", P, &lb->class_name);
	rd_str(r, n, "implementation", P, &lb->implementation);
	rd_str(r, n, "host", P, &lb->host);
	rd_str_list(r, n, "hosts", P, &lb->hosts, &lb->nhosts, &lb->hosts_cap, NULL, &lb->hosts_loc);
	rd_str(r, n, "tlsSecret", P, &lb->tls_secret);
	rd_bool(r, n, "httpsRedirect", P, &lb->https_redirect, false);
	if (fy_node_mapping_lookup_pair_by_string(n, "sticky", FY_NT)) {
		struct loc sl;
		struct fy_node *sv = get(r, n, "sticky", &sl);
		if (sv && fy_node_is_mapping(sv)) {
			lb->sticky = (struct sbool){ true, true, sl };
			lb->sticky_obj = true;
			check_keys(r, sv, "loadBalancer.sticky", spec_fields("loadBalancer.sticky"));
			rd_str(r, sv, "cookie", "loadBalancer.sticky", &lb->sticky_cookie);
			rd_str(r, sv, "ttl", "loadBalancer.sticky", &lb->sticky_ttl);
		} else {
			rd_bool(r, n, "sticky", P, &lb->sticky, true);
		}
	}
	rd_kvs(r, n, "headers", P, &lb->headers);
	rd_kvs(r, n, "labels", P, &lb->labels);
	rd_kvs(r, n, "annotations", P, &lb->annotations);
	struct loc gl;
	struct fy_node *g = expect(r, n, "gateway", P, true, &gl);
	if (g) {
		lb->gateway.set = true;
		lb->gateway.loc = gl;
		check_keys(r, g, "loadBalancer.gateway", spec_fields("loadBalancer.gateway"));
		rd_str(r, g, "name", "loadBalancer.gateway", &lb->gateway.name);
		rd_str(r, g, "namespace", "loadBalancer.gateway", &lb->gateway.ns);
		rd_str(r, g, "sectionName", "loadBalancer.gateway", &lb->gateway.section);
		rd_bool(r, g, "referenceGrant", "loadBalancer.gateway", &lb->gateway.reference_grant, false);
	}
	struct loc ml;
	if (fy_node_mapping_lookup_pair_by_string(n, "mapping", FY_NT))
		lb->has_mapping = true;
	struct fy_node *seq = expect(r, n, "mapping", P, false, &ml);
	lb->mapping_loc = ml;
	if (!seq)
		return;
	FOR_ITEMS(r, seq, i, it) {
		const char *ip = idx(r, "loadBalancer.mapping", i);
		if (empty_item(r, it, seq, ip))
			continue;
		if (!it || !fy_node_is_mapping(it)) {
			diag_error(r->d, it ? L(r, it) : ml, ip, "expected a mapping with port and contextPaths, got %s",
				   ytype_name(it));
			continue;
		}
		check_keys(r, it, ip, spec_fields("loadBalancer.mapping[]"));
		struct smapping *m = ARENA_PUSH(r->a, lb->mapping, lb->nmapping, lb->mapping_cap);
		m->loc = L(r, it);
		struct loc pk;
		if (fy_node_mapping_lookup_pair_by_string(it, "port", FY_NT)) {
			struct fy_node *pn = get(r, it, "port", &pk);
			m->has_port = true;
			port_value(r, pn, join(r, ip, "port"), &m->port, pk);
		}
		rd_context_paths(r, it, ip, m);
	}
}


/* Where each known field lives ([] = items of a list), for a key given at the wrong
 * depth (contextPaths directly under loadBalancer, tag at the top level). */
static const char *const k_homes[] = {
	"", "image", "replicas", "ports[]", "ports[].healthCheck", "volumes[]", "agents[]",
	"agents[].volumes[]", "allowTraffic[]", "loadBalancer", "loadBalancer.mapping[]",
	"loadBalancer.mapping[].contextPaths[]", "loadBalancer.sticky", "loadBalancer.gateway",
};

/* The home of `key` if it is a field somewhere else, preferring one in the same block;
 * NULL when it is nobody's field (then it is an unknown field or a typo). */
static const char *field_home(struct rd *r, const char *path, const char *key)
{
	/* loadBalancer.mapping[0] -> loadBalancer.mapping[] */
	char *here = arena_strdup(r->a, path), *o = here;
	for (const char *p = path; *p; p++) {
		*o++ = *p;
		if (*p == '[')
			while (p[1] && p[1] != ']')
				p++;
	}
	*o = '\0';
	size_t block = strcspn(here, ".[");
	const char *found = NULL;
	for (size_t i = 0; i < sizeof(k_homes) / sizeof(*k_homes); i++) {
		const char *home = k_homes[i];
		if (!strcmp(home, here) || !field_find(spec_fields(home), key))
			continue;
		const char *h = *home ? arena_printf(r->a, "%s.%s", home, key) : key;
		if (block && !strncmp(home, here, block) && (home[block] == '\0' || strchr(".[", home[block])))
			return h;
		if (!found)
			found = h;
	}
	/* A key of another block is only 'misplaced' at the top level or inside its own block:
	 * name or path inside some other list item is just an unknown field there. */
	return found && (!*here || !strcmp(here, "image") || !strncmp(here, "loadBalancer", 12)) ? found : NULL;
}

void spec_read(struct spec *s, struct yfile *yf, struct arena *a, struct diags *d)
{
	struct rd r = { a, d, yf };
	memset(s, 0, sizeof(*s));
	s->file = yf->path;
	s->from_stream = yf->stream;
	const char *slash = strrchr(yf->path, '/');
	s->dir = slash ? arena_strndup(a, yf->path, (size_t)(slash - yf->path) + (slash == yf->path)) : ".";
	struct fy_node *root = ynode(yf, fy_document_root(yf->doc), d, LOC(yf->path, 1, 1));
	if (!root || !fy_node_is_mapping(root)) {
		diag_error(d, L(&r, root ? root : fy_document_root(yf->doc)), NULL,
			   "a service spec must be a mapping of fields, got %s", ytype_name(root));
		return;
	}
	check_keys_as(&r, root, "", spec_fields(""), UNKNOWN_TOP);
	struct sstr ver = { 0 };
	rd_str(&r, root, "hspecVersion", "", &ver);
	rd_str(&r, root, "name", "", &s->name);
	if (!fy_node_mapping_lookup_pair_by_string(root, "name", FY_NT))
		diag_error(d, L(&r, root), "name", "missing required field");
	if (!fy_node_mapping_lookup_pair_by_string(root, "image", FY_NT))
		diag_error(d, L(&r, root), "image", "missing required field");
	rd_image(&r, root, s);
	rd_replicas(&r, root, s);
	rd_str(&r, root, "memory", "", &s->memory);
	rd_str(&r, root, "cpu", "", &s->cpu);
	rd_str(&r, root, "startCommand", "", &s->start_command);
	rd_bool(&r, root, "external", "", &s->external, true);
	rd_ports(&r, root, "", &s->ports);
	rd_volumes(&r, root, s);
	rd_kvs(&r, root, "props", "", &s->props);
	rd_str(&r, root, "propsVolumePath", "", &s->props_path);
	rd_secrets(&r, root, "", &s->secrets);
	rd_str(&r, root, "secretsVolumePath", "", &s->secrets_path);
	rd_agents(&r, root, s);
	rd_str_list(&r, root, "k8sSnippets", "", &s->snippets, &s->nsnippets, &s->snippets_cap, NULL, NULL);
	rd_traffic(&r, root, s);
	rd_lb(&r, root, &s->lb);
}
