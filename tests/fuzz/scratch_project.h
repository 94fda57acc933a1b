#ifndef VENDORC_FUZZ_SCRATCH_PROJECT_H
#define VENDORC_FUZZ_SCRATCH_PROJECT_H

/* The directory a harness's in-memory project names (its vendors/ and
 * cluster/ must exist for project_parse), made once per process: the
 * project file's path is written to path. */

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

static inline void
scratch_project(char *path, size_t size)
{
	char dir[] = "/tmp/vendorc-fuzz-XXXXXX";
	if (!mkdtemp(dir))
		abort();
	char sub[300];
	snprintf(sub, sizeof(sub), "%s/vendors", dir);
	mkdir(sub, 0755);
	snprintf(sub, sizeof(sub), "%s/cluster", dir);
	mkdir(sub, 0755);
	snprintf(path, size, "%s/vendorc.yaml", dir);
}

#endif
