/* libFuzzer: probe --results, the reader of the Jobs' lines and of
 * NetAssert's TAP, against a kit of a few cases (a lookup among them),
 * and the report it prints. */

#include "vendorc/arena.h"
#include "vendorc/diag.h"
#include "vendorc/kit.h"
#include "vendorc/source.h"

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { CASES = 12 };

static struct kit *
small_kit(struct arena *arena)
{
	struct kit *kit = arena_alloc(arena, sizeof(*kit));
	for (size_t i = 0; i < CASES; i++) {
		struct kit_case *c = arena_alloc(arena, sizeof(*c));
		*c = (struct kit_case){ .number = i + 1, .vendor = "acme", .kind = (enum kit_kind)(i % KIT_KINDS),
			.expect_allowed = i % 3 == 0, .lookup = i == 5 ? "undeclared.vendorc-probe.invalid" : NULL,
			.source = "vendors/acme.vendor:3", .statement = "allow service payments/api",
			.port = { i % 4 == 1 ? NET_UDP : NET_TCP, 8080, NULL } };
		c->to.host = "api.payments.svc";
		c->to.host_port = i == 7 ? 0 : 80;
		vec_push(arena, &kit->cases, c);
	}
	return kit;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	struct source *src = source_from_text(arena, "results.txt", (const char *)data, size);
	struct kit *kit = small_kit(arena);
	struct kit_outcome *outcomes;
	enum kit_emit how;
	FILE *sink = fopen("/dev/null", "w");
	if (kit_parse_results(arena, diags, src, kit, &outcomes, &how))
		kit_print_results(sink, kit, outcomes, how);
	diag_print(diags, sink, DIAG_FORMAT_TEXT);
	fclose(sink);
	arena_destroy(arena);
	return 0;
}
