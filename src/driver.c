#include "vendorc/driver.h"

#include "vendorc/arena.h"
#include "vendorc/audit.h"
#include "vendorc/backend.h"
#include "vendorc/catalog.h"
#include "vendorc/ceiling.h"
#include "vendorc/eval.h"
#include "vendorc/coverage.h"
#include "vendorc/expire.h"
#include "vendorc/explain.h"
#include "vendorc/fmt.h"
#include "vendorc/init.h"
#include "vendorc/frontend.h"
#include "vendorc/fswalk.h"
#include "vendorc/git.h"
#include "vendorc/graph.h"
#include "vendorc/history.h"
#include "vendorc/ir.h"
#include "vendorc/locker.h"
#include "vendorc/lockfile.h"
#include "vendorc/outdir.h"
#include "vendorc/parallel.h"
#include "vendorc/path.h"
#include "vendorc/plan.h"
#include "vendorc/project.h"
#include "vendorc/report.h"
#include "vendorc/resolve.h"
#include "vendorc/verify.h"
#include "vendorc/when.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The warnings --strict fails on. Those of the calendar (expired,
 * expiring soon, a review overdue) only with --strict-expiry: they come
 * with the date, not with a change, and must not block every unrelated
 * pull request while a vendor is inside its expiry-warning or due for
 * review (the daily `expiring` run is where they belong). */
static size_t
strict_warnings(const struct diag_set *diags, bool strict_expiry)
{
	size_t calendar = strict_expiry ? 0
		: diag_count_code(diags, DIAG_EXPIRED) + diag_count_code(diags, DIAG_EXPIRES_SOON)
		+ diag_count_code(diags, DIAG_REVIEW_OVERDUE);
	return diag_count(diags, DIAG_WARNING) - calendar;
}

static enum driver_exit
driver_status(const struct diag_set *diags, bool strict, bool strict_expiry)
{
	if (diag_count(diags, DIAG_FATAL))
		return DRIVER_IO_ERROR;
	/* a revision or date given on the command line that names no commit */
	if (diag_count_code(diags, DIAG_BAD_REVISION))
		return DRIVER_USAGE_ERROR;
	if (diag_count(diags, DIAG_ERROR) || (strict && strict_warnings(diags, strict_expiry)))
		return DRIVER_INPUT_ERROR;
	return DRIVER_OK;
}

/* The end of every command: the diagnostics printed, the compilation
 * released, and the exit status; yes is the command's own "exit 1" answer
 * (stale, expiring, would change), which only a clean run can give. */
static enum driver_exit
driver_finish(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	bool strict, bool yes)
{
	/* What a command printed is only written out here: a full disk or a
	 * closed pipe is an I/O error (exit 3), not success or "yes". */
	if (fflush(stdout) != 0 || ferror(stdout))
		diag_report(diags, DIAG_IO_ERROR, NULL, "cannot write standard output: %s",
			strerror(errno));
	diag_print(diags, stderr, options->format);
	enum driver_exit status = driver_status(diags, strict, options->strict_expiry);
	arena_destroy(arena);
	return status == DRIVER_OK && yes ? DRIVER_INPUT_ERROR : status;
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
	in->lock = lockfile_load(arena, diags, &project->lock,
		project->lock_named && resolve_names_domain(vendors));
	return !diag_has_errors(diags) && in->catalog && in->lock;
}

/* What compiling gives the commands: the resolved intent, the catalog and
 * the files, in memory. */
struct compiled {
	struct project *project;
	struct resolve_input in;
	struct ir *ir;
	struct vec files;
};

/* The passes up to resolve: what compile emits from, and graph draws. */
static bool
resolve_project(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	struct compiled *out)
{
	out->project = project_load(arena, diags, options->project, options->paths);
	if (!out->project)
		return false;
	if (options->output)
		out->project->output = (struct project_path){ options->output, options->output, { 0 } };
	if (options->backend)
		out->project->backend = strcmp(options->backend, "cilium") == 0
			? PROJECT_BACKEND_CILIUM : PROJECT_BACKEND_NETWORKPOLICY;
	out->in.now = options->now;
	if (!load_inputs(arena, diags, out->project, &out->in))
		return false;
	out->ir = resolve(arena, diags, &out->in);
	return out->ir && ceiling_build(arena, diags, out->project, out->in.catalog, out->ir);
}

static bool
emit_files(struct arena *arena, struct diag_set *diags, struct compiled *out,
	const struct backend_sink *sink)
{
	return out->project->backend == PROJECT_BACKEND_CILIUM
		? backend_cilium(arena, diags, out->ir, sink, &out->files)
		: backend_networkpolicy(arena, diags, out->ir, sink, &out->files);
}

