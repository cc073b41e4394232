/* Bounded YAML input (see yaml.h). */
#include "yaml.h"
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *read_all(int fd, size_t limit, size_t *len, bool *too_big)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	*too_big = false;
	if (!buf)
		return NULL;
	for (;;) {
		if (n == cap) {
			if (cap > limit) {
				*too_big = true;
				free(buf);
				return NULL;
			}
			cap *= 2;
			char *nb = realloc(buf, cap + 1);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > limit) {
		*too_big = true;
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 when invalid: overlong
 * forms, surrogates and code points above U+10FFFF are invalid too. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	if (c < 0x80)
		return 1;
	size_t len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
	if (!len || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((c == 0xe0 && s[1] < 0xa0) || (c == 0xed && s[1] > 0x9f) || (c == 0xf0 && s[1] < 0x90) ||
	    (c == 0xf4 && s[1] > 0x8f))
		return 0;
	return len;
}

/* YAML 1.2's c-printable: the characters a YAML stream may hold literally. */
static bool yaml_printable(unsigned long cp)
{
	return cp == 0x09 || cp == 0x0a || cp == 0x0d || (cp >= 0x20 && cp <= 0x7e) || cp == 0x85 ||
	       (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/* Specs are UTF-8 text with only printable characters, checked before libfyaml sees the
 * bytes: its scanner loops forever on some invalid sequences (e.g. "%\x8e", found by
 * fuzzing), it accepts raw control characters YAML forbids, and a value with broken
 * UTF-8 could never be written back out exactly anyway. Reports the first offender with
 * its line and column (columns count characters, as libfyaml's do). */
static bool check_text(const char *text, size_t len, const char *path, const char *what, struct diags *d)
{
	const unsigned char *u = (const unsigned char *)text;
	if ((len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff))) ||
	    (len >= 4 && u[0] == 0 && u[1] == 0 && u[2] == 0xfe && u[3] == 0xff)) {
		diag_error(d, LOC(path, 1, 1), NULL, "%s is UTF-16 or UTF-32 encoded; save it as UTF-8", what);
		return false;
	}
	int line = 1, col = 1;
	for (size_t i = 0; i < len;) {
		size_t l = utf8_seq(u + i, len - i);
		if (!l) {
			diag_error(d, LOC(path, line, col), NULL,
				   "%s is not valid UTF-8 (byte 0x%02x at offset %zu); save it as UTF-8", what, u[i], i);
			return false;
		}
		unsigned long cp = l == 1 ? u[i] : l == 2 ? u[i] & 0x1fu : l == 3 ? u[i] & 0x0fu : u[i] & 0x07u;
		for (size_t k = 1; k < l; k++)
			cp = (cp << 6) | (u[i + k] & 0x3fu);
		if (cp == 0) {
			diag_error(d, LOC(path, line, col), NULL, "%s contains a NUL byte (offset %zu); not a text file",
				   what, i);
			return false;
		}
		if (!yaml_printable(cp)) {
			diag_error(d, LOC(path, line, col), NULL,
				   "%s contains the control character U+%04lX, which YAML does not allow in a file; "
				   "write it as an escape (\\x%02lX) in a double-quoted string if it is meant",
				   what, cp, cp <= 0xff ? cp : 0x3f);
			return false;
		}
		if (u[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
		i += l;
	}
	return true;
}

struct keyref { const char *s; size_t len; size_t index; struct fy_node *node; };

static int keyref_cmp(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	int c = memcmp(x->s, y->s, x->len);
	return c ? c : x->index < y->index ? -1 : x->index > y->index;
}

/* Duplicate keys, found by sorting: libfyaml's own check compares every pair of keys
 * (a 3 MB mapping took tens of minutes), so files are parsed with
 * FYPCF_ALLOW_DUPLICATE_KEYS and checked here. Keys compare by their text, as the
 * reader looks them up; alias and collection keys are left to the reader (an error there). */
static bool dup_keys(struct yfile *yf, struct fy_node *map, int items, const char *what, struct diags *d)
{
	struct keyref *k = malloc((size_t)items * sizeof(*k));
	if (!k) {
		diag_error(d, yloc(yf, map), NULL, "out of memory checking a %s", what);
		return false;
	}
	size_t n = 0;
	void *it = NULL;
	struct fy_node_pair *p;
	for (size_t i = 0; (p = fy_node_mapping_iterate(map, &it)); i++) {
		struct fy_node *key = fy_node_pair_key(p);
		size_t l = 0;
		const char *t = key && fy_node_is_scalar(key) && !fy_node_is_alias(key) ? fy_node_get_scalar(key, &l) : NULL;
		if (t)
			k[n++] = (struct keyref){ t, l, i, key };
	}
	qsort(k, n, sizeof(*k), keyref_cmp);
	bool ok = true;
	for (size_t i = 1; i < n; i++) {
		size_t first = i - 1;
		while (i < n && k[i].len == k[first].len && !memcmp(k[i].s, k[first].s, k[i].len)) {
			struct loc at = yloc(yf, k[i].node), was = yloc(yf, k[first].node);
			diag_error(d, at, NULL, "invalid YAML: duplicate key '%.*s' (first at line %d)",
				   (int)(k[i].len > 60 ? 60 : k[i].len), k[i].s, was.line);
			ok = false;
			i++;
		}
	}
	free(k);
	return ok;
}

/* libfyaml 0.7.12 cannot read a single-quoted scalar holding two or more escaped quotes
 * ('') in a row: asking for its text leaks the buffer and may return NULL or bytes that
 * were never in the file (found by fuzzing; a sweep of strings with single '' escapes
 * only read back exactly). Such a scalar is found in the source text, before anything
 * asks. */
static bool quote_run_ok(struct yfile *yf, struct fy_node *n, const char *what, struct diags *d)
{
	if (!fy_node_is_scalar(n) || fy_node_get_style(n) != FYNS_SINGLE_QUOTED)
		return true;
	struct fy_token *t = fy_node_get_scalar_token(n);
	const struct fy_mark *b = t ? fy_token_start_mark(t) : NULL, *e = t ? fy_token_end_mark(t) : NULL;
	if (!b || !e || e->input_pos > yf->len || b->input_pos >= e->input_pos)
		return true;
	/* The marks span the text between the quotes; the message points at the opening one. */
	size_t run = 0;
	for (size_t i = b->input_pos; i < e->input_pos; i++) {
		run = yf->text[i] == '\'' ? run + 1 : 0;
		if (run >= 4) {
			diag_error(d, LOC(yf->path, b->line + 1, b->column > 0 ? b->column : 1), NULL,
				   "a single-quoted string with two or more '' in a row cannot be read (a libfyaml "
				   "limitation); write it as a double-quoted string in this %s", what);
			return false;
		}
	}
	return true;
}

/* One pass over the parsed tree, aliases not followed (every node is visited once):
 * - explicit tags (!!binary, !!str, !custom) change what a scalar means behind the
 *   reader's back (a `!!binary` name is read as its base64 text); no spec needs one, so
 *   each is an error at the tag;
 * - a list or mapping may hold at most HS_MAX_ITEMS entries;
 * - a mapping may not repeat a key (see dup_keys);
 * - no single-quoted scalar libfyaml cannot read (see quote_run_ok). */
static bool check_tree(struct yfile *yf, struct fy_node *n, const char *what, struct diags *d, int depth,
		       int *found)
{
	if (!n || depth > HS_MAX_DEPTH + 2 || fy_node_is_alias(n))
		return true;
	bool ok = true;
	struct fy_token *t = fy_node_get_tag_token(n);
	/* The first few are enough to fix a file; a million would only flood the terminal. */
	if (t && ++*found > 5) {
		ok = false;
	} else if (t) {
		/* Quote the tag as written (libfyaml hands out the resolved tag:yaml.org,… form). */
		const struct fy_mark *m = fy_token_start_mark(t);
		const char *tag = "!";
		int tl = 1;
		if (m && m->input_pos < yf->len) {
			tag = yf->text + m->input_pos;
			tl = (int)strcspn(tag, " \t\r\n,[]{}");
			if (tl > 40)
				tl = 40;
		}
		diag_error(d, LOC(yf->path, m ? m->line + 1 : 0, m ? m->column + 1 : 0), NULL,
			   "YAML tag '%.*s' is not supported in a %s; remove it (quote the value if it must be a string)",
			   tl, tag, what);
		ok = false;
	}
	int items = fy_node_is_sequence(n) ? fy_node_sequence_item_count(n)
		    : fy_node_is_mapping(n) ? fy_node_mapping_item_count(n) : 0;
	if (items > (int)HS_MAX_ITEMS) {
		diag_error(d, yloc(yf, n), NULL, "a %s of %d entries, over the limit of %u in a %s",
			   fy_node_is_sequence(n) ? "list" : "mapping", items, HS_MAX_ITEMS, what);
		return false;
	}
	if (!quote_run_ok(yf, n, what, d))
		return false;
	if (fy_node_is_sequence(n)) {
		void *it = NULL;
		struct fy_node *c;
		while ((c = fy_node_sequence_iterate(n, &it)))
			ok &= check_tree(yf, c, what, d, depth + 1, found);
	} else if (fy_node_is_mapping(n)) {
		void *it = NULL;
		struct fy_node_pair *p;
		while ((p = fy_node_mapping_iterate(n, &it))) {
			ok &= check_tree(yf, fy_node_pair_key(p), what, d, depth + 1, found);
			ok &= check_tree(yf, fy_node_pair_value(p), what, d, depth + 1, found);
		}
		/* After the keys passed quote_run_ok: dup_keys reads their text. */
		if (ok && items > 1)
			ok = dup_keys(yf, n, items, what, d);
	}
	return ok;
}

static bool load_fd(struct yfile *yf, int fd, const char *path, const char *what, struct diags *d, bool from_stdin);

bool yfile_load(struct yfile *yf, const char *path, const char *what, struct diags *d)
{
	memset(yf, 0, sizeof(*yf));
	yf->path = path;
	struct loc fl = { path, 0, 0 };
	if (!*path) {
		diag_error(d, LOC(NULL, 0, 0), NULL, "empty %s path given", what);
		return false;
	}
	/* "-" is standard input (envsubst < web.hspec | hyscale ... -f -); it is named <stdin>
	 * in messages. It is duplicated so that closing it below leaves fd 0 alone. */
	bool from_stdin = !strcmp(path, "-");
	if (from_stdin)
		yf->path = path = fl.file = HS_STDIN_NAME;
	int fd = from_stdin ? fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 3)
			    : open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT)
			diag_error(d, fl, NULL, "cannot find %s: no such file", what);
		else if (errno == ELOOP)
			diag_error(d, fl, NULL, "cannot open %s: too many levels of symbolic links", what);
		else
			diag_error(d, fl, NULL, "cannot open %s: %s", what, strerror(errno));
		return false;
	}
	return load_fd(yf, fd, path, what, d, from_stdin);
}

bool yfile_load_fd(struct yfile *yf, int fd, const char *path, const char *what, struct diags *d)
{
	return load_fd(yf, fd, path, what, d, false);
}

/* from_stdin: fd 0 may be a terminal or a socket as well as a file or a pipe. */
static bool load_fd(struct yfile *yf, int fd, const char *path, const char *what, struct diags *d, bool from_stdin)
{
	memset(yf, 0, sizeof(*yf));
	yf->path = path;
	struct loc fl = { path, 0, 0 };
	struct stat st;
	bool ok_type = fstat(fd, &st) == 0 &&
		       (S_ISREG(st.st_mode) || S_ISFIFO(st.st_mode) || (from_stdin && !S_ISDIR(st.st_mode)));
	if (!ok_type) {
		if (S_ISDIR(st.st_mode))
			diag_error(d, fl, NULL, "found a directory instead of a %s file", what);
		else
			diag_error(d, fl, NULL, "not a regular file; expecting a %s file", what);
		close(fd);
		return false;
	}
	yf->stream = !S_ISREG(st.st_mode);
	if (S_ISFIFO(st.st_mode) && !from_stdin) {
		/* Opened without blocking so that a device or an unconnected FIFO cannot stall
		 * open(); now wait for the writer, as cat does, and read until it closes. */
		int fl_ = fcntl(fd, F_GETFL);
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		if (fl_ < 0 || fcntl(fd, F_SETFL, fl_ & ~O_NONBLOCK) < 0 || poll(&pf, 1, -1) < 0) {
			diag_error(d, fl, NULL, "cannot read %s: %s", what, strerror(errno));
			close(fd);
			return false;
		}
	}
	if (!yf->stream && (unsigned long long)st.st_size > HS_MAX_FILE_BYTES) {
		diag_error(d, fl, NULL, "%s is %lld bytes, over the limit of %u bytes", what,
			   (long long)st.st_size, HS_MAX_FILE_BYTES);
		close(fd);
		return false;
	}
	size_t len = 0;
	bool too_big;
	yf->text = read_all(fd, HS_MAX_FILE_BYTES, &len, &too_big);
	yf->len = len;
	int err = errno;
	close(fd);
	if (!yf->text) {
		if (too_big)
			diag_error(d, fl, NULL, "%s is over the limit of %u bytes", what, HS_MAX_FILE_BYTES);
		else
			diag_error(d, fl, NULL, "cannot read %s: %s", what, strerror(err));
		return false;
	}
	if (!check_text(yf->text, len, path, what, d))
		return false;
	bool blank = true;
	for (size_t i = 0; i < len && blank; i++)
		blank = strchr(" \t\r\n", yf->text[i]) != NULL;
	if (blank) {
		diag_error(d, LOC(path, 1, 1), NULL, "empty %s cannot be processed", what);
		return false;
	}

	struct fy_diag_cfg dc;
	fy_diag_cfg_default(&dc);
	dc.fp = NULL;
	dc.colorize = false;
	struct fy_diag *fdg = fy_diag_create(&dc);
	if (!fdg) {
		diag_error(d, fl, NULL, "out of memory");
		return false;
	}
	fy_diag_set_collect_errors(fdg, true);
	/* Duplicate keys are checked after parsing (check_tree): libfyaml's check is quadratic. */
	struct fy_parse_cfg pc = { .flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG | FYPCF_ALLOW_DUPLICATE_KEYS, .diag = fdg };
	struct fy_parser *fyp = fy_parser_create(&pc);
	bool ok = fyp && fy_parser_set_string(fyp, yf->text, len) == 0;
	if (ok) {
		yf->doc = fy_parse_load_document(fyp);
		if (yf->doc) {
			struct fy_document *more = fy_parse_load_document(fyp);
			if (more) {
				struct fy_node *r = fy_document_root(more);
				struct loc ml = yloc(yf, r);
				if (!r)
					ml.line = 0;
				diag_error(d, ml.line ? ml : fl, NULL,
					   "%s holds more than one YAML document; expecting exactly one", what);
				fy_parse_document_destroy(fyp, more);
				ok = false;
			}
		}
	}
	void *it = NULL;
	struct fy_diag_error *fe;
	bool reported = false;
	while ((fe = fy_diag_errors_iterate(fdg, &it))) {
		if (fe->type < FYET_ERROR)
			continue;
		struct loc l = { path, fe->line > 0 ? fe->line : 0, fe->column > 0 ? fe->column : 0 };
		/* HyScale's examples carry {{placeholders}} that must be filled in first. */
		diag_error(d, l, NULL, "invalid YAML: %s%s", fe->msg,
			   strstr(yf->text, "{{") ? " (the file has {{...}} template placeholders; replace them first)" : "");
		reported = true;
	}
	if (!yf->doc && !reported && ok)
		/* No document and no error: the stream held only comments and directives. */
		diag_error(d, LOC(path, 1, 1), NULL, "empty %s cannot be processed (it holds only comments)", what);
	else if (!yf->doc && !reported)
		diag_error(d, fl, NULL, "invalid YAML: the %s could not be parsed", what);
	if (!yf->doc || !ok || reported) {
		if (yf->doc)
			fy_parse_document_destroy(fyp, yf->doc);
		yf->doc = NULL;
		ok = false;
	}
	/* The document stays valid after the parser is gone. */
	fy_parser_destroy(fyp);
	fy_diag_destroy(fdg);
	if (ok && !fy_document_root(yf->doc)) {
		diag_error(d, LOC(path, 1, 1), NULL, "empty %s cannot be processed", what);
		return false;
	}
	int tags = 0;
	return ok && check_tree(yf, fy_document_root(yf->doc), what, d, 0, &tags);
}

/* Origins are a pointer-keyed open-addressing hash set: profiles can add many nodes,
 * and every position lookup walks a node's parents through it. */
static size_t origin_slot(const struct yfile *yf, const struct fy_node *n)
{
	uintptr_t h = (uintptr_t)n;
	h ^= h >> 17;
	h *= (uintptr_t)0x9E3779B97F4A7C15ull;
	h ^= h >> 29;
	return (size_t)h & (yf->origins_cap - 1);
}

static void origin_put(struct yfile *yf, struct fy_node *node, const char *path)
{
	size_t i = origin_slot(yf, node);
	while (yf->origins[i].node && yf->origins[i].node != node)
		i = (i + 1) & (yf->origins_cap - 1);
	if (!yf->origins[i].node)
		yf->norigins++;
	yf->origins[i] = (struct yorigin){ node, path };
}

void yfile_add_origin(struct yfile *yf, struct fy_node *node, const char *path)
{
	if (!node)
		return;
	if (2 * (yf->norigins + 1) > yf->origins_cap) {
		struct yorigin *old = yf->origins;
		size_t oldcap = yf->origins_cap;
		yf->origins_cap = oldcap ? oldcap * 2 : 64;
		yf->origins = calloc(yf->origins_cap, sizeof(*yf->origins));
		if (!yf->origins) {
			fputs("hyscale: fatal: out of memory\n", stderr);
			exit(4);
		}
		yf->norigins = 0;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i].node)
				origin_put(yf, old[i].node, old[i].path);
		free(old);
	}
	origin_put(yf, node, path);
}

