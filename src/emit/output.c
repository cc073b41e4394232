/* All-or-nothing output that never destroys what hyscale did not write (see output.h):
 * files go to <dir>.hyscale-tmp-PID, then are swapped in; cleaned up on SIGINT/SIGTERM/
 * SIGHUP, and after a SIGKILL by the next run. Nothing here follows a symbolic link when
 * it inspects, replaces or deletes: a planted link must never lead outside the folder. */
#include "output.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The marker every service folder hyscale writes holds; its first line identifies it. */
static const char marker_text[] =
	"hyscale output folder\n"
	"`hyscale generate service manifests` replaces this folder as a whole on every run;\n"
	"files added here are deleted then. Without this file hyscale refuses to replace it.\n";
#define MARKER_ID_LEN 22  /* "hyscale output folder\n" */
/* Every manifest the previous version wrote (it left no marker) carries this label. */
static const char legacy_label[] = "app.kubernetes.io/managed-by: hyscale\n";
#define LEGACY_MAX_BYTES (16u * 1024 * 1024)
#define LOCK_WAIT_TENTHS (10 * OUTPUT_LOCK_WAIT_S)
#define RM_MAX_DEPTH 32

bool mkdirs(const char *path, struct diags *d)
{
	char buf[4096];
	size_t n = strlen(path);
	if (n >= sizeof(buf)) {
		diag_error(d, LOC(path, 0, 0), NULL, "output path is too long");
		return false;
	}
	memcpy(buf, path, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		char c = buf[i];
		buf[i] = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
			diag_error(d, LOC(buf, 0, 0), NULL, "cannot create folder: %s", strerror(errno));
			return false;
		}
		struct stat st;
		if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) {
			diag_error(d, LOC(buf, 0, 0), NULL, "cannot create folder: a file is in the way");
			return false;
		}
		buf[i] = c;
	}
	return true;
}

/* Deletes name in dfd: a directory through descriptors opened with O_NOFOLLOW (so a link
 * inside is unlinked, never entered), anything else is unlinked itself. */
static void rm_tree_at(int dfd, const char *name, int depth)
{
	struct stat st;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlinkat(dfd, name, 0);
		return;
	}
	if (depth > RM_MAX_DEPTH)
		return;
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	DIR *dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return;
	}
	struct dirent *e;
	while ((e = readdir(dir)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			rm_tree_at(fd, e->d_name, depth + 1);
	closedir(dir);
	unlinkat(dfd, name, AT_REMOVEDIR);
}

/* Opens a regular file in dfd without following a link or blocking on a FIFO. */
static int open_regular(int dfd, const char *name, struct stat *st)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool marker_ok(int dfd)
{
	struct stat st;
	int fd = open_regular(dfd, OUTPUT_MARKER, &st);
	if (fd < 0)
		return false;
	char buf[MARKER_ID_LEN];
	ssize_t r = read(fd, buf, sizeof(buf));
	close(fd);
	return r == (ssize_t)sizeof(buf) && !memcmp(buf, marker_text, sizeof(buf));
}

/* A manifest the previous version wrote: a regular *.yaml file carrying its label. */
static bool legacy_file_ok(int dfd, const char *name)
{
	size_t nl = strlen(name);
	if (name[0] == '.' || nl < 6 || strcmp(name + nl - 5, ".yaml"))
		return false;
	struct stat st;
	int fd = open_regular(dfd, name, &st);
	if (fd < 0)
		return false;
	bool ok = false;
	char *buf = (unsigned long long)st.st_size <= LEGACY_MAX_BYTES ? malloc((size_t)st.st_size + 1) : NULL;
	size_t n = 0;
	while (buf && n < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	if (buf) {
		buf[n] = '\0';
		ok = memmem(buf, n, legacy_label, sizeof(legacy_label) - 1) != NULL;
	}
	free(buf);
	close(fd);
	return ok;
}

/* Why path may not be replaced or deleted, or NULL when there is nothing (*exists false)
 * or a folder hyscale wrote: one with its marker, an empty one, or one holding only
 * manifests of the previous version (README "Safety rules"). */
static const char *not_ours(const char *path, bool *exists, struct arena *a)
{
	struct stat st;
	*exists = true;
	if (fstatat(AT_FDCWD, path, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		if (errno == ENOENT) {
			*exists = false;
			return NULL;
		}
		return arena_printf(a, "cannot inspect it: %s", strerror(errno));
	}
	if (S_ISLNK(st.st_mode))
		return "it is a symbolic link (hyscale never follows or replaces a link there)";
	if (!S_ISDIR(st.st_mode))
		return "it is a file, not a folder hyscale wrote";
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *dir = fd < 0 ? NULL : fdopendir(fd);
	if (!dir) {
		int err = errno;
		if (fd >= 0)
			close(fd);
		return arena_printf(a, "cannot inspect it: %s", strerror(err));
	}
	bool marked = false, bad_marker = false;
	const char *first_foreign = NULL;
	struct dirent *e;
	while ((e = readdir(dir))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (!strcmp(e->d_name, OUTPUT_MARKER)) {
			marked = marker_ok(fd);
			bad_marker = !marked;
		} else if (!first_foreign && !legacy_file_ok(fd, e->d_name)) {
			first_foreign = arena_strdup(a, e->d_name);
		}
	}
	closedir(dir);
	if (marked)
		return NULL;
	if (bad_marker)
		return "its " OUTPUT_MARKER " file is not hyscale's marker";
	if (first_foreign)
		return arena_printf(a, "it holds '%s', which hyscale did not write (there is no " OUTPUT_MARKER
				       " marker)", first_foreign);
	return NULL;
}

static bool write_file(const char *path, const char *bytes, size_t len, mode_t mode, struct diags *d)
{
	/* O_EXCL|O_NOFOLLOW: never through something planted; a Secret is 0600 from creation on. */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0) {
		diag_error(d, LOC(path, 0, 0), NULL, "cannot write: %s", strerror(errno));
		return false;
	}
	const char *p = bytes;
	size_t left = len;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			diag_error(d, LOC(path, 0, 0), NULL, "cannot write: %s", w < 0 ? strerror(errno) : "short write");
			close(fd);
			return false;
		}
		p += w;
		left -= (size_t)w;
	}
	if (close(fd) != 0) {
		diag_error(d, LOC(path, 0, 0), NULL, "cannot write: %s", strerror(errno));
		return false;
	}
	return true;
}
/* What a commit has created so far, for the signal handler: paths are recorded before
 * the file or folder is made, so the handler may find one missing but never misses one.
 * Only async-signal-safe calls (unlink, rmdir, sigaction, raise) run in the handler. */
