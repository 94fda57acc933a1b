/* libFuzzer: vendorc import, the reader of hand-written NetworkPolicies
 * and CiliumNetworkPolicies, the vendor files it drafts from them (parsed
 * back by fmt), and import --verify's proof of those files (compiled as
 * the command compiles them), against a catalog of one Service and the
 * usual cluster ranges. The proof may refuse a file; it must not crash. */

#include "vendorc/arena.h"
#include "vendorc/ast.h"
#include "vendorc/backend.h"
#include "vendorc/catalog.h"
#include "vendorc/diag.h"
#include "vendorc/eval.h"
#include "vendorc/frontend.h"
#include "vendorc/import.h"
#include "vendorc/ir.h"
#include "vendorc/lockfile.h"
#include "vendorc/project.h"
#include "vendorc/resolve.h"
#include "vendorc/source.h"
#include "vendorc/verify.h"
#include "vendorc/when.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
	char dir[] = "/tmp/vendorc-fuzz-import-XXXXXX";
	if (!mkdtemp(dir))
		abort();
	snprintf(project_path, sizeof(project_path), "%s/vendorc.yaml", dir);
	return 0;
}

static void
prove(struct arena *arena, struct diag_set *diags, struct project *project, const struct catalog *catalog,
	const struct import_result *result, FILE *sink)
{
	struct vec vendors = { 0 }, files = { 0 };
	for (size_t i = 0; i < result->files.len; i++) {
		const struct import_file *file = vec_at(&result->files, i);
		struct ast_vendor *ast = frontend_parse(arena, diags, source_from_text(arena, "vendors/x.vendor",
			file->text, file->len));
		if (!ast)
			abort(); /* import writes only what parses */
		for (struct ast_stmt *stmt = ast->stmts; stmt; stmt = stmt->next)
			stmt->is_never |= stmt->kind == AST_EXPIRES;
		vec_push(arena, &vendors, ast);
	}
	struct resolve_input in = { .project = project, .catalog = import_adopted_catalog(arena, catalog, result),
		.lock = lockfile_from_source(arena, diags, source_from_text(arena, "vendorc.lock", "", 0)),
		.vendors = &vendors, .now = 1795000000 * WHEN_SECOND };
	struct ir *ir = in.lock ? resolve(arena, diags, &in) : NULL;
	struct eval_policies emitted = { 0 };
	if (ir && backend_networkpolicy(arena, diags, ir, NULL, &files)
		&& verify_read_policies(arena, diags, &files, "out", &emitted))
		import_verify(arena, diags, catalog, result, ir, &emitted, false, sink);
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
		prove(arena, diags, project, catalog, &result, sink);
	}
	diag_print(diags, sink, DIAG_FORMAT_TEXT);
	fclose(sink);
	arena_destroy(arena);
	return 0;
}
