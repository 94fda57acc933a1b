/* libFuzzer: vendorc import, the reader of hand-written NetworkPolicies
 * and the vendor files it drafts from them (parsed back by fmt), against a
 * catalog of one Service and the usual cluster ranges. */

#include "vendorc/arena.h"
#include "vendorc/catalog.h"
#include "vendorc/diag.h"
#include "vendorc/import.h"
#include "vendorc/project.h"
#include "vendorc/source.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char services[] =
	"apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: payments}\n"
	"spec:\n  selector: {app: api}\n  ports: [{port: 80, targetPort: 8080}]\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	struct vec catalog_sources = { 0 }, sources = { 0 };
	struct import_result result = { 0 };
	vec_push(arena, &catalog_sources, source_from_text(arena, "services.yaml", services, strlen(services)));
	struct catalog *catalog = catalog_from_sources(arena, diags, &catalog_sources);
	struct project project = { 0 };
	struct project_cidr *pods = arena_alloc(arena, sizeof(*pods));
	net_parse_cidr("10.244.0.0/16", &pods->cidr);
	vec_push(arena, &project.cluster_cidrs, pods);
	vec_push(arena, &sources, source_from_text(arena, "policies.yaml", (const char *)data, size));
	struct import_options options = { 0 };
	FILE *sink = fopen("/dev/null", "w");
	if (catalog && import_sources(arena, diags, &project, catalog, &sources, &options, &result))
		for (size_t i = 0; i < result.files.len; i++) {
			const struct import_file *file = vec_at(&result.files, i);
			fwrite(file->text, 1, file->len, sink);
		}
	diag_print(diags, sink, DIAG_FORMAT_TEXT);
	fclose(sink);
	arena_destroy(arena);
	return 0;
}