static struct {
	const char *volatile *paths;   /* files, then their folder, in creation order */
	volatile sig_atomic_t n;
	size_t cap;
	struct arena *a;
} track;

static void track_add(const char *path)
{
	if ((size_t)track.n == track.cap) {
		size_t cap = track.cap ? track.cap * 2 : 64;
		const char *volatile *np = arena_alloc(track.a, cap * sizeof(*np));
		for (sig_atomic_t i = 0; i < track.n; i++)
			np[i] = track.paths[i];
		track.paths = np;      /* the old array stays valid (arena) for a running handler */
		track.cap = cap;
	}
	track.paths[track.n] = path;
	track.n = track.n + 1;
}

static const int cleanup_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define NSIG_CLEANUP (sizeof(cleanup_signals) / sizeof(*cleanup_signals))
static struct sigaction saved[NSIG_CLEANUP], saved_xfsz;

static void on_signal(int sig)
{
	/* Files before folders: walk back from the newest entry. */
	for (sig_atomic_t i = track.n; i > 0; i--)
		if (unlink(track.paths[i - 1]) != 0)
			rmdir(track.paths[i - 1]);
	track.n = 0;
	static const char msg[] = "hyscale: interrupted; temporary files removed, no manifests were changed\n";
	ssize_t w = write(2, msg, sizeof(msg) - 1);
	(void)w;
	struct sigaction dfl;
	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	raise(sig);   /* die of the signal, so the caller sees 130/143 as usual */
}

static void handlers_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NSIG_CLEANUP; i++)
		sigaddset(&sa.sa_mask, cleanup_signals[i]);
	for (size_t i = 0; i < NSIG_CLEANUP; i++)
		sigaction(cleanup_signals[i], &sa, &saved[i]);
	/* Past `ulimit -f`, write() then fails with EFBIG (reported, cleaned up) instead of
	 * SIGXFSZ killing the process with a half-written temporary folder. */
	struct sigaction ign;
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGXFSZ, &ign, &saved_xfsz);
}

static void handlers_restore(void)
{
	for (size_t i = 0; i < NSIG_CLEANUP; i++)
		sigaction(cleanup_signals[i], &saved[i], NULL);
	sigaction(SIGXFSZ, &saved_xfsz, NULL);
	track.n = 0;
}

static void signals_block(bool block, sigset_t *old)
{
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < NSIG_CLEANUP; i++)
		sigaddset(&set, cleanup_signals[i]);
	sigprocmask(block ? SIG_BLOCK : SIG_SETMASK, block ? &set : old, block ? old : NULL);
}

