/* libFuzzer: observe --flows, the reader of Hubble's JSON (jsonread.c under
 * it) and of the CSV, told apart by the first character. */

#include "vendorc/arena.h"
#include "vendorc/diag.h"
#include "vendorc/flows.h"
#include "vendorc/source.h"

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	struct source *src = source_from_text(arena, "flows", (const char *)data, size);
	struct flow_log log;
	FILE *sink = fopen("/dev/null", "w");
	if (flows_parse(arena, diags, src, &log))
		fprintf(sink, "%zu %zu\n", log.records.len, log.skipped);
	diag_print(diags, sink, DIAG_FORMAT_TEXT);
	fclose(sink);
	arena_destroy(arena);
	return 0;
}
