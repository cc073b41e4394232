/* The spool of generate's output (see spool.h). */
#include "spool.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* libfyaml's JSON emitter writes a List as this, each item indented by four spaces: the
 * same bytes as the List built as one document before (tests/cli/output.test.mjs). */
static const char list_head[] = "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"List\",\n  \"items\": [\n";
static const char list_tail[] = "\n  ]\n}\n";
static const char list_empty[] = "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"List\",\n  \"items\": []\n}\n";

static int open_unlinked(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	int fd = open(dir, O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL))
		return fd;
	/* A file system without O_TMPFILE: a private name, removed at once. */
	size_t n = strlen(dir) + sizeof("/hyscale-spool-XXXXXX");
	char *path = malloc(n);
	if (!path)
		return -1;
	snprintf(path, n, "%s/hyscale-spool-XXXXXX", dir);
	fd = mkostemp(path, O_CLOEXEC);
	if (fd >= 0)
		unlink(path);
	free(path);
	return fd;
}

/* Past `ulimit -f` a write then fails with EFBIG (reported) instead of SIGXFSZ killing
 * the run, as in output.c. */
static struct sigaction saved_xfsz;

bool spool_open(struct spool *sp, enum spool_mode mode, struct arena *a)
{
	memset(sp, 0, sizeof(*sp));
	sp->mode = mode;
	sp->a = a;
	struct sigaction ign;
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGXFSZ, &ign, &saved_xfsz);
	sp->fd = open_unlinked();
	if (sp->fd < 0) {
		int e = errno;
		sigaction(SIGXFSZ, &saved_xfsz, NULL);
		errno = e;
		return false;
	}
	sp->f = fdopen(sp->fd, "w+");
	if (!sp->f) {
		int e = errno;
		close(sp->fd);
		sp->fd = -1;
		sigaction(SIGXFSZ, &saved_xfsz, NULL);
		errno = e;
		return false;
	}
	return true;
}

static void put(struct spool *sp, const void *p, size_t n)
{
	if (sp->err)
		return;
	if (n && fwrite(p, 1, n, sp->f) != n)
		sp->err = errno ? errno : EIO;
	sp->size += (long long)n;
}

/* The item with every line indented by four spaces, without its last newline. */
static void put_item(struct spool *sp, const char *s, size_t n)
{
	put(sp, sp->items ? ",\n" : list_head, sp->items ? 2 : sizeof(list_head) - 1);
	sp->items++;
	if (n && s[n - 1] == '\n')
		n--;
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - s) + 1 : n;
		put(sp, "    ", 4);
		put(sp, s + i, end - i);
		i = end;
	}
}

bool spool_service(struct spool *sp, const char *service, const struct out_file *files, size_t n)
{
	struct out_dir *dir = NULL;
	if (sp->mode == SPOOL_FILES) {
		dir = ARENA_PUSH(sp->a, sp->dirs, sp->ndirs, sp->cap);
		dir->path = arena_strdup(sp->a, service);
		dir->files = arena_alloc(sp->a, (n ? n : 1) * sizeof(*dir->files));
		dir->n = dir->cap = n;
	}
	for (size_t i = 0; i < n; i++) {
		const char *text = sb_str(&files[i].text);
		size_t len = files[i].text.len;
		if (sp->mode == SPOOL_STREAM) {
			put(sp, "---\n", 4);
			put(sp, text, len);
		} else if (sp->mode == SPOOL_JSON_LIST) {
			put_item(sp, text, len);
		} else {
			struct out_file *of = &dir->files[i];
			of->name = arena_strdup(sp->a, files[i].name);
			of->secret = files[i].secret;
			of->spool_off = sp->size;
			of->spool_len = len;
			put(sp, text, len);
		}
	}
	return !sp->err;
}

bool spool_copy_to(struct spool *sp, FILE *out)
{
	if (sp->mode == SPOOL_JSON_LIST)
		put(sp, sp->items ? list_tail : list_empty, sp->items ? sizeof(list_tail) - 1 : sizeof(list_empty) - 1);
	if (!sp->err && (fflush(sp->f) != 0 || fseek(sp->f, 0, SEEK_SET) != 0))
		sp->err = errno ? errno : EIO;
	if (sp->err) {
		errno = sp->err;
		return false;
	}
	char buf[64 * 1024];
	size_t r;
	while ((r = fread(buf, 1, sizeof(buf), sp->f)) > 0)
		if (fwrite(buf, 1, r, out) != r)
			return false;
	if (ferror(sp->f)) {
		errno = EIO;
		return false;
	}
	return fflush(out) == 0;
}

void spool_close(struct spool *sp)
{
	if (!sp->f)
		return;
	fclose(sp->f);
	sp->f = NULL;
	sp->fd = -1;
	sigaction(SIGXFSZ, &saved_xfsz, NULL);
}
