/* libFuzzer: the vendor-file front end (scanner, parser, diagnostics). */

#include "vendorc/arena.h"
#include "vendorc/diag.h"
#include "vendorc/frontend.h"
#include "vendorc/source.h"

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	struct source *src = source_from_text(arena, "vendors/fuzz.vendor", (const char *)data, size);
	frontend_parse(arena, diags, src);
	FILE *sink = fopen("/dev/null", "w");
	diag_print(diags, sink, DIAG_FORMAT_TEXT);
	diag_print(diags, sink, DIAG_FORMAT_JSON);
	fclose(sink);
	arena_destroy(arena);
	return 0;
}
