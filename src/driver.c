#include "vendorc/driver.h"

#include "vendorc/arena.h"
#include "vendorc/backend.h"
#include "vendorc/catalog.h"
#include "vendorc/frontend.h"
#include "vendorc/ir.h"
#include "vendorc/lockfile.h"
#include "vendorc/outdir.h"
#include "vendorc/project.h"
#include "vendorc/report.h"
#include "vendorc/resolve.h"
#include "vendorc/verify.h"

#include <stdio.h>

static enum driver_exit
driver_status(const struct diag_set *diags, bool strict)
{
	if (diag_count(diags, DIAG_FATAL))
		return DRIVER_IO_ERROR;
	if (diag_count(diags, DIAG_ERROR) || (strict && diag_count(diags, DIAG_WARNING)))
		return DRIVER_INPUT_ERROR;
	return DRIVER_OK;
}

/* Everything the passes read, loaded before any of them runs, so that one
 * run reports the errors of every input file at once. */
static bool
load_inputs(struct arena *arena, struct diag_set *diags, const struct project *project,
	struct resolve_input *in)
{
	struct vec *vendors = arena_alloc(arena, sizeof(*vendors));
	frontend_load(arena, diags, project, vendors);
	in->project = project;
	in->vendors = vendors;
	in->catalog = catalog_load(arena, diags, project);
	in->lock = lockfile_load(arena, diags, &project->lock, project->lock_named);
	return !diag_has_errors(diags) && in->catalog && in->lock;
}

/* check's proof: the files just compiled, or with --verify those in a
 * directory (what a pipeline is about to apply), against the intent. */
static bool
verify_output(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	const struct project *project, const struct ir *ir, const struct catalog *catalog,
	const struct vec *compiled)
{
	const struct vec *files = compiled;
	const char *display = project->output.display;
	if (options->verify) {
		struct project_path dir = { options->verify, options->verify, { 0 } };
		struct vec *read = arena_alloc(arena, sizeof(*read));
		if (!outdir_read(arena, diags, &dir, read))
			return false;
		files = read;
		display = options->verify;
	}
	struct vec emitted = { 0 };
	return verify_read_policies(arena, diags, files, display, &emitted)
		&& verify(arena, diags, ir, catalog, &emitted);
}

static bool
run_passes(struct arena *arena, struct diag_set *diags, const struct driver_options *options)
{
	struct project *project = project_load(arena, diags, options->project);
	if (!project)
		return false;
	if (project->backend != PROJECT_BACKEND_NETWORKPOLICY) {
		diag_report(diags, DIAG_PROJECT_BAD_VALUE, &project->backend_loc,
			"backend \"cilium\" is not available in this version yet");
		return false;
	}
	if (options->output)
		project->output = (struct project_path){ options->output, options->output, { 0 } };
	struct resolve_input in = { .now = options->now };
	if (!load_inputs(arena, diags, project, &in))
		return false;
	struct ir *ir = resolve(arena, diags, &in);
	if (!ir)
		return false;
	struct vec files = { 0 };
	if (!backend_networkpolicy(arena, diags, ir, &files))
		return false;
	if (!outdir_check(arena, diags, &project->output, &files))
		return false;
	if (options->write)
		return outdir_write(arena, diags, &project->output, &files);
	return verify_output(arena, diags, options, project, ir, in.catalog, &files);
}

enum driver_exit
driver_compile(const struct driver_options *options)
{
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	run_passes(arena, diags, options);
	diag_print(diags, stderr, options->format);
	enum driver_exit status = driver_status(diags, options->strict);
	arena_destroy(arena);
	return status;
}

static bool
run_expiring(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	bool *attention)
{
	struct project *project = project_load(arena, diags, options->project);
	if (!project)
		return false;
	struct vec vendors = { 0 }, headers = { 0 };
	struct resolve_input in = { .project = project, .vendors = &vendors, .now = options->now };
	if (!frontend_load(arena, diags, project, &vendors) || !resolve_headers(arena, diags, &in, &headers))
		return false;
	int64_t within = options->within ? options->within : project->expiry_warning;
	*attention = report_expiring(stdout, arena, &headers, options->now, within, options->report);
	return true;
}

enum driver_exit
driver_expiring(const struct driver_options *options)
{
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	bool attention = false;
	run_expiring(arena, diags, options, &attention);
	diag_print(diags, stderr, options->format);
	enum driver_exit status = driver_status(diags, false);
	arena_destroy(arena);
	return status == DRIVER_OK && attention ? DRIVER_INPUT_ERROR : status;
}