const char *yfile_origin(const struct yfile *yf, struct fy_node *n)
{
	for (int depth = 0; n && yf->norigins && depth < 4 * HS_MAX_DEPTH; depth++, n = fy_node_get_parent(n)) {
		size_t i = origin_slot(yf, n);
		for (; yf->origins[i].node; i = (i + 1) & (yf->origins_cap - 1))
			if (yf->origins[i].node == n)
				return yf->origins[i].path;
	}
	return yf->path;
}

void yfile_release(struct yfile *yf)
{
	free(yf->origins);
	yf->origins = NULL;
	yf->norigins = yf->origins_cap = 0;
	if (yf->doc)
		fy_document_destroy(yf->doc);
	free(yf->text);
	yf->doc = NULL;
	yf->text = NULL;
}

struct fy_node *ynode(struct yfile *yf, struct fy_node *n, struct diags *d, struct loc at)
{
	if (!n)
		return NULL;
	for (int hops = 0; fy_node_is_alias(n); hops++) {
		struct fy_node *t = fy_node_resolve_alias(n);
		if (!t || hops > 64) {
			diag_error(d, yloc(yf, n), NULL, "YAML alias does not refer to an anchor");
			return NULL;
		}
		n = t;
	}
	if (++yf->visits > HS_MAX_NODE_VISITS) {
		if (!yf->budget_reported)
			diag_error(d, at.file ? at : LOC(yf->path, 0, 0), NULL,
				   "YAML aliases expand to more than %u nodes; refusing to read further",
				   HS_MAX_NODE_VISITS);
		yf->budget_reported = true;
		return NULL;
	}
	return n;
}