/* The files in memory, for the commands that read them. */
static bool
compile_project(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	struct compiled *out)
{
	return resolve_project(arena, diags, options, out) && emit_files(arena, diags, out, NULL)
		&& outdir_check(arena, diags, &out->project->output, &out->files);
}

/* compile: each file goes to the output as it is made. */
static bool
write_project(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	struct compiled *compiled)
{
	if (!resolve_project(arena, diags, options, compiled))
		return false;
	struct outdir_writer *writer = outdir_begin(arena, diags, &compiled->project->output);
	if (!writer)
		return false;
	struct backend_sink sink = outdir_sink(writer);
	bool made = emit_files(arena, diags, compiled, &sink);
	return outdir_finish(writer, &compiled->files, made);
}

/* The policies to prove or explain, read back from their YAML: the files
 * just compiled, or with --verify those in a directory (what a pipeline is
 * about to apply, or a dump of the live cluster, whose own policies then
 * count as the catalog's from here on). */
static bool
read_policies(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	struct compiled *compiled, struct eval_policies *emitted)
{
	if (!options->verify)
		return verify_read_policies(arena, diags, &compiled->files,
			compiled->project->output.display, emitted);
	struct project_path dir = { options->verify, options->verify, { 0 } };
	return verify_read_dir(arena, diags, &dir, &compiled->files, &compiled->in.catalog, emitted);
}

static bool
prove_project(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	struct compiled *compiled)
{
	if (!compile_project(arena, diags, options, compiled))
		return false;
	struct eval_policies emitted = { 0 };
	if (!read_policies(arena, diags, options, compiled, &emitted))
		return false;
	bool proved = verify(arena, diags, compiled->ir, compiled->in.catalog, &emitted,
		compiled->project->backend == PROJECT_BACKEND_CILIUM, options->adversarial);
	if (options->coverage)
		coverage_report(stdout, arena, compiled->ir, compiled->in.catalog, &emitted, options->report);
	return proved;
}

/* A run stopped by the input's errors changes nothing, not even for the
 * vendors that have expired since the last compile: it says so where the
 * output still grants their access. */
static bool
run_passes(struct arena *arena, struct diag_set *diags, const struct driver_options *options)
{
	struct compiled compiled = { 0 };
	bool ok = options->write ? write_project(arena, diags, options, &compiled)
		: prove_project(arena, diags, options, &compiled);
	if (!ok && compiled.project && !diag_count(diags, DIAG_FATAL))
		expire_warn(arena, diags, &compiled.project->output, options->now);
	return ok;
}

enum driver_exit
driver_compile(const struct driver_options *options)
{
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	run_passes(arena, diags, options);
	return driver_finish(arena, diags, options, options->strict, false);
}

static bool
run_expiring(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	bool *attention)
{
	struct project *project = project_load(arena, diags, options->project, options->paths);
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
	return driver_finish(arena, diags, options, false, attention);
}

/* explain VENDOR --at a commit whose project lacks it: the history up to
 * that commit, by vendor name (so a renamed file is not its removal),
 * names the commit that removed it. */
static enum explain_result
explain_removed(struct arena *arena, struct diag_set *diags, const struct git *git,
	const struct project *project, const struct explain_query *query)
{
	struct history history;
	if (!history_collect_in(arena, diags, git, project, query->at->hash, &history))
		return EXPLAIN_DONE;
	const struct history_vendor *vendor = history_vendor(&history, query->vendor);
	const struct history_event *last = vendor ? vec_at(&vendor->events, vendor->events.len - 1) : NULL;
	return explain_gone(arena, query->vendor, query->at,
		last && last->kind == HISTORY_VENDOR_DELETED ? last : NULL);
}

/* git: the work tree of --at, NULL without it. */
static enum explain_result
explain_project(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	const struct explain_query *query, const struct git *git)
{
	struct compiled compiled = { 0 };
	struct eval_policies emitted = { 0 };
	if (!compile_project(arena, diags, options, &compiled)
		|| !read_policies(arena, diags, options, &compiled, &emitted))
		return EXPLAIN_DONE;
	if (git && query->vendor && !ir_vendor_named(compiled.ir, query->vendor))
		return explain_removed(arena, diags, git, compiled.project, query);
	return explain(stdout, arena, query, compiled.ir, compiled.in.catalog, &emitted,
		compiled.project->backend == PROJECT_BACKEND_CILIUM, options->report);
}

/* The project file's work tree, and the file's path from its top level. */
static bool
open_project_tree(struct arena *arena, struct diag_set *diags, const char *file, struct git *git,
	const char **in_tree)
{
	const char *slash = strrchr(file, '/');
	const char *dir = !slash ? "." : slash == file ? "/" : arena_strndup(arena, file, (size_t)(slash - file));
	const char *name = slash ? slash + 1 : file;
	if (!git_open(arena, diags, dir, arena_printf(arena, "project file \"%s\"", file), NULL, git))
		return false;
	*in_tree = *git->prefix ? arena_printf(arena, "%s/%s", git->prefix, name) : name;
	return true;
}

