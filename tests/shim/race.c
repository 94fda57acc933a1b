/* LD_PRELOAD for tests/robustness.py:
 * - when vendorc makes its new tree (the mkdir of a ".NAME.vendorc-new.PID"
 *   directory, after it has surveyed the output), the shell command in
 *   VENDORC_RACE runs first: someone writing the output while vendorc
 *   compiles, at the worst moment; with VENDORC_RACE_AT set, it runs
 *   instead at the first open of a file of that name (while vendorc
 *   compares the output);
 * - a hard link to a file named VENDORC_NO_LINK fails with EMLINK, as on a
 *   file with too many links. */

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int
mkdir(const char *path, mode_t mode)
{
	int (*real_mkdir)(const char *, mode_t);
	*(void **)&real_mkdir = dlsym(RTLD_NEXT, "mkdir"); /* POSIX's way past ISO C's pointer rules */
	const char *command = getenv("VENDORC_RACE");
	if (command && !getenv("VENDORC_RACE_AT") && strstr(path, ".vendorc-new.") && system(command) != 0)
		abort();
	return real_mkdir(path, mode);
}

int
openat(int dir, const char *path, int flags, ...)
{
	int (*real_openat)(int, const char *, int, ...);
	*(void **)&real_openat = dlsym(RTLD_NEXT, "openat");
	static int raced;
	const char *command = getenv("VENDORC_RACE"), *name = getenv("VENDORC_RACE_AT");
	if (command && name && strcmp(path, name) == 0 && !__atomic_exchange_n(&raced, 1, __ATOMIC_SEQ_CST)
		&& system(command) != 0)
		abort();
	va_list args;
	va_start(args, flags);
	mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(args, int) : 0;
	va_end(args);
	return real_openat(dir, path, flags, mode);
}

static int
refused(const char *to)
{
	const char *name = getenv("VENDORC_NO_LINK");
	const char *slash = strrchr(to, '/');
	if (name && strcmp(slash ? slash + 1 : to, name) == 0) {
		errno = EMLINK;
		return 1;
	}
	return 0;
}

int
link(const char *from, const char *to)
{
	int (*real_link)(const char *, const char *);
	*(void **)&real_link = dlsym(RTLD_NEXT, "link");
	return refused(to) ? -1 : real_link(from, to);
}

int
linkat(int from_dir, const char *from, int to_dir, const char *to, int flags)
{
	int (*real_linkat)(int, const char *, int, const char *, int);
	*(void **)&real_linkat = dlsym(RTLD_NEXT, "linkat");
	return refused(to) ? -1 : real_linkat(from_dir, from, to_dir, to, flags);
}
