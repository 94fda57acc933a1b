#include "vendorc/driver.h"

#include "vendorc/arena.h"
#include "vendorc/ast.h"
#include "vendorc/audit.h"
#include "vendorc/backend.h"
#include "vendorc/catalog.h"
#include "vendorc/ceiling.h"
#include "vendorc/eval.h"
#include "vendorc/coverage.h"
#include "vendorc/expire.h"
#include "vendorc/fleet.h"
#include "vendorc/explain.h"
#include "vendorc/fmt.h"
#include "vendorc/import.h"
#include "vendorc/init.h"
#include "vendorc/frontend.h"
#include "vendorc/fswalk.h"
#include "vendorc/git.h"
#include "vendorc/graph.h"
#include "vendorc/history.h"
#include "vendorc/ir.h"
#include "vendorc/json.h"
#include "vendorc/flows.h"
#include "vendorc/kit.h"
#include "vendorc/observe.h"
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
	const struct vec *vendors, struct resolve_input *in)
{
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

/* -o and --backend over what the project file says: in a fleet, -o DIR
 * puts cluster C's tree in DIR/C. */
static void
apply_options(struct arena *arena, const struct driver_options *options, struct project *project)
{
	struct project_path output = { options->output, options->output, { 0 } };
	if (options->output)
		project->output = project->cluster.name ? project_child(arena, &output, project->cluster.name) : output;
	if (options->backend)
		project->backend = strcmp(options->backend, "cilium") == 0
			? PROJECT_BACKEND_CILIUM : PROJECT_BACKEND_NETWORKPOLICY;
}

static struct project *
load_project(struct arena *arena, struct diag_set *diags, const struct driver_options *options)
{
	struct project *project = project_load(arena, diags, options->project, options->paths);
	if (!project)
		return NULL;
	apply_options(arena, options, project);
	for (size_t i = 0; i < project->clusters.len; i++)
		apply_options(arena, options, vec_at(&project->clusters, i));
	return project;
}

/* The passes up to resolve for one cluster (a fleet's, or the project's
 * own), from the vendor files that apply to it. */
static bool
resolve_vendors(struct arena *arena, struct diag_set *diags, struct project *project,
	const struct vec *vendors, int64_t now, struct compiled *out)
{
	out->project = project;
	out->in.now = now;
	if (!load_inputs(arena, diags, project, vendors, &out->in))
		return false;
	out->ir = resolve(arena, diags, &out->in);
	return out->ir && ceiling_build(arena, diags, project, out->in.catalog, out->ir);
}

static bool
emit_files(struct arena *arena, struct diag_set *diags, struct compiled *out,
	const struct backend_sink *sink)
{
	return out->project->backend == PROJECT_BACKEND_CILIUM
		? backend_cilium(arena, diags, out->ir, sink, &out->files)
		: backend_networkpolicy(arena, diags, out->ir, sink, &out->files);
}

static bool
emit_checked(struct arena *arena, struct diag_set *diags, struct compiled *out)
{
	return emit_files(arena, diags, out, NULL) && outdir_check(arena, diags, &out->project->output, &out->files);
}

/* The vendor files, read once, and the clusters a command answers for:
 * the project itself; in a fleet the cluster --cluster names, else every
 * cluster. ok is false when a vendor file had errors: the clusters are
 * still compiled, so that one run reports every input's errors, but
 * nothing is written or answered. */
struct scope {
	struct project *project;
	struct vec *vendors;         /* struct ast_vendor *; in the arena: compiled results point at it */
	struct vec clusters;         /* struct project * */
	bool ok;
};

static bool
choose_cluster(struct arena *arena, struct diag_set *diags, const char *name, struct scope *scope)
{
	size_t count = scope->project->clusters.len;
	struct project *cluster = project_cluster_named(scope->project, name);
	if (cluster) {
		vec_push(arena, &scope->clusters, cluster);
		return true;
	}
	struct diag *d = diag_report(diags, DIAG_UNKNOWN_CLUSTER, NULL, count
		? "--cluster %s: no cluster \"%s\" in the project" : "--cluster %s: the project has no clusters",
		name, name);
	const char *nearest = diag_nearest(name, project_cluster_names(arena, scope->project), count);
	if (nearest)
		diag_hint(d, "did you mean \"%s\"?", nearest);
	return false;
}

static bool
load_scope(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	struct scope *scope)
{
	*scope = (struct scope){ .project = load_project(arena, diags, options) };
	if (!scope->project)
		return false;
	scope->vendors = arena_alloc(arena, sizeof(*scope->vendors));
	scope->ok = frontend_load(arena, diags, scope->project, scope->vendors);
	if (!fleet_check(arena, diags, scope->project, scope->vendors))
		return false;
	if (options->cluster)
		return choose_cluster(arena, diags, options->cluster, scope);
	project_trees(arena, scope->project, &scope->clusters);
	return true;
}

/* One cluster of the scope compiled (resolved, and with emit its files
 * made in memory); a fleet's cluster from the vendor files that apply to
 * it. */
static bool
compile_cluster(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	const struct scope *scope, struct project *cluster, bool emit, struct compiled *out)
{
	const struct vec *vendors = scope->vendors;
	if (cluster->cluster.name) {
		struct vec *mine = arena_alloc(arena, sizeof(*mine));
		fleet_vendors(arena, cluster, scope->vendors, mine);
		vendors = mine;
	}
	return resolve_vendors(arena, diags, cluster, vendors, options->now, out)
		&& (!emit || emit_checked(arena, diags, out)) && scope->ok;
}

/* A fleet's cluster's diagnostics, made into a set of their own, told
 * with its name. */
static void
absorb_in(struct diag_set *diags, struct diag_set *own, const struct project *cluster)
{
	if (cluster->cluster.name)
		diag_set_absorb_cluster(diags, own, cluster->cluster.name);
	else
		diag_set_absorb(diags, own);
}

/* The same, a fleet's cluster's diagnostics noted with its name. */
static bool
compile_in(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	const struct scope *scope, struct project *cluster, bool emit, struct compiled *out)
{
	if (!cluster->cluster.name)
		return compile_cluster(arena, diags, options, scope, cluster, emit, out);
	struct diag_set *own = diag_set_create(arena);
	bool ok = compile_cluster(arena, own, options, scope, cluster, emit, out);
	absorb_in(diags, own, cluster);
	return ok;
}

/* The line a fleet's cluster's answer (plan, explain, expire) begins
 * with; the i-th after a blank line. */
static void
cluster_heading(size_t i, const struct project *cluster)
{
	if (cluster->cluster.name)
		printf("%scluster %s:\n", i ? "\n" : "", cluster->cluster.name);
}

/* The commands that answer for one cluster (check --coverage, probe): a
 * fleet's must be named. */
static bool
one_cluster(struct diag_set *diags, const struct scope *scope, const char *command)
{
	if (scope->clusters.len == 1)
		return true;
	const struct project *first = vec_at(&scope->clusters, 0);
	diag_hint(diag_report(diags, DIAG_PROJECT_BAD_VALUE, &first->cluster.loc,
		"the project has %zu clusters: name one with --cluster", scope->clusters.len),
		"%s answers for one cluster at a time (docs/fleet.md)", command);
	return false;
}

/* The command answers for a fleet's every cluster, each answer naming its
 * cluster (with --cluster, it answers as a project of one cluster does). */
static bool
whole_fleet(const struct driver_options *options, const struct scope *scope)
{
	return scope->project->clusters.len && !options->cluster;
}

/* A fleet's JSON answer, {"clusters":[{"cluster":NAME,...},...]}: the
 * i-th cluster's object begun. */
static void
json_cluster(size_t i, const struct project *cluster)
{
	fputs(i ? ",{\"cluster\":" : "{\"clusters\":[{\"cluster\":", stdout);
	json_string(stdout, cluster->cluster.name);
}

/* Each cluster's answer in a fleet's JSON is the document a single
 * cluster's would be, written to a buffer and put in as a value without
 * the newline that ends it; null when nothing was written (the query was
 * bad there, and said so on standard error). */
struct json_answer {
	char *data;
	size_t len;
	FILE *out;
};

static FILE *
json_answer_open(struct json_answer *answer)
{
	answer->out = open_memstream(&answer->data, &answer->len);
	if (!answer->out)
		abort();
	return answer->out;
}

static void
json_answer_put(struct json_answer *answer)
{
	fclose(answer->out);
	size_t len = answer->len && answer->data[answer->len - 1] == '\n' ? answer->len - 1 : answer->len;
	if (len)
		fwrite(answer->data, 1, len, stdout);
	else
		fputs("null", stdout);
	free(answer->data);
}

/* compile: each file goes to the output as it is made. */
static bool
write_project(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	const struct scope *scope, struct compiled *compiled)
{
	if (!compile_in(arena, diags, options, scope, scope->project, false, compiled))
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
 * count as the catalog's from here on). In a fleet, --verify DIR holds
 * each cluster's under DIR/CLUSTER. */
static bool
read_policies(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	struct compiled *compiled, struct eval_policies *emitted)
{
	if (!options->verify)
		return verify_read_policies(arena, diags, &compiled->files,
			compiled->project->output.display, emitted);
	const char *name = compiled->project->cluster.name;
	const char *path = name ? arena_printf(arena, "%s/%s", options->verify, name) : options->verify;
	struct project_path dir = { path, path, { 0 } };
	return verify_read_dir(arena, diags, &dir, &compiled->files, &compiled->in.catalog, emitted);
}

/* check's proof of what compiled holds: the emitted files read back. */
static bool
prove_compiled(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	struct compiled *compiled)
{
	struct eval_policies emitted = { 0 };
	if (!read_policies(arena, diags, options, compiled, &emitted))
		return false;
	bool proved = verify(arena, diags, compiled->ir, compiled->in.catalog, &emitted,
		compiled->project->backend == PROJECT_BACKEND_CILIUM, options->adversarial);
	if (options->coverage)
		coverage_report(stdout, arena, compiled->ir, compiled->in.catalog, &emitted, options->report);
	return proved;
}

/* A tree written from files in memory (a cluster's, the probe kit),
 * swapped in whole. */
static bool
write_files(struct arena *arena, struct diag_set *diags, const struct project_path *dir, const struct vec *files)
{
	struct outdir_writer *writer = outdir_begin(arena, diags, dir);
	if (!writer)
		return false;
	/* Each file keeps its data whatever take answers: it is in memory. */
	struct backend_sink sink = outdir_sink(writer);
	for (size_t i = 0; i < files->len; i++)
		sink.take(sink.context, vec_at(files, i));
	return outdir_finish(writer, files, true);
}

/* The trees under a fleet's output that no cluster writes any more (a
 * cluster taken out of the project): vendorc's own pushed onto out
 * (struct project_path *), those that also hold someone else's files
 * warned of and left. With --cluster, none: the other clusters are not
 * the command's. */
static void
orphaned_trees(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	const struct project *fleet, struct vec *out)
{
	struct vec *names = options->cluster ? NULL : fswalk_names(arena, fleet->output.fs);
	for (size_t i = 0; names && i < names->len; i++) {
		struct project_path *tree = arena_alloc(arena, sizeof(*tree));
		*tree = project_child(arena, &fleet->output, vec_at(names, i));
		struct stat st;
		size_t c = 0;
		while (c < fleet->clusters.len
			&& strcmp(((const struct project *)vec_at(&fleet->clusters, c))->output.fs, tree->fs) != 0)
			c++;
		if (c < fleet->clusters.len || lstat(tree->fs, &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		enum outdir_owner owner = outdir_owner(arena, tree->fs);
		if (owner == OUTDIR_OURS)
			vec_push(arena, out, tree);
		else if (owner == OUTDIR_MIXED)
			diag_hint(diag_report(diags, DIAG_ORPHANED_TREE, &fleet->output.loc,
				"%s is no cluster's tree any more, but holds files vendorc did not write: left in place",
				tree->display), "move those files elsewhere, and the next compile removes the tree");
	}
}

/* A fleet's clusters compiled (and with check proved) side by side, each
 * into a diagnostic set of its own. */
struct fleet_jobs {
	const struct driver_options *options;
	const struct scope *scope;
	struct compiled *clusters;
	struct diag_set **diags;
	bool *ok;
};

static void
fleet_job(void *context, size_t index, struct arena *arena, struct arena *scratch)
{
	struct fleet_jobs *jobs = context;
	struct compiled *compiled = &jobs->clusters[index];
	(void)scratch;
	jobs->diags[index] = diag_set_create(arena);
	jobs->ok[index] = compile_cluster(arena, jobs->diags[index], jobs->options, jobs->scope,
		vec_at(&jobs->scope->clusters, index), true, compiled)
		&& (jobs->options->write || prove_compiled(arena, jobs->diags[index], jobs->options, compiled));
}

/* compile and check of a fleet (docs/fleet.md): every cluster of the
 * scope compiled, the clusters' diagnostics told in their order; compile
 * writes the trees only when every one compiled, so that one cluster's
 * error leaves every tree as it was, and then removes the trees of
 * clusters taken out of the project. */
static bool
run_fleet(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	const struct scope *scope)
{
	if (options->coverage && !one_cluster(diags, scope, "check --coverage"))
		return false;
	size_t count = scope->clusters.len;
	struct compiled *clusters = arena_array(arena, count, sizeof(*clusters));
	struct fleet_jobs jobs = { options, scope, clusters, arena_array(arena, count, sizeof(*jobs.diags)),
		arena_array(arena, count, sizeof(*jobs.ok)) };
	parallel_run(arena, count, fleet_job, &jobs);
	bool ok = true;
	for (size_t i = 0; i < count; i++) {
		const struct project *cluster = vec_at(&scope->clusters, i);
		diag_set_absorb_cluster(diags, jobs.diags[i], cluster->cluster.name);
		ok &= jobs.ok[i];
	}
	for (size_t i = 0; ok && options->write && i < count; i++)
		ok = write_files(arena, diags, &clusters[i].project->output, &clusters[i].files);
	struct vec orphans = { 0 };
	if (ok && options->write)
		orphaned_trees(arena, diags, options, scope->project, &orphans);
	for (size_t i = 0; ok && i < orphans.len; i++)
		ok = outdir_remove(arena, diags, vec_at(&orphans, i));
	return ok;
}

/* A run stopped by the input's errors changes nothing, not even for the
 * vendors that have expired since the last compile: it says so where the
 * output still grants their access. */
static bool
run_passes(struct arena *arena, struct diag_set *diags, const struct driver_options *options)
{
	struct scope scope;
	struct compiled compiled = { 0 };
	bool loaded = load_scope(arena, diags, options, &scope);
	bool ok = loaded && (scope.project->clusters.len ? run_fleet(arena, diags, options, &scope)
		: options->write ? write_project(arena, diags, options, &scope, &compiled)
		: compile_in(arena, diags, options, &scope, scope.project, true, &compiled)
			&& prove_compiled(arena, diags, options, &compiled));
	struct vec trees = { 0 };
	if (!ok && scope.project && !diag_count(diags, DIAG_FATAL))
		project_trees(arena, scope.project, &trees);
	for (size_t i = 0; i < trees.len; i++)
		expire_warn(arena, diags, &((const struct project *)vec_at(&trees, i))->output, options->now);
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
explain_cluster(FILE *out, struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	const struct explain_query *query, const struct git *git, const struct scope *scope,
	struct project *cluster)
{
	struct compiled compiled = { 0 };
	struct eval_policies emitted = { 0 };
	if (!compile_in(arena, diags, options, scope, cluster, true, &compiled)
		|| !read_policies(arena, diags, options, &compiled, &emitted))
		return EXPLAIN_DONE;
	if (git && query->vendor && !ir_vendor_named(compiled.ir, query->vendor))
		return explain_removed(arena, diags, git, compiled.project, query);
	return explain(out, arena, query, compiled.ir, compiled.in.catalog, &emitted,
		compiled.project->backend == PROJECT_BACKEND_CILIUM, options->report);
}

static bool
vendor_in(struct arena *arena, const struct scope *scope, const struct project *cluster, const char *name)
{
	for (size_t i = 0; i < scope->vendors->len; i++) {
		const struct ast_vendor *vendor = vec_at(scope->vendors, i);
		if (strcmp(vendor->name.text, name) == 0)
			return fleet_applies(arena, vendor, cluster);
	}
	return true; /* no such vendor: explain says so */
}

/* One cluster's answer in a fleet's: under its name, or in the JSON its
 * object's "applies" and "answer"; a vendor that does not apply to the
 * cluster is said so there. */
static enum explain_result
explain_in(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	const struct explain_query *query, const struct git *git, const struct scope *scope, size_t i)
{
	struct project *cluster = vec_at(&scope->clusters, i);
	bool json = options->report == REPORT_JSON, applies = !query->vendor
		|| vendor_in(arena, scope, cluster, query->vendor);
	if (json) {
		json_cluster(i, cluster);
		printf(",\"applies\":%s", applies ? "true" : "false");
	} else {
		cluster_heading(i, cluster);
	}
	if (!applies) {
		if (!json)
			printf("vendor \"%s\" does not apply to this cluster\n", query->vendor);
		fputs(json ? "}" : "", stdout);
		return EXPLAIN_DONE;
	}
	if (!json)
		return explain_cluster(stdout, arena, diags, options, query, git, scope, cluster);
	struct json_answer answer;
	enum explain_result result = explain_cluster(json_answer_open(&answer), arena, diags, options, query, git,
		scope, cluster);
	fputs(",\"answer\":", stdout);
	json_answer_put(&answer);
	putchar('}');
	return result;
}

/* In a fleet, the answer of each cluster in turn, naming it; the worst
 * answer is the exit status's. */
static enum explain_result
explain_project(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	const struct explain_query *query, const struct git *git)
{
	struct scope scope;
	if (!load_scope(arena, diags, options, &scope))
		return EXPLAIN_DONE;
	if (!whole_fleet(options, &scope))
		return explain_cluster(stdout, arena, diags, options, query, git, &scope, vec_at(&scope.clusters, 0));
	enum explain_result worst = EXPLAIN_DONE;
	for (size_t i = 0; i < scope.clusters.len; i++) {
		enum explain_result result = explain_in(arena, diags, options, query, git, &scope, i);
		worst = result > worst ? result : worst;
	}
	fputs(options->report == REPORT_JSON ? "]}\n" : "", stdout);
	return worst;
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

/* project's lock file, for the domains of vendors. */
static bool
lock_vendors(struct arena *arena, struct diag_set *diags, const struct project *project,
	const struct vec *vendors, const struct locker_options *lock, bool *changed)
{
	struct vec domains = { 0 };
	if (!resolve_domains(arena, diags, vendors, &domains))
		return false;
	const struct lockfile *old = lockfile_load(arena, diags, &project->lock, false);
	bool stale = false;
	bool ok = old && locker_run(arena, diags, project, &domains, old, lock, stdout, &stale);
	*changed |= stale;
	return ok;
}

/* The vendors of the clusters that share cluster's lock file (each
 * once); the lines of the lock's report begin with which file and clusters. */
static void
lock_sharers(struct arena *arena, const struct project *fleet, const struct project *cluster,
	const struct vec *vendors, struct vec *out)
{
	const char *names = NULL;
	for (size_t c = 0; c < fleet->clusters.len; c++) {
		const struct project *other = vec_at(&fleet->clusters, c);
		if (strcmp(other->lock.fs, cluster->lock.fs) == 0)
			names = names ? arena_printf(arena, "%s, %s", names, other->cluster.name) : other->cluster.name;
	}
	printf("%s (%s):\n", cluster->lock.display, names);
	for (size_t v = 0; v < vendors->len; v++)
		for (size_t c = 0; c < fleet->clusters.len; c++) {
			const struct project *other = vec_at(&fleet->clusters, c);
			if (strcmp(other->lock.fs, cluster->lock.fs) == 0 && fleet_applies(arena, vec_at(vendors, v), other)) {
				vec_push(arena, out, vec_at(vendors, v));
				break;
			}
		}
}

static bool
same_resolvers(const struct project *a, const struct project *b)
{
	if (a->lock_resolvers.len != b->lock_resolvers.len)
		return false;
	for (size_t i = 0; i < a->lock_resolvers.len; i++) {
		const struct project_resolver *x = vec_at(&a->lock_resolvers, i), *y = vec_at(&b->lock_resolvers, i);
		if (x->port != y->port || net_cidr_compare(&x->addr, &y->addr) != 0)
			return false;
	}
	return true;
}

/* A lock file holds one answer per domain: the clusters that share it
 * must ask the same servers. */
static bool
lock_resolvers_agree(struct diag_set *diags, const struct project *first, const struct project *cluster)
{
	if (same_resolvers(first, cluster))
		return true;
	const struct project_resolver *at = cluster->lock_resolvers.len ? vec_at(&cluster->lock_resolvers, 0) : NULL;
	diag_hint(diag_report(diags, DIAG_PROJECT_BAD_VALUE, at ? &at->loc : &cluster->cluster.loc,
		"clusters %s and %s share the lock file %s but not their lock-resolvers", first->cluster.name,
		cluster->cluster.name, cluster->lock.display),
		"give each resolver's clusters a lock file of their own (lock: vendorc-%s.lock)", cluster->cluster.name);
	return false;
}

/* In a fleet, each lock file once, for the domains of the vendors of
 * every cluster that uses it, asking the servers those clusters name. */
static bool
run_lock(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	const struct locker_options *lock, bool *changed)
{
	struct project *project = project_load(arena, diags, options->project, options->paths);
	if (!project)
		return false;
	struct vec vendors = { 0 };
	if (!frontend_load(arena, diags, project, &vendors) || !fleet_check(arena, diags, project, &vendors))
		return false;
	if (!project->clusters.len)
		return lock_vendors(arena, diags, project, &vendors, lock, changed);
	/* Which cluster first names each cluster's lock file: the one it is
	 * written for, once, after every sharer is seen to agree. */
	size_t count = project->clusters.len, *first = arena_array(arena, count, sizeof(*first));
	bool agree = true, ok = true;
	for (size_t c = 0; c < count; c++) {
		const struct project *cluster = vec_at(&project->clusters, c);
		while (strcmp(((const struct project *)vec_at(&project->clusters, first[c]))->lock.fs, cluster->lock.fs) != 0)
			first[c]++;
		agree &= lock_resolvers_agree(diags, vec_at(&project->clusters, first[c]), cluster);
	}
	for (size_t c = 0; agree && c < count; c++) {
		if (first[c] < c)
			continue;
		const struct project *cluster = vec_at(&project->clusters, c);
		struct vec mine = { 0 };
		lock_sharers(arena, project, cluster, &vendors, &mine);
		ok &= lock_vendors(arena, diags, cluster, &mine, lock, changed);
	}
	return agree && ok;
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

/* A plan as a value of a fleet's JSON. */
static void
plan_value(const struct plan *plan)
{
	struct json_answer answer;
	plan_print(json_answer_open(&answer), plan, REPORT_JSON);
	json_answer_put(&answer);
}

/* The trees of clusters taken out of a fleet, as compile will remove them
 * (in the JSON, each a plan of "removed_trees"). */
static bool
plan_orphans(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	const struct scope *scope, bool *changed)
{
	bool json = options->report == REPORT_JSON;
	struct vec orphans = { 0 }, none = { 0 };
	orphaned_trees(arena, diags, options, scope->project, &orphans);
	fputs(json ? "],\"removed_trees\":[" : "", stdout);
	for (size_t i = 0; i < orphans.len; i++) {
		const struct project_path *tree = vec_at(&orphans, i);
		struct vec generated = { 0 };
		struct plan *plan = outdir_read(arena, diags, tree, &generated)
			? plan_compare(arena, diags, tree, &generated, &none) : NULL;
		if (!plan)
			return false;
		if (json) {
			fputs(i ? "," : "", stdout);
			plan_value(plan);
		} else {
			printf("\n%s is no cluster's any more:\n", tree->display);
			plan_print(stdout, plan, options->report);
		}
		*changed = true;
	}
	fputs(json ? "]}\n" : "", stdout);
	return true;
}

/* Every cluster compiled before any is printed: a plan is whole or not at
 * all. A fleet's cluster by cluster, each under its name (JSON:
 * {"clusters":[{"cluster":NAME,"plan":PLAN},...],"removed_trees":[PLAN,...]}). */
static bool
run_plan(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	bool *changed)
{
	struct scope scope;
	if (!load_scope(arena, diags, options, &scope))
		return false;
	size_t count = scope.clusters.len;
	struct plan **plans = arena_array(arena, count, sizeof(*plans));
	bool ok = true, fleet_json = whole_fleet(options, &scope) && options->report == REPORT_JSON;
	for (size_t i = 0; i < count; i++) {
		struct compiled compiled = { 0 };
		struct vec generated = { 0 };
		ok = compile_in(arena, diags, options, &scope, vec_at(&scope.clusters, i), true, &compiled)
			&& outdir_read_present(arena, diags, &compiled.project->output, &generated)
			&& (plans[i] = plan_compare(arena, diags, &compiled.project->output, &generated, &compiled.files))
			&& ok;
	}
	for (size_t i = 0; ok && i < count; i++) {
		const struct project *cluster = vec_at(&scope.clusters, i);
		if (fleet_json) {
			json_cluster(i, cluster);
			fputs(",\"plan\":", stdout);
			plan_value(plans[i]);
			putchar('}');
		} else {
			cluster_heading(i, cluster);
			plan_print(stdout, plans[i], options->report);
		}
		*changed |= plan_has_changes(plans[i]);
	}
	return ok && (!whole_fleet(options, &scope) || plan_orphans(arena, diags, options, &scope, changed));
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
	if (options->output)
		return expire_output(stdout, arena, diags, &output, options->now);
	struct project *project = project_load(arena, diags, options->project, options->paths);
	if (!project)
		return false;
	/* A fleet: every cluster's tree (each swapped on its own). */
	struct vec trees = { 0 };
	project_trees(arena, project, &trees);
	bool ok = true;
	for (size_t i = 0; i < trees.len; i++) {
		const struct project *tree = vec_at(&trees, i);
		cluster_heading(i, tree);
		ok &= expire_output(stdout, arena, diags, &tree->output, options->now);
	}
	return ok;
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

/* graph: nothing on standard output unless the whole picture can be
 * drawn; in a fleet, every cluster of the scope, each in a box of its own. */
static void
run_graph(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	enum graph_format format)
{
	struct scope scope;
	if (!load_scope(arena, diags, options, &scope))
		return;
	size_t count = scope.clusters.len;
	struct graph_part *parts = arena_array(arena, count, sizeof(*parts));
	bool ok = true;
	for (size_t i = 0; i < count; i++) {
		struct compiled compiled = { 0 };
		struct project *cluster = vec_at(&scope.clusters, i);
		ok = compile_in(arena, diags, options, &scope, cluster, false, &compiled) && ok;
		bool boxed = scope.project->clusters.len && !options->cluster;
		parts[i] = (struct graph_part){ boxed ? cluster->cluster.name : NULL, compiled.ir, compiled.in.vendors };
	}
	if (ok)
		graph_write(stdout, arena, parts, count, format);
}

enum driver_exit
driver_graph(const struct driver_options *options, enum graph_format format)
{
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	run_graph(arena, diags, options, format);
	return driver_finish(arena, diags, options, false, false);
}

/* The report goes to a file beside its final name and is renamed into
 * place (fswalk_replace_file), so a reader never sees half of one. */
static bool
write_report(struct arena *arena, struct diag_set *diags, const char *file, const struct audit_report *report,
	enum audit_format format)
{
	if (!file) {
		audit_write(stdout, arena, report, format);
		return true;
	}
	char *data = NULL;
	size_t len = 0;
	FILE *buffer = open_memstream(&data, &len);
	if (!buffer)
		abort();
	audit_write(buffer, arena, report, format);
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
	struct audit_input in;
	struct diag_set *proof_diags;
	bool proved;
	struct audit *audit;
	const char *range;         /* --history: git's part runs beside them, into history */
	struct history *history;
	struct diag_set *history_diags;
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
		jobs->history_read = history_collect(arena, jobs->history_diags, compiled->project, jobs->range,
			jobs->history);
		return;
	}
	jobs->proof_diags = diag_set_create(arena);
	jobs->proved = verify(arena, jobs->proof_diags, compiled->ir, compiled->in.catalog, jobs->emitted,
		compiled->project->backend == PROJECT_BACKEND_CILIUM, false);
}

/* The audit of one cluster of the scope (or of the project), proved, and
 * with jobs->history git's part read beside it. */
static bool
audit_cluster(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	const struct scope *scope, struct project *cluster, struct report_jobs *jobs)
{
	struct compiled *compiled = arena_alloc(arena, sizeof(*compiled));
	struct eval_policies *emitted = arena_alloc(arena, sizeof(*emitted));
	if (!compile_in(arena, diags, options, scope, cluster, true, compiled)
		|| !read_policies(arena, diags, options, compiled, emitted))
		return false;
	jobs->compiled = compiled;
	jobs->emitted = emitted;
	jobs->in = (struct audit_input){ .project = compiled->project, .ir = compiled->ir,
		.catalog = compiled->in.catalog, .emitted = emitted, .files = &compiled->files, .now = options->now,
		.part = scope->project->clusters.len && !options->cluster };
	history_head(arena, compiled->project, &jobs->in.commit, &jobs->in.dirty);
	parallel_run(arena, jobs->history ? 3 : 2, report_job, jobs);
	jobs->audit->provenance.proved = jobs->proved;
	jobs->audit->provenance.proof_errors = diag_count(jobs->proof_diags, DIAG_ERROR);
	absorb_in(diags, jobs->proof_diags, cluster);
	if (jobs->history)
		diag_set_absorb(diags, jobs->history_diags);
	return !jobs->history || jobs->history_read;
}

/* A fleet's report answers for every cluster of the scope, each a part of
 * one document; the vendor files' history, which the clusters share, is
 * read once. */
static bool
run_report(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	const struct driver_report *report)
{
	struct scope scope;
	if (!load_scope(arena, diags, options, &scope))
		return false;
	struct audit_report out = { .fleet = scope.project->clusters.len && !options->cluster };
	struct history *history = report->history ? arena_alloc(arena, sizeof(*history)) : NULL;
	bool ok = true;
	for (size_t i = 0; i < scope.clusters.len; i++) {
		struct report_jobs jobs = { .range = report->range, .history = i == 0 ? history : NULL };
		if (audit_cluster(arena, diags, options, &scope, vec_at(&scope.clusters, i), &jobs))
			vec_push(arena, &out.audits, jobs.audit);
		else
			ok = false;
	}
	out.history = history;
	return ok && write_report(arena, diags, report->file, &out, report->format);
}

enum driver_exit
driver_report(const struct driver_options *options, const struct driver_report *report)
{
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	run_report(arena, diags, options, report);
	return driver_finish(arena, diags, options, false, false);
}

/* The cluster as of just before the first of its expired vendors ended,
 * resolved: every expired vendor's old flows, for the kit's expired
 * cases. NULL when none has expired, or when the project did not compile
 * then (its diagnostics are not this run's). */
static const struct ir *
before_expiry(struct arena *arena, const struct driver_options *options, const struct scope *scope,
	struct project *cluster, const struct ir *ir)
{
	struct driver_options then = *options;
	bool any = false;
	for (size_t i = 0; i < ir->vendors.len; i++) {
		const struct ir_vendor *vendor = vec_at(&ir->vendors, i);
		if (vendor->expired && (!any || vendor->ends_at <= then.now)) {
			then.now = vendor->ends_at - 1;
			any = true;
		}
	}
	struct compiled compiled = { 0 };
	return any && compile_cluster(arena, diag_set_create(arena), &then, scope, cluster, false, &compiled)
		? compiled.ir : NULL;
}

static bool
known_vendor(struct arena *arena, struct diag_set *diags, const struct ir *ir, const char *name)
{
	if (!name || ir_vendor_named(ir, name))
		return true;
	const char **names = arena_array(arena, ir->vendors.len + 1, sizeof(*names));
	for (size_t i = 0; i < ir->vendors.len; i++)
		names[i] = ((const struct ir_vendor *)vec_at(&ir->vendors, i))->name;
	struct diag *d = diag_report(diags, DIAG_UNKNOWN_VENDOR, NULL, "--vendor %s: no vendor \"%s\" in the project",
		name, name);
	const char *nearest = diag_nearest(name, names, ir->vendors.len);
	if (nearest)
		diag_hint(d, "did you mean \"%s\"?", nearest);
	return false;
}

/* The kit's directory, swapped in whole as compile's output is, and the
 * cases it cannot probe, each with why. */
static bool
write_kit(struct arena *arena, struct diag_set *diags, const struct driver_probe *probe, const struct kit *kit,
	const char *image)
{
	struct vec files = { 0 };
	if (!kit_emit(arena, kit, probe->kit, image, &files)) {
		diag_report(diags, DIAG_IO_ERROR, NULL, "internal error: cannot emit the probe kit");
		return false;
	}
	struct project_path dir = { probe->dir, probe->dir, { 0 } };
	if (!write_files(arena, diags, &dir, &files))
		return false;
	size_t unprobed = 0;
	for (size_t i = 0; i < kit->cases.len; i++) {
		const struct kit_case *c = vec_at(&kit->cases, i);
		const char *why = kit_unprobed(c, probe->kit);
		if (why)
			printf("case %zu %s %s, not probed: %s\n", c->number, c->vendor, kit_kind_name(c->kind), why);
		unprobed += why != NULL;
	}
	printf("%s: %zu cases, %zu probed\n", probe->dir, kit->cases.len, kit->cases.len - unprobed);
	return true;
}

static bool
probe_results(struct arena *arena, struct diag_set *diags, const struct driver_probe *probe, const struct kit *kit,
	bool *attention)
{
	struct kit_outcome *outcomes;
	enum kit_emit how;
	if (!kit_read_results(arena, diags, probe->results, kit, &outcomes, &how))
		return false;
	*attention = !kit_print_results(stdout, kit, outcomes, how);
	return true;
}

static bool
run_probe(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	const struct driver_probe *probe, bool *attention)
{
	struct scope scope;
	struct compiled compiled = { 0 };
	struct eval_policies emitted = { 0 };
	if (!load_scope(arena, diags, options, &scope) || !one_cluster(diags, &scope, "probe"))
		return false;
	struct project *cluster = vec_at(&scope.clusters, 0);
	if (!compile_in(arena, diags, options, &scope, cluster, true, &compiled)
		|| !read_policies(arena, diags, options, &compiled, &emitted)
		|| !known_vendor(arena, diags, compiled.ir, probe->vendor))
		return false;
	struct kit_input in = { .ir = compiled.ir, .expired = before_expiry(arena, options, &scope, cluster, compiled.ir),
		.catalog = compiled.in.catalog, .emitted = &emitted,
		.by_name = compiled.project->backend == PROJECT_BACKEND_CILIUM, .vendor = probe->vendor, .now = options->now };
	const struct kit *kit = kit_build(arena, &in);
	if (probe->results)
		return probe_results(arena, diags, probe, kit, attention);
	if (probe->emit)
		return write_kit(arena, diags, probe, kit, compiled.project->probe_image);
	kit_print(stdout, arena, kit, options->report);
	return true;
}

enum driver_exit
driver_probe(const struct driver_options *options, const struct driver_probe *probe)
{
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	bool attention = false;
	run_probe(arena, diags, options, probe, &attention);
	return driver_finish(arena, diags, options, false, attention);
}

/* --suggest: the vendor's own pods, or a new vendor's namespace. */
static bool
suggest_file(struct arena *arena, struct diag_set *diags, const struct driver_observe *observe,
	const struct observe_input *in)
{
	const struct ir_vendor *known = ir_vendor_named(in->ir, observe->vendor);
	if (known && observe->ns) {
		diag_hint(diag_report(diags, DIAG_UNKNOWN_VENDOR, &known->loc, "--namespace %s: vendor \"%s\" runs in %s",
			observe->ns, known->name, known->pods.ns), "--namespace names a new vendor's pods; %s has a file",
			known->name);
		return false;
	}
	const char *ns = known ? known->pods.ns : observe->ns ? observe->ns : arena_printf(arena, "vendor-%s", observe->vendor);
	return observe_suggest(stdout, arena, diags, in, observe->vendor, ns, known ? &known->pods.pods : NULL);
}

static bool
run_observe(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	const struct driver_observe *observe, bool *attention)
{
	struct scope scope;
	struct compiled compiled = { 0 };
	struct eval_policies emitted = { 0 };
	struct flow_log log;
	if (!load_scope(arena, diags, options, &scope) || !one_cluster(diags, &scope, "observe"))
		return false;
	struct project *cluster = vec_at(&scope.clusters, 0);
	if (!compile_in(arena, diags, options, &scope, cluster, true, &compiled)
		|| !read_policies(arena, diags, options, &compiled, &emitted)
		|| (!observe->suggest && !known_vendor(arena, diags, compiled.ir, observe->vendor))
		|| !flows_read(arena, diags, observe->flows, &log))
		return false;
	struct observe_input in = { .ir = compiled.ir, .catalog = compiled.in.catalog, .emitted = &emitted,
		.by_name = compiled.project->backend == PROJECT_BACKEND_CILIUM, .log = &log, .path = observe->flows,
		.vendor = observe->vendor, .has_since = observe->has_since, .since = observe->since, .now = options->now };
	if (observe->suggest)
		return suggest_file(arena, diags, observe, &in);
	*attention = observe_review(stdout, arena, &in, options->report);
	return true;
}

enum driver_exit
driver_observe(const struct driver_options *options, const struct driver_observe *observe)
{
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	bool attention = false;
	run_observe(arena, diags, options, observe, &attention);
	return driver_finish(arena, diags, options, false, attention);
}

static const char *
import_path(struct arena *arena, const char *dir, const struct import_file *file)
{
	return arena_printf(arena, "%s/%s.vendor", dir, file->vendor);
}

/* Import writes new files only: one there already is an error before
 * anything is proved or written. */
static bool
imports_new(struct arena *arena, struct diag_set *diags, const struct project_path *dir, const struct vec *files)
{
	for (size_t i = 0; i < files->len; i++) {
		const char *path = import_path(arena, dir->fs, vec_at(files, i));
		if (access(path, F_OK) == 0)
			diag_hint(diag_report(diags, DIAG_VENDOR_DUPLICATE, NULL, "%s exists",
				import_path(arena, dir->display, vec_at(files, i))),
				"import writes new files only: move it aside, or name the vendor with --vendor");
	}
	return !diag_has_errors(diags);
}

/* Every file, or none: a failed write removes those made. */
static bool
write_imports(struct arena *arena, struct diag_set *diags, const struct project_path *dir, const struct vec *files)
{
	for (size_t i = 0; i < files->len && !diag_has_errors(diags); i++) {
		const struct import_file *file = vec_at(files, i);
		if (init_write_new_file(import_path(arena, dir->fs, file), arena_strndup(arena, file->text, file->len)))
			continue;
		diag_report(diags, DIAG_IO_ERROR, NULL, "cannot write %s: %s", import_path(arena, dir->display, file),
			strerror(errno));
		while (i-- > 0)
			unlink(import_path(arena, dir->fs, vec_at(files, i)));
		return false;
	}
	for (size_t i = 0; i < files->len && !diag_has_errors(diags); i++)
		printf("wrote %s\n", import_path(arena, dir->display, vec_at(files, i)));
	return !diag_has_errors(diags);
}

static bool
run_import(struct arena *arena, struct diag_set *diags, const struct driver_options *options,
	const struct import_options *import)
{
	struct scope scope;
	if (!load_scope(arena, diags, options, &scope) || !one_cluster(diags, &scope, "import"))
		return false;
	const struct project *cluster = vec_at(&scope.clusters, 0);
	const struct catalog *catalog = catalog_load(arena, diags, cluster);
	struct import_result result = { 0 };
	if (!catalog || !import_policies(arena, diags, cluster, catalog, import, &result))
		return false;
	struct project_path dir = scope.project->vendors;
	if (options->output)
		dir = (struct project_path){ options->output, options->output, { 0 } };
	if (!imports_new(arena, diags, &dir, &result.files) || (import->verify && !import_prove(arena, diags, cluster,
		catalog, &result, dir.display, options->now, stdout)))
		return false;
	if (options->output && mkdir(options->output, 0755) != 0 && errno != EEXIST) {
		diag_report(diags, DIAG_IO_ERROR, NULL, "cannot make %s: %s", options->output, strerror(errno));
		return false;
	}
	return write_imports(arena, diags, &dir, &result.files);
}

enum driver_exit
driver_import(const struct driver_options *options, const struct import_options *import)
{
	struct arena *arena = arena_create();
	struct diag_set *diags = diag_set_create(arena);
	run_import(arena, diags, options, import);
	return driver_finish(arena, diags, options, false, false);
}
