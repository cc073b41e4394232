/* All-or-nothing output (see output.h): write to <dir>.hyscale-tmp-PID, then swap in;
 * cleaned up on SIGINT/SIGTERM/SIGHUP, and after a SIGKILL by the next run. */
#include "output.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

void rm_tree(const char *path)
{
	DIR *dir = opendir(path);
	if (dir) {
		struct dirent *e;
		while ((e = readdir(dir))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			size_t l = strlen(path) + strlen(e->d_name) + 2;
			char *p = malloc(l);
			if (!p)
				break;
			snprintf(p, l, "%s/%s", path, e->d_name);
			struct stat st;
			if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
				rm_tree(p);
			else
				unlink(p);
			free(p);
		}
		closedir(dir);
	}
	rmdir(path);
}

static bool write_file(const char *path, const struct sbuf *text, struct diags *d)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		diag_error(d, LOC(path, 0, 0), NULL, "cannot write: %s", strerror(errno));
		return false;
	}
	const char *p = sb_str(text);
	size_t left = text->len;
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

/* A run killed with SIGKILL (or a crash) leaves <dir>.hyscale-tmp-PID / -old-PID behind.
 * Those of processes that no longer exist are removed; if the kill came between moving
 * the previous folder aside and moving the new one in, the previous one is put back. */
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
		if (old && access(dir, F_OK) != 0 && rename(p, dir) == 0)
			continue;
		rm_tree(p);
	}
	closedir(d);
}

bool output_commit(struct out_dir *dirs, size_t n, struct diags *d, struct arena *a)
{
	const char **tmp = arena_alloc(a, (n + 1) * sizeof(char *));
	const char **old = arena_alloc(a, (n + 1) * sizeof(char *));
	bool *had = arena_alloc(a, (n + 1) * sizeof(bool));
	bool ok = true;
	long pid = (long)getpid();
	track.a = a;
	track.n = 0;
	handlers_install();
	/* Every folder first: a failure below must not leave another one's leftovers. */
	for (size_t i = 0; i < n; i++)
		recover_stale(dirs[i].path, a);
	for (size_t i = 0; i < n && ok; i++) {
		const char *slash = strrchr(dirs[i].path, '/');
		if (slash && slash != dirs[i].path)
			ok = mkdirs(arena_strndup(a, dirs[i].path, (size_t)(slash - dirs[i].path)), d);
		if (!ok)
			break;
		tmp[i] = arena_printf(a, "%s.hyscale-tmp-%ld", dirs[i].path, pid);
		old[i] = arena_printf(a, "%s.hyscale-old-%ld", dirs[i].path, pid);
		rm_tree(tmp[i]);
		track_add(tmp[i]);
		if (mkdir(tmp[i], 0755) != 0) {
			diag_error(d, LOC(tmp[i], 0, 0), NULL, "cannot create folder: %s", strerror(errno));
			tmp[i] = NULL;
			ok = false;
			break;
		}
		for (size_t f = 0; f < dirs[i].n && ok; f++) {
			const char *fp = arena_printf(a, "%s/%s", tmp[i], dirs[i].files[f].name);
			track_add(fp);
			ok = write_file(fp, &dirs[i].files[f].text, d);
		}
	}
	if (!ok) {
		for (size_t i = 0; i < n; i++)
			if (tmp[i])
				rm_tree(tmp[i]);
		handlers_restore();
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
		had[done] = access(dirs[done].path, F_OK) == 0;
		if (had[done] && rename(dirs[done].path, old[done]) != 0) {
			diag_error(d, LOC(dirs[done].path, 0, 0), NULL, "cannot replace folder: %s", strerror(errno));
			ok = false;
		} else if (rename(tmp[done], dirs[done].path) != 0) {
			diag_error(d, LOC(dirs[done].path, 0, 0), NULL, "cannot replace folder: %s", strerror(errno));
			if (had[done])
				rename(old[done], dirs[done].path);
			ok = false;
		}
	}
	if (!ok) {
		/* done-1 failed and is restored; undo the ones before it. */
		for (size_t j = done - 1; j-- > 0;) {
			if (rename(dirs[j].path, tmp[j]) == 0 && had[j])
				rename(old[j], dirs[j].path);
		}
		for (size_t j = 0; j < n; j++)
			rm_tree(tmp[j]);
	} else {
		for (size_t j = 0; j < n; j++)
			if (had[j])
				rm_tree(old[j]);
	}
	signals_block(false, &mask);
	handlers_restore();
	return ok;
}
