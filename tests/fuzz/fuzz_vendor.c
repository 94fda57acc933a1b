/* libFuzzer: the vendor-file front end (scanner, parser, diagnostics), and
 * fmt on what parses: its output must parse and format to itself. */

#include "vendorc/arena.h"
#include "vendorc/diag.h"
#include "vendorc/fmt.h"
#include "vendorc/frontend.h"
#include "vendorc/source.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_fmt(struct arena *arena, const struct ast_vendor *vendor)
{
	size_t len, again_len;
	const char *text = fmt_vendor(arena, vendor, &len);
	struct diag_set *diags = diag_set_create(arena);
	struct source *src = source_from_text(arena, "vendors/fuzz.vendor", text, len);
	struct ast_vendor *reparsed = frontend_parse(arena, diags, src);
	const char *again = reparsed ? fmt_vendor(arena, reparsed, &again_len) : NULL;
	if (!again || again_len != len || memcmp(again, text, len) != 0) {
		fprintf(stderr, "fmt is not idempotent on:\n%.*s", (int)len, text);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	struct source *src = source_from_text(arena, "vendors/fuzz.vendor", (const char *)data, size);
	struct ast_vendor *vendor = frontend_parse(arena, diags, src);
	if (vendor)
		check_fmt(arena, vendor);
	FILE *sink = fopen("/dev/null", "w");
	diag_print(diags, sink, DIAG_FORMAT_TEXT);
	diag_print(diags, sink, DIAG_FORMAT_JSON);
	fclose(sink);
	arena_destroy(arena);
	return 0;
}
