/* Confined reads of included files (see confine.h). */
#include "confine.h"
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

/* Kernel file systems whose "regular files" are views of the system (environment,
 * memory, settings), not files someone wrote for a spec. */
static bool pseudo_fs(int fd)
{
	static const unsigned long kinds[] = { PROC_SUPER_MAGIC, SYSFS_MAGIC, DEBUGFS_MAGIC, TRACEFS_MAGIC,
					       SECURITYFS_MAGIC, CGROUP_SUPER_MAGIC, CGROUP2_SUPER_MAGIC,
					       BPF_FS_MAGIC, EFIVARFS_MAGIC, PSTOREFS_MAGIC, SELINUX_MAGIC };
	struct statfs sf;
	if (fstatfs(fd, &sf) != 0)
		return true;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++)
		if ((unsigned long)sf.f_type == kinds[i])
			return true;
	return false;
}

static const char *open_error(int err)
{
	return err == ENOENT ? "no such file" : err == ELOOP ? "too many levels of symbolic links" : strerror(err);
}

/* Is real (resolved) inside dir's tree? */
static bool inside(const char *real, const char *dir, char *real_dir)
{
	if (!realpath(dir, real_dir))
		return false;
	size_t rl = strlen(real_dir);
	return !strcmp(real_dir, "/") || (!strncmp(real, real_dir, rl) && (real[rl] == '/' || real[rl] == '\0'));
}

static const char *dir_of(const char *file, struct arena *a)
{
	const char *slash = strrchr(file, '/');
	return !slash ? "." : slash == file ? "/" : arena_strndup(a, file, (size_t)(slash - file));
}

int confined_open(const char *path, const char *spec_dir, const char *naming, bool allow_outside, struct stat *st,
		  const char **why, struct arena *a)
{
	char real[PATH_MAX], real_dir[PATH_MAX];
	if (!realpath(path, real)) {
		*why = open_error(errno);
		return -1;
	}
	char real_naming[PATH_MAX];
	const char *naming_dir = naming ? dir_of(naming, a) : NULL;
	if (!allow_outside && !inside(real, spec_dir, real_dir) && (!naming_dir || !inside(real, naming_dir, real_naming))) {
		/* Name the folders as resolved, the naming file's only when it is another one. */
		const char *spec_real = realpath(spec_dir, real_dir) ? real_dir : spec_dir;
		const char *other = naming_dir && realpath(naming_dir, real_naming) && strcmp(real_naming, spec_real)
					    ? arena_printf(a, " or of the file naming it (%s)", real_naming)
					    : "";
		*why = arena_printf(a, "it is %s, outside the folder of the spec (%s)%s; move it there, or allow "
				       "files from anywhere with " CONFINE_FLAG,
				    real, spec_real, other);
		return -1;
	}
	/* The resolved path has no link left to follow; O_NONBLOCK: a FIFO cannot hold us. */
	int fd = open(real, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		*why = open_error(errno);
		return -1;
	}
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		*why = S_ISDIR(st->st_mode) ? "it is a directory" : "not a regular file (a FIFO, socket or device)";
		close(fd);
		return -1;
	}
	if (pseudo_fs(fd)) {
		*why = "it is on a kernel file system (/proc, /sys), not a regular file";
		close(fd);
		return -1;
	}
	return fd;
}