/* rename that never replaces what is at `to` (a planted folder or link stays where it is). */
static int rename_noreplace(const char *from, const char *to)
{
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL)
		return -1;
	/* A file system without RENAME_NOREPLACE (NFS): check, then rename. */
	struct stat st;
	if (fstatat(AT_FDCWD, to, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		errno = EEXIST;
		return -1;
	}
	return renameat2(AT_FDCWD, from, AT_FDCWD, to, 0);
}

static void rm_path(const char *path)
{
	rm_tree_at(AT_FDCWD, path, 0);
}

/* A run killed with SIGKILL (or a crash) leaves <dir>.hyscale-tmp-PID / -old-PID behind.
 * Those of processes that no longer exist are removed; if the kill came between moving
 * the previous folder aside and moving the new one in, the previous one is put back.
 * Only folders hyscale wrote are touched: a link, a file or a foreign folder planted
 * under such a name is left alone. */
static void recover_stale(const char *dir, struct arena *a)
{
	const char *slash = strrchr(dir, '/');
	const char *parent = slash ? (slash == dir ? "/" : arena_strndup(a, dir, (size_t)(slash - dir))) : ".";
	const char *base = slash ? slash + 1 : dir;
	size_t bl = strlen(base);
	DIR *d = opendir(parent);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		const char *n = e->d_name, *kind = n + bl;
		if (strncmp(n, base, bl) || strncmp(kind, ".hyscale-", 9))
			continue;
		bool old = !strncmp(kind + 9, "old-", 4);
		if (!old && strncmp(kind + 9, "tmp-", 4))
			continue;
		char *end;
		long pid = strtol(kind + 13, &end, 10);
		if (*end || pid <= 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		const char *p = arena_printf(a, "%s/%s", parent, n);
		bool exists, target;
		if (not_ours(p, &exists, a) || !exists)
			continue;
		if (old && !not_ours(dir, &target, a) && !target && rename_noreplace(p, dir) == 0)
			continue;
		rm_path(p);
	}
	closedir(d);
}

/* One hyscale run at a time per output root: flock on a lock file there, waited for a
 * bounded time. Returns the descriptor (closing it releases the lock) or -1, reported. */
static int lock_root(const char *root, struct diags *d, struct arena *a)
{
	if (!mkdirs(root, d))
		return -1;
	const char *p = arena_printf(a, "%s/%s", root, OUTPUT_LOCK);
	int fd = open(p, O_RDONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0644);
	struct stat st;
	if (fd < 0 && errno != ELOOP) {
		diag_error(d, LOC(p, 0, 0), NULL, "cannot create the lock file: %s", strerror(errno));
		return -1;
	}
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		diag_error(d, LOC(p, 0, 0), NULL, "cannot use this lock file: %s; remove it",
			   fd < 0 ? "it is a symbolic link" : "it is not a regular file");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	for (int tenths = 0;; tenths++) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return fd;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			diag_error(d, LOC(p, 0, 0), NULL, "cannot lock the output folder: %s", strerror(errno));
			break;
		}
		if (tenths >= LOCK_WAIT_TENTHS) {
			diag_error(d, LOC(p, 0, 0), NULL,
				   "another hyscale run is writing to %s (waited %d s for this lock); try again when it "
				   "has finished", root, OUTPUT_LOCK_WAIT_S);
			break;
		}
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	close(fd);
	return -1;
}

/* Every target must be absent or a folder hyscale wrote; all are checked (and all
 * refusals reported) before anything is written. */
static bool targets_ok(struct out_dir *dirs, size_t n, struct diags *d, struct arena *a)
{
	bool ok = true;
	for (size_t i = 0; i < n; i++) {
		bool exists;
		const char *why = not_ours(dirs[i].path, &exists, a);
		if (why) {
			diag_error(d, LOC(dirs[i].path, 0, 0), NULL,
				   "refusing to replace %s: %s; move it away, or write elsewhere with -O DIR",
				   dirs[i].path, why);
			ok = false;
		}
	}
	return ok;
}