/* git keeps no empty directory: a project whose last vendor left has no
 * vendors directory in the tree, where its working tree had an empty one.
 * It is made, when it lies inside the tree. */
static void
make_vendors_dir(struct arena *arena, const char *tree, const char *project)
{
	const char *vendors = project_vendors_named(arena, project);
	const char *inside = vendors ? path_relative(arena, path_absolute(arena, "/", vendors),
		path_absolute(arena, "/", tree)) : "..";
	if (strncmp(inside, "..", 2) != 0)
		fswalk_make_parents(arena_printf(arena, "%s/%s/", tree, inside), strlen(tree) + 1);
}

/* explain --at: the normal explain, run on the commit's tree written out
 * (git.h says why not `git archive`), the project file at the same path in
 * it; now, unless --now says otherwise, the date --at gave or the commit's. */
static enum explain_result
explain_at(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	const struct explain_query *query)
{
	struct git git;
	const char *in_tree, *tree;
	struct driver_options at = *options;
	struct explain_query as_of = *query;
	if (!open_project_tree(arena, diags, options->project ? options->project : "vendorc.yaml", &git, &in_tree)
		|| !(as_of.at = history_commit_at(&git, options->at, &at.now))
		|| !(tree = git_export(&git, as_of.at->hash)))
		return EXPLAIN_DONE;
	at.now = options->now_given ? options->now : at.now;
	at.project = arena_printf(arena, "%s/%s", tree, in_tree);
	enum explain_result result = EXPLAIN_DONE;
	if (access(at.project, F_OK) == 0) {
		make_vendors_dir(arena, tree, at.project);
		result = explain_project(arena, diags, &at, &as_of, &git);
	}
	else
		diag_report(diags, DIAG_PROJECT_NOT_FOUND, NULL, "project file \"%s\" is not in commit %.8s",
			in_tree, as_of.at->hash);
	git_export_remove(tree);
	return result;
}

enum driver_exit
driver_explain(const struct driver_options *options, const struct explain_query *query)
{
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	enum explain_result result = options->at ? explain_at(arena, diags, options, query)
		: explain_project(arena, diags, options, query, NULL);
	enum driver_exit status = driver_finish(arena, diags, options, false, false);
	if (status != DRIVER_OK)
		return status;
	return result == EXPLAIN_BAD_QUERY ? DRIVER_USAGE_ERROR
		: result == EXPLAIN_DENIED ? DRIVER_INPUT_ERROR : DRIVER_OK;
}

static bool
run_lock(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	const struct locker_options *lock, bool *changed)
{
	struct project *project = project_load(arena, diags, options->project, options->paths);
	if (!project)
		return false;
	struct vec vendors = { 0 }, domains = { 0 };
	if (!frontend_load(arena, diags, project, &vendors) || !resolve_domains(arena, diags, &vendors, &domains))
		return false;
	const struct lockfile *old = lockfile_load(arena, diags, &project->lock, false);
	return old && locker_run(arena, diags, project, &domains, old, lock, stdout, changed);
}

enum driver_exit
driver_lock(const struct driver_options *options, const struct locker_options *lock)
{
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	bool changed = false;
	run_lock(arena, diags, options, lock, &changed);
	return driver_finish(arena, diags, options, false, lock->check && changed);
}

/* Without a vendor, a new project; with one, a new vendor of the project. */
static bool
run_init(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	const char *vendor)
{
	if (!vendor)
		return init_project(arena, diags, options->project);
	struct project *project = project_load(arena, diags, options->project, options->paths);
	return project && init_vendor(arena, diags, project, vendor, options->now);
}

enum driver_exit
driver_init(const struct driver_options *options, const char *vendor)
{
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	run_init(arena, diags, options, vendor);
	return driver_finish(arena, diags, options, false, false);
}

static bool
run_plan(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	bool *changed)
{
	struct compiled compiled = { 0 };
	struct vec generated = { 0 };
	if (!compile_project(arena, diags, options, &compiled)
		|| !outdir_read_present(arena, diags, &compiled.project->output, &generated))
		return false;
	struct plan *plan = plan_compare(arena, diags, &compiled.project->output, &generated,
		&compiled.files);
	if (!plan)
		return false;
	plan_print(stdout, plan, options->report);
	*changed = plan_has_changes(plan);
	return true;
}

enum driver_exit
driver_plan(const struct driver_options *options)
{
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	bool changed = false;
	run_plan(arena, diags, options, &changed);
	return driver_finish(arena, diags, options, false, changed);
}

/* expire: with -o, the project file is not read at all, so that not even
 * an error there keeps an expired vendor's access. */