/* The start of the first token at or under n (depth first, a bounded number of nodes):
 * implicit nulls (the key of ": x", an empty value) have no token of their own. */
static bool first_mark(struct fy_node *n, int depth, int *budget, struct loc *l)
{
	if (!n || depth > HS_MAX_DEPTH + 2 || --*budget < 0)
		return false;
	struct fy_token *t = NULL;
	if (fy_node_is_scalar(n) || fy_node_is_alias(n)) {
		t = fy_node_get_scalar_token(n);
		if (!t)
			t = fy_node_get_tag_token(n);
		const struct fy_mark *m = t ? fy_token_start_mark(t) : NULL;
		if (!m)
			return false;
		l->line = m->line + 1;
		l->col = m->column + 1;
		/* libfyaml marks a quoted scalar after its opening quote. */
		enum fy_node_style st = fy_node_get_style(n);
		if ((st == FYNS_SINGLE_QUOTED || st == FYNS_DOUBLE_QUOTED) && l->col > 1)
			l->col--;
		return true;
	}
	void *it = NULL;
	if (fy_node_is_mapping(n)) {
		struct fy_node_pair *p;
		while ((p = fy_node_mapping_iterate(n, &it)))
			if (first_mark(fy_node_pair_key(p), depth + 1, budget, l) ||
			    first_mark(fy_node_pair_value(p), depth + 1, budget, l))
				return true;
	} else if (fy_node_is_sequence(n)) {
		struct fy_node *c;
		while ((c = fy_node_sequence_iterate(n, &it)))
			if (first_mark(c, depth + 1, budget, l))
				return true;
	}
	return false;
}

