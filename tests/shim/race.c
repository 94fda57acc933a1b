/* LD_PRELOAD for tests/robustness.py: when vendorc makes its new tree (the
 * mkdir of a ".NAME.vendorc-new.PID" directory, after it has surveyed the
 * output), the shell command in VENDORC_RACE runs first. That is someone
 * writing the output while vendorc compiles, at the worst moment. */

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int
mkdir(const char *path, mode_t mode)
{
	int (*real_mkdir)(const char *, mode_t);
	*(void **)&real_mkdir = dlsym(RTLD_NEXT, "mkdir"); /* POSIX's way past ISO C's pointer rules */
	const char *command = getenv("VENDORC_RACE");
	if (command && strstr(path, ".vendorc-new.") && system(command) != 0)
		abort();
	return real_mkdir(path, mode);
}
