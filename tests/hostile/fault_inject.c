/* Test-only LD_PRELOAD shim for the fault tests (faults.sh): makes the Nth write() to a
 * file (fd > 2) or the Nth rename() (rename or renameat2) fail, deliver a signal or pause,
 * so a run can be stopped at an exact point of output_commit() instead of racing a timer.
 *   HS_FAULT=write:3:TERM     raise SIGTERM before the 3rd write to a file
 *   HS_FAULT=rename:2:KILL    SIGKILL before the 2nd rename (the worst moment of a swap)
 *   HS_FAULT=write:1:ENOSPC   that write fails with ENOSPC (also EIO, EACCES; INT, KILL)
 *   HS_FAULT=rename:3:SLEEP2  sleep 2 s before the 3rd rename (to overlap two runs)
 * Never linked into hyscale itself. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int counts[2];

/* 0: go on; -1: fail with errno set; a signal is raised in place. */
static int fault(int which)
{
	const char *spec = getenv("HS_FAULT");
	static const char *const names[] = { "write:", "rename:" };
	if (!spec || strncmp(spec, names[which], strlen(names[which])))
		return 0;
	char *end;
	long nth = strtol(spec + strlen(names[which]), &end, 10);
	if (*end != ':' || ++counts[which] != nth)
		return 0;
	const char *act = end + 1;
	if (!strcmp(act, "TERM"))
		raise(SIGTERM);
	else if (!strcmp(act, "INT"))
		raise(SIGINT);
	else if (!strcmp(act, "KILL"))
		raise(SIGKILL);
	else if (!strncmp(act, "SLEEP", 5))
		sleep((unsigned)atoi(act + 5));
	else {
		errno = !strcmp(act, "ENOSPC") ? ENOSPC : !strcmp(act, "EACCES") ? EACCES : EIO;
		return -1;
	}
	return 0;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "write");
	if (fd > 2 && fault(0) < 0)
		return -1;
	return real(fd, buf, n);
}

int rename(const char *from, const char *to)
{
	static int (*real)(const char *, const char *);
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "rename");
	if (fault(1) < 0)
		return -1;
	return real(from, to);
}

int renameat2(int fromfd, const char *from, int tofd, const char *to, unsigned flags)
{
	static int (*real)(int, const char *, int, const char *, unsigned);
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "renameat2");
	if (fault(1) < 0)
		return -1;
	return real(fromfd, from, tofd, to, flags);
}