struct loc yloc(const struct yfile *yf, struct fy_node *n)
{
	struct loc l = { yfile_origin(yf, n), 0, 0 };
	int budget = 64;
	if (!n || first_mark(n, 0, &budget, &l))
		return l;
	/* Nothing under n has a token (e.g. a document that is just ":"): point at the
	 * first line with content, so that no message about the content lacks a position. */
	l.line = 1;
	l.col = 1;
	const char *p = yf->text;
	for (int line = 1; p && *p; line++) {
		size_t ind = strspn(p, " \t");
		if (p[ind] && p[ind] != '\n' && p[ind] != '\r' && p[ind] != '#') {
			l.line = line;
			l.col = (int)ind + 1;
			break;
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return l;
}

const char *yscalar(struct fy_node *n, size_t *len)
{
	if (!n || !fy_node_is_scalar(n))
		return NULL;
	size_t l = 0;
	const char *s = fy_node_get_scalar0(n);
	fy_node_get_scalar(n, &l);
	/* "\0" in a quoted scalar would silently cut the value short. */
	if (!s || strlen(s) != l)
		return NULL;
	if (len)
		*len = l;
	return s;
}

bool yis_quoted(struct fy_node *n)
{
	enum fy_node_style st = fy_node_get_style(n);
	return st == FYNS_SINGLE_QUOTED || st == FYNS_DOUBLE_QUOTED || st == FYNS_LITERAL ||
	       st == FYNS_FOLDED;
}

bool yis_null(struct fy_node *n)
{
	if (!n)
		return true;
	if (!fy_node_is_scalar(n) || yis_quoted(n))
		return false;
	const char *s = fy_node_get_scalar0(n);
	return !s || !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

const char *ytype_name(struct fy_node *n)
{
	if (!n || yis_null(n))
		return "null";
	if (fy_node_is_mapping(n))
		return "a mapping";
	if (fy_node_is_sequence(n))
		return "a list";
	return "a scalar";
}