static bool
run_expire(struct arena *arena, struct diag_set *diags, const struct driver_options *options)
{
	struct project_path output = { options->output, options->output, { 0 } };
	if (!options->output) {
		struct project *project = project_load(arena, diags, options->project, options->paths);
		if (!project)
			return false;
		output = project->output;
	}
	return expire_output(stdout, arena, diags, &output, options->now);
}

enum driver_exit
driver_expire(const struct driver_options *options)
{
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	run_expire(arena, diags, options);
	return driver_finish(arena, diags, options, false, false);
}

enum driver_exit
driver_fmt(const struct driver_options *options, const struct fmt_options *fmt)
{
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	bool changed = false;
	fmt_run(arena, diags, fmt, stdout, &changed);
	return driver_finish(arena, diags, options, false, fmt->check && changed);
}

/* graph: nothing on standard output unless the whole picture can be drawn */
enum driver_exit
driver_graph(const struct driver_options *options, enum graph_format format)
{
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	struct compiled compiled = { 0 };
	if (resolve_project(arena, diags, options, &compiled))
		graph_write(stdout, arena, compiled.ir, compiled.in.vendors, format);
	return driver_finish(arena, diags, options, false, false);
}

/* The report goes to a file beside its final name and is renamed into
 * place (fswalk_replace_file), so a reader never sees half of one. */
static bool
write_report(struct arena *arena, struct diag_set *diags, const char *file, const struct audit *audit,
	enum audit_format format)
{
	if (!file) {
		audit_write(stdout, arena, audit, format);
		return true;
	}
	char *data = NULL;
	size_t len = 0;
	FILE *buffer = open_memstream(&data, &len);
	if (!buffer)
		abort();
	audit_write(buffer, arena, audit, format);
	fclose(buffer);
	bool ok = fswalk_replace_file(arena, file, data, len, -1);
	if (!ok)
		diag_report(diags, DIAG_IO_ERROR, NULL, "cannot write %s: %s", file, strerror(errno));
	free(data);
	return ok;
}

/* The proof and the report's evaluation read the same compilation and
 * nothing else, so they run side by side (parallel.h): the proof into a
 * diagnostic set of its own, absorbed once both are done. */
struct report_jobs {
	const struct compiled *compiled;
	const struct eval_policies *emitted;
	const struct driver_report *report;
	struct audit_input in;
	struct diag_set *proof_diags;
	bool proved;
	struct audit *audit;
	struct diag_set *history_diags; /* --history: git's part runs beside them */
	struct history history;
	bool history_read;
};

static void
report_job(void *context, size_t index, struct arena *arena, struct arena *scratch)
{
	struct report_jobs *jobs = context;
	const struct compiled *compiled = jobs->compiled;
	(void)scratch;
	if (index == 1) {
		jobs->audit = audit_build(arena, &jobs->in);
		return;
	}
	if (index == 2) {
		jobs->history_diags = diag_set_create(arena);
		jobs->history_read = history_collect(arena, jobs->history_diags, compiled->project,
			jobs->report->range, &jobs->history);
		return;
	}
	jobs->proof_diags = diag_set_create(arena);
	jobs->proved = verify(arena, jobs->proof_diags, compiled->ir, compiled->in.catalog, jobs->emitted,
		compiled->project->backend == PROJECT_BACKEND_CILIUM, false);
}

static bool
run_report(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	const struct driver_report *report)
{
	struct compiled compiled = { 0 };
	struct eval_policies emitted = { 0 };
	if (!compile_project(arena, diags, options, &compiled)
		|| !read_policies(arena, diags, options, &compiled, &emitted))
		return false;
	struct report_jobs jobs = { .compiled = &compiled, .emitted = &emitted, .report = report,
		.in = { .project = compiled.project, .ir = compiled.ir, .catalog = compiled.in.catalog,
			.emitted = &emitted, .files = &compiled.files, .now = options->now } };
	history_head(arena, compiled.project, &jobs.in.commit, &jobs.in.dirty);
	parallel_run(arena, report->history ? 3 : 2, report_job, &jobs);
	jobs.audit->provenance.proved = jobs.proved;
	jobs.audit->provenance.proof_errors = diag_count(jobs.proof_diags, DIAG_ERROR);
	diag_set_absorb(diags, jobs.proof_diags);
	if (report->history) {
		diag_set_absorb(diags, jobs.history_diags);
		if (!jobs.history_read)
			return false;
		jobs.audit->history = &jobs.history;
	}
	return write_report(arena, diags, report->file, jobs.audit, report->format);
}

enum driver_exit
driver_report(const struct driver_options *options, const struct driver_report *report)
{
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	run_report(arena, diags, options, report);
	return driver_finish(arena, diags, options, false, false);
}
