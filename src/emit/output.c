/* All-or-nothing output (see output.h). */
#include "output.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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

bool output_commit(struct out_dir *dirs, size_t n, struct diags *d, struct arena *a)
{
	const char **tmp = arena_alloc(a, (n + 1) * sizeof(char *));
	bool ok = true;
	long pid = (long)getpid();
	for (size_t i = 0; i < n && ok; i++) {
		const char *slash = strrchr(dirs[i].path, '/');
		if (slash && slash != dirs[i].path)
			ok = mkdirs(arena_strndup(a, dirs[i].path, (size_t)(slash - dirs[i].path)), d);
		if (!ok)
			break;
		tmp[i] = arena_printf(a, "%s.hyscale-tmp-%ld", dirs[i].path, pid);
		rm_tree(tmp[i]);
		if (mkdir(tmp[i], 0755) != 0) {
			diag_error(d, LOC(tmp[i], 0, 0), NULL, "cannot create folder: %s", strerror(errno));
			tmp[i] = NULL;
			ok = false;
			break;
		}
		for (size_t f = 0; f < dirs[i].n && ok; f++)
			ok = write_file(arena_printf(a, "%s/%s", tmp[i], dirs[i].files[f].name), &dirs[i].files[f].text, d);
	}
	if (!ok) {
		for (size_t i = 0; i < n; i++)
			if (tmp[i])
				rm_tree(tmp[i]);
		return false;
	}
	/* Swap the folders in: the old one is renamed aside first, then removed. */
	for (size_t i = 0; i < n; i++) {
		const char *old = arena_printf(a, "%s.hyscale-old-%ld", dirs[i].path, pid);
		bool had = access(dirs[i].path, F_OK) == 0;
		if (had && rename(dirs[i].path, old) != 0) {
			diag_error(d, LOC(dirs[i].path, 0, 0), NULL, "cannot replace folder: %s", strerror(errno));
			ok = false;
		} else if (rename(tmp[i], dirs[i].path) != 0) {
			diag_error(d, LOC(dirs[i].path, 0, 0), NULL, "cannot replace folder: %s", strerror(errno));
			if (had)
				rename(old, dirs[i].path);
			ok = false;
		} else if (had) {
			rm_tree(old);
		}
		if (!ok) {
			for (size_t j = i; j < n; j++)
				rm_tree(tmp[j]);
			return false;
		}
	}
	return true;
}
