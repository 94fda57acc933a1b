/* libFuzzer: the whole compile of an in-memory project. The input is a
 * vendor file, then a line "%%", then a catalog; both go through every
 * pass (resolve, the NetworkPolicy backend, and check's proof). The
 * project itself is fixed, in a scratch directory made once. */

#include "vendorc/arena.h"
#include "vendorc/backend.h"
#include "vendorc/catalog.h"
#include "vendorc/ceiling.h"
#include "vendorc/eval.h"
#include "vendorc/diag.h"
#include "vendorc/frontend.h"
#include "vendorc/ir.h"
#include "vendorc/lockfile.h"
#include "vendorc/project.h"
#include "vendorc/resolve.h"
#include "vendorc/source.h"
#include "vendorc/verify.h"
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
	"isolate: [vendor-acme, contractors]\n"
	"cluster-cidrs: [10.244.0.0/16, 10.96.0.0/12]\n"
	"dns: {addresses: [169.254.20.10/32]}\n";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	scratch_project(project_path, sizeof(project_path));
	return 0;
}

static void
compile(struct arena *arena, struct diag_set *diags, const char *vendor, size_t vendor_len,
	const char *catalog, size_t catalog_len)
{
	struct source *project_src = source_from_text(arena, "vendorc.yaml", project_text,
		sizeof(project_text) - 1);
	struct project *project = project_parse(arena, diags, project_src, project_path, PROJECT_PATHS_FROM_PROJECT);
	struct vec vendors = { 0 }, sources = { 0 }, files = { 0 };
	struct eval_policies emitted = { 0 };
	struct ast_vendor *ast = frontend_parse(arena, diags,
		source_from_text(arena, "vendors/acme.vendor", vendor, vendor_len));
	vec_push(arena, &sources, source_from_text(arena, "cluster/fuzz.yaml", catalog, catalog_len));
	struct resolve_input in = {
		.project = project,
		.catalog = catalog_from_sources(arena, diags, &sources),
		.lock = lockfile_from_source(arena, diags, source_from_text(arena, "vendorc.lock",
			"api.acme.io: [203.0.113.0/24]\n", 30)),
		.vendors = &vendors,
		.now = 1795000000 * WHEN_SECOND,
	};
	if (!project || !ast || !in.catalog || !in.lock)
		return;
	vec_push(arena, &vendors, ast);
	struct ir *ir = resolve(arena, diags, &in);
	if (!ir || !ceiling_build(arena, diags, project, in.catalog, ir))
		return;
	/* Either backend's own output must pass its proof. */
	if (backend_networkpolicy(arena, diags, ir, NULL, &files)
		&& verify_read_policies(arena, diags, &files, "out", &emitted)
		&& !verify(arena, diags, ir, in.catalog, &emitted, false, ir->admin))
		abort();
	struct vec cilium_files = { 0 };
	struct eval_policies cilium_emitted = { 0 };
	if (backend_cilium(arena, diags, ir, NULL, &cilium_files)
		&& verify_read_policies(arena, diags, &cilium_files, "out", &cilium_emitted)
		&& !verify(arena, diags, ir, in.catalog, &cilium_emitted, true, ir->admin))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *split = memmem(text, size, "\n%%\n", 4);
	size_t vendor_len = split ? (size_t)(split - text) : size;
	const char *catalog = split ? split + 4 : "";
	size_t catalog_len = split ? size - vendor_len - 4 : 0;
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	compile(arena, diags, text, vendor_len, catalog, catalog_len);
	FILE *sink = fopen("/dev/null", "w");
	diag_print(diags, sink, DIAG_FORMAT_TEXT);
	fclose(sink);
	arena_destroy(arena);
	return 0;
}
