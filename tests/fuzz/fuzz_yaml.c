/* libFuzzer: the YAML readers: a catalog, a lock file and a project file
 * from the same bytes. */

#include "vendorc/arena.h"
#include "vendorc/catalog.h"
#include "vendorc/diag.h"
#include "vendorc/lockfile.h"
#include "vendorc/project.h"
#include "vendorc/source.h"

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	struct source *src = source_from_text(arena, "cluster/fuzz.yaml", (const char *)data, size);
	struct vec sources = { 0 };
	vec_push(arena, &sources, src);
	catalog_from_sources(arena, diags, &sources);
	lockfile_from_source(arena, diags, src);
	project_parse(arena, diags, src, "/nonexistent/vendorc.yaml", PROJECT_PATHS_FROM_PROJECT);
	FILE *sink = fopen("/dev/null", "w");
	diag_print(diags, sink, DIAG_FORMAT_TEXT);
	fclose(sink);
	arena_destroy(arena);
	return 0;
}