/* A spooled file's bytes (malloc'd), or NULL with errno set. */
static char *spooled(int spool, const struct out_file *of)
{
	char *buf = malloc(of->spool_len ? of->spool_len : 1);
	size_t got = 0;
	while (buf && got < of->spool_len) {
		ssize_t r = pread(spool, buf + got, of->spool_len - got, (off_t)(of->spool_off + (long long)got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO;
			free(buf);
			return NULL;
		}
		got += (size_t)r;
	}
	return buf;
}

bool output_commit(const char *root, struct out_dir *dirs, size_t n, int spool, struct diags *d, struct arena *a)
{
	int lock = lock_root(root, d, a);
	if (lock < 0)
		return false;
	const char **tmp = arena_alloc(a, (n + 1) * sizeof(char *));
	const char **old = arena_alloc(a, (n + 1) * sizeof(char *));
	bool *had = arena_alloc(a, (n + 1) * sizeof(bool));
	bool ok = true;
	long pid = (long)getpid();
	track.a = a;
	track.n = 0;
	handlers_install();
	for (size_t i = 0; i < n; i++)
		tmp[i] = NULL;
	for (size_t i = 0; i < n && ok; i++) {
		const char *slash = strrchr(dirs[i].path, '/');
		if (slash && slash != dirs[i].path)
			ok = mkdirs(arena_strndup(a, dirs[i].path, (size_t)(slash - dirs[i].path)), d);
	}
	/* Every folder first: a failure below must not leave another one's leftovers. */
	for (size_t i = 0; i < n && ok; i++)
		recover_stale(dirs[i].path, a);
	ok = ok && targets_ok(dirs, n, d, a);
	for (size_t i = 0; i < n && ok; i++) {
		const char *t = arena_printf(a, "%s.hyscale-tmp-%ld", dirs[i].path, pid);
		old[i] = arena_printf(a, "%s.hyscale-old-%ld", dirs[i].path, pid);
		bool exists;
		const char *why = not_ours(t, &exists, a);
		if (why) {
			/* Our own pid's name, taken: something planted it; leave it alone. */
			diag_error(d, LOC(t, 0, 0), NULL, "cannot create the temporary folder: %s is in the way (%s)", t, why);
			ok = false;
			break;
		}
		rm_path(t);
		track_add(t);
		if (mkdir(t, 0755) != 0) {
			diag_error(d, LOC(t, 0, 0), NULL, "cannot create folder: %s", strerror(errno));
			ok = false;
			break;
		}
		tmp[i] = t;
		/* The marker first: a killed run's temporary is then recognisably ours. */
		const char *mp = arena_printf(a, "%s/%s", t, OUTPUT_MARKER);
		track_add(mp);
		ok = write_file(mp, marker_text, sizeof(marker_text) - 1, 0644, d);
		for (size_t f = 0; f < dirs[i].n && ok; f++) {
			const struct out_file *of = &dirs[i].files[f];
			const char *fp = arena_printf(a, "%s/%s", t, of->name);
			track_add(fp);
			if (spool < 0) {
				ok = write_file(fp, sb_str(&of->text), of->text.len, of->secret ? 0600 : 0644, d);
				continue;
			}
			char *bytes = spooled(spool, of);
			if (!bytes) {
				diag_error(d, LOC(fp, 0, 0), NULL, "cannot write: %s", strerror(errno));
				ok = false;
				continue;
			}
			ok = write_file(fp, bytes, of->spool_len, of->secret ? 0600 : 0644, d);
			free(bytes);
		}
	}
	if (!ok) {
		for (size_t i = 0; i < n; i++)
			if (tmp[i])
				rm_path(tmp[i]);
		handlers_restore();
		close(lock);
		return false;
	}
	/* Swap every folder in, or none: the previous one is renamed aside first and put
	 * back if any later swap fails. Signals wait until the swap is over, so a SIGINT
	 * here cannot leave a service without its folder. */
	sigset_t mask;
	signals_block(true, &mask);
	track.n = 0;
	size_t done = 0;
	for (; done < n && ok; done++) {
		struct stat st;
		had[done] = fstatat(AT_FDCWD, dirs[done].path, &st, AT_SYMLINK_NOFOLLOW) == 0;
		if (had[done] && rename_noreplace(dirs[done].path, old[done]) != 0) {
			diag_error(d, LOC(dirs[done].path, 0, 0), NULL, "cannot replace folder: %s", strerror(errno));
			ok = false;
		} else if (rename_noreplace(tmp[done], dirs[done].path) != 0) {
			diag_error(d, LOC(dirs[done].path, 0, 0), NULL, "cannot replace folder: %s", strerror(errno));
			if (had[done])
				rename_noreplace(old[done], dirs[done].path);
			ok = false;
		}
	}
	if (!ok) {
		/* done-1 failed and is restored; undo the ones before it. */
		for (size_t j = done - 1; j-- > 0;) {
			if (rename_noreplace(dirs[j].path, tmp[j]) == 0 && had[j])
				rename_noreplace(old[j], dirs[j].path);
		}
		for (size_t j = 0; j < n; j++)
			rm_path(tmp[j]);
	} else {
		/* Checked again: only what was verified as ours before may be deleted. */
		for (size_t j = 0; j < n; j++) {
			bool exists;
			if (had[j] && !not_ours(old[j], &exists, a))
				rm_path(old[j]);
		}
	}
	signals_block(false, &mask);
	handlers_restore();
	close(lock);
	return ok;
}
