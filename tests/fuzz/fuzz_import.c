/* libFuzzer: vendorc import, the reader of hand-written NetworkPolicies
 * and CiliumNetworkPolicies, the vendor files it drafts from them (parsed
 * back by fmt), and import --verify's proof of those files (import_prove,
 * as the command runs it), against a catalog of one Service and the usual
 * cluster ranges, in a project whose directories are made once. The proof
 * may refuse a file; it must not crash. */

#include "vendorc/arena.h"
#include "vendorc/catalog.h"
#include "vendorc/diag.h"
#include "vendorc/import.h"
#include "vendorc/project.h"
#include "vendorc/source.h"
#include "vendorc/when.h"

#include "scratch_project.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char project_path[256];

static const char project_text[] =
	"vendors: vendors/\n"
	"output: out/\n"
	"catalog: [cluster/]\n"
	"cluster-cidrs: [10.244.0.0/16, 10.96.0.0/12]\n";

static const char services[] =
	"apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: payments}\n"
	"spec:\n  selector: {app: api}\n  ports: [{port: 80, targetPort: 8080}]\n";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	scratch_project(project_path, sizeof(project_path));
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	struct vec catalog_sources = { 0 }, sources = { 0 };
	struct import_result result = { 0 };
	vec_push(arena, &catalog_sources, source_from_text(arena, "services.yaml", services, strlen(services)));
	struct catalog *catalog = catalog_from_sources(arena, diags, &catalog_sources);
	struct project *project = project_parse(arena, diags, source_from_text(arena, "vendorc.yaml", project_text,
		sizeof(project_text) - 1), project_path, PROJECT_PATHS_FROM_PROJECT);
	vec_push(arena, &sources, source_from_text(arena, "policies.yaml", (const char *)data, size));
	struct import_options options = { 0 };
	FILE *sink = fopen("/dev/null", "w");
	if (catalog && project && import_sources(arena, diags, project, catalog, &sources, &options, &result)) {
		for (size_t i = 0; i < result.files.len; i++) {
			const struct import_file *file = vec_at(&result.files, i);
			fwrite(file->text, 1, file->len, sink);
		}
		import_prove(arena, diags, project, catalog, &result, "vendors", 1795000000 * WHEN_SECOND, sink);
	}
	diag_print(diags, sink, DIAG_FORMAT_TEXT);
	fclose(sink);
	arena_destroy(arena);
	return 0;
}
