#include "unit.h"

#include "vendorc/arena.h"
#include "vendorc/diag.h"
#include "vendorc/project.h"
#include "vendorc/when.h"

#include <stdlib.h>

static struct arena *arena;
static struct diag_set *diags;

#define reported(needle) unit_reported(arena, diags, needle)
#define reported_at(code, file, line, col) unit_reported_at(arena, diags, code, file, line, col)

static struct project *
load(const char *path)
{
	diags = diag_set_create(arena);
	return project_load(arena, diags, path, PROJECT_PATHS_FROM_PROJECT);
}

static const char *
cidr_text(const struct vec *cidrs, size_t i)
{
	const struct project_cidr *cidr = vec_at(cidrs, i);
	return net_format_cidr(arena, &cidr->cidr);
}

static void
test_full(void)
{
	struct project *p = load("fixtures/project/ok.yaml");
	CHECK(p != NULL && diag_count(diags, DIAG_ERROR) == 0);
	if (!p)
		return;
	CHECK_STR(p->src->path, "ok.yaml");
	CHECK_STR(p->dir, "fixtures/project");
	CHECK_STR(p->vendors.fs, "fixtures/project/./vendors");
	CHECK_STR(p->vendors.display, "vendors");
	CHECK(p->vendors.loc.line == 2 && p->vendors.loc.col == 10);
	CHECK_STR(p->output.display, "deploy/vendor-access");
	CHECK(p->catalog.len == 2);
	CHECK_STR(((struct project_path *)vec_at(&p->catalog, 0))->display, "cluster");
	CHECK_STR(((struct project_path *)vec_at(&p->catalog, 1))->display, "cluster/services.yaml");
	CHECK(p->lock_named);
	CHECK_STR(p->lock.fs, "fixtures/project/locks/custom.lock");
	CHECK(p->backend == PROJECT_BACKEND_CILIUM);
	CHECK_STR(p->dns_namespace.name, "dns-system");
	CHECK(p->dns_pods.label_count == 2 && p->dns_pods.expr_count == 0);
	struct label coredns[] = { { "app", "coredns" }, { "tier", "dns" } };
	CHECK(selector_matches(&p->dns_pods, coredns, 2));
	CHECK(!selector_matches(&p->dns_pods, coredns, 1));
	CHECK(p->dns_addresses.len == 2);
	CHECK_STR(cidr_text(&p->dns_addresses, 0), "169.254.20.10/32");
	CHECK_STR(p->cluster_domain, "prod.corp.internal");
	CHECK_STR(cidr_text(&p->dns_addresses, 1), "fd00::a/128");
	CHECK(p->isolate.len == 2);
	CHECK_STR(((struct project_name *)vec_at(&p->isolate, 1))->name, "payments");
	CHECK(p->cluster_cidrs.len == 2);
	CHECK_STR(cidr_text(&p->cluster_cidrs, 1), "10.96.0.0/12");
	CHECK(((struct project_cidr *)vec_at(&p->cluster_cidrs, 1))->loc.col == 32);
	CHECK(p->lock_resolvers.len == 4);
	static const struct { const char *address; unsigned port; } resolvers[] = {
		{ "10.0.0.53/32", 53 }, { "10.0.0.54/32", 5353 }, { "fd00::53/128", 5354 }, { "fd00::55/128", 53 },
	};
	for (size_t i = 0; i < p->lock_resolvers.len && i < 4; i++) {
		const struct project_resolver *resolver = vec_at(&p->lock_resolvers, i);
		CHECK_STR(net_format_cidr(arena, &resolver->addr), resolvers[i].address);
		CHECK(resolver->port == resolvers[i].port);
	}
	CHECK(p->expiry_warning == 2 * 7 * WHEN_DAY);
	CHECK(p->review_interval == 26 * 7 * WHEN_DAY);
	CHECK(p->enforce == PROJECT_ENFORCE_ADMIN);
	CHECK(p->admin_channel == PROJECT_CHANNEL_EXPERIMENTAL);
	CHECK(p->admin_priorities.first == 10 && p->admin_priorities.last == 30);
}

static void
test_defaults(void)
{
	struct project *p = load("fixtures/project/minimal.yaml");
	CHECK(p != NULL);
	if (!p)
		return;
	CHECK(p->catalog.len == 1);
	CHECK(!p->lock_named);
	CHECK_STR(p->lock.fs, "fixtures/project/vendorc.lock");
	CHECK_STR(p->lock.display, "vendorc.lock");
	CHECK(p->backend == PROJECT_BACKEND_NETWORKPOLICY);
	CHECK_STR(p->dns_namespace.name, "kube-system");
	struct label kube_dns = { "k8s-app", "kube-dns" }, other = { "k8s-app", "coredns" };
	CHECK(selector_matches(&p->dns_pods, &kube_dns, 1));
	CHECK(!selector_matches(&p->dns_pods, &other, 1));
	CHECK(p->dns_addresses.len == 0 && p->isolate.len == 0 && p->cluster_cidrs.len == 0);
	CHECK_STR(p->cluster_domain, "cluster.local");
	CHECK(p->expiry_warning == 14 * WHEN_DAY);
	CHECK(p->review_interval == 180 * WHEN_DAY);
	CHECK(p->enforce == PROJECT_ENFORCE_NAMESPACE);
	CHECK(p->admin_channel == PROJECT_CHANNEL_STANDARD);
	CHECK(p->admin_priorities.first == 60 && p->admin_priorities.last == 99);
}

static void
test_child_paths(void)
{
	struct project *p = load("fixtures/project/ok.yaml");
	CHECK(p != NULL);
	if (!p)
		return;
	struct project_path child = project_child(arena, &p->vendors, "team/acme.vendor");
	CHECK_STR(child.fs, "fixtures/project/./vendors/team/acme.vendor");
	CHECK_STR(child.display, "vendors/team/acme.vendor");
	CHECK(child.loc.line == p->vendors.loc.line);
	struct project_path here = { .fs = ".", .display = "." };
	CHECK_STR(project_child(arena, &here, "a.yaml").display, "a.yaml");
	CHECK_STR(project_child(arena, &here, "a.yaml").fs, "a.yaml");
	struct project_path sub = { .fs = "x", .display = "x" };
	CHECK_STR(project_child(arena, &sub, "a.yaml").fs, "x/a.yaml");
}

/* --paths=cwd: shown from the working directory (the test's), recorded
 * from the project's. */
static void
test_paths_from_cwd(void)
{
	diags = diag_set_create(arena);
	struct project *p = project_load(arena, diags, "fixtures/project/ok.yaml", PROJECT_PATHS_FROM_CWD);
	CHECK(p != NULL);
	if (!p)
		return;
	CHECK_STR(p->src->path, "fixtures/project/ok.yaml");
	CHECK_STR(p->vendors.display, "fixtures/project/vendors");
	struct project_path child = project_child(arena, &p->vendors, "acme.vendor");
	CHECK_STR(child.display, "fixtures/project/vendors/acme.vendor");
	CHECK_STR(project_relative(arena, p, child.display), "vendors/acme.vendor");
	struct project *from_project = load("fixtures/project/ok.yaml");
	CHECK(from_project != NULL);
	if (from_project)
		CHECK_STR(from_project->vendors.display, "vendors");
}

static void
test_unknown_keys(void)
{
	CHECK(load("fixtures/project/unknown-key.yaml") == NULL);
	CHECK(reported_at("project-unknown-key", "unknown-key.yaml", 4, 1));
	CHECK(reported("\"message\":\"unknown key \\\"isolte\\\"\",\"hint\":\"did you mean \\\"isolate\\\"?\""));
	CHECK(reported_at("project-unknown-key", "unknown-key.yaml", 6, 3));
	CHECK(reported("did you mean \\\"namespace\\\"?"));
	CHECK(diag_count(diags, DIAG_ERROR) == 2);
}

static void
test_missing_keys(void)
{
	CHECK(load("fixtures/project/missing-keys.yaml") == NULL);
	CHECK(reported_at("project-missing-key", "missing-keys.yaml", 3, 1));
	CHECK(reported("missing required key \\\"vendors\\\""));
	CHECK(reported("missing required key \\\"output\\\""));
	CHECK(reported("missing required key \\\"catalog\\\""));
	CHECK(diag_count(diags, DIAG_ERROR) == 3);
}

static void
test_bad_documents(void)
{
	CHECK(load("fixtures/project/empty.yaml") == NULL);
	CHECK(reported_at("project-bad-value", "empty.yaml", 1, 1));
	CHECK(load("fixtures/project/scalar.yaml") == NULL);
	CHECK(reported_at("project-bad-value", "scalar.yaml", 1, 1));
	CHECK(load("fixtures/project/duplicate.yaml") == NULL);
	CHECK(reported_at("yaml-syntax", "duplicate.yaml", 4, 1));
}

static void
test_bad_values(void)
{
	CHECK(load("fixtures/project/bad-values.yaml") == NULL);
	const char *f = "bad-values.yaml";
	CHECK(reported_at("project-bad-value", f, 1, 10));
	CHECK(reported_at("project-bad-value", f, 3, 10));
	CHECK(reported_at("project-bad-value", f, 4, 10));
	CHECK(reported("unknown backend \\\"calico\\\""));
	CHECK(reported_at("project-bad-value", f, 6, 14));
	CHECK(reported("\\\"Kube_System\\\" is not a valid namespace name"));
	CHECK(reported_at("project-bad-value", f, 7, 9));
	CHECK(reported_at("project-bad-value", f, 8, 15));
	CHECK(reported("has host bits set\",\"hint\":\"did you mean \\\"169.254.20.10/31\\\" (2 addresses)? \\\"169.254.0.0/16\\\" (65536 addresses) holds it and more\""));
	CHECK(reported_at("project-bad-value", f, 9, 10));
	CHECK(reported_at("project-bad-value", f, 10, 17));
	CHECK(reported("\\\"10.244.0.0/33\\\" has a bad prefix length"));
	CHECK(reported_at("project-bad-value", f, 10, 32));
	CHECK(reported("\\\"not-a-cidr\\\" is not a CIDR"));
	CHECK(reported_at("project-bad-value", f, 11, 17));
	CHECK(reported_at("project-bad-value", f, 12, 18));
	CHECK(reported("\\\"6 months\\\" is not a duration\",\"hint\":\"a positive whole number and a unit (s, m, h, d or w), e.g. 180d\""));
	CHECK(diag_count(diags, DIAG_ERROR) == 11);
}

static void
test_paths(void)
{
	CHECK(load("fixtures/project/paths.yaml") == NULL);
	const char *f = "paths.yaml";
	CHECK(reported_at("path-not-found", f, 1, 10));
	CHECK(reported("vendors directory \\\"no-such-dir\\\" does not exist"));
	CHECK(reported_at("output-not-directory", f, 2, 9));
	CHECK(reported_at("path-not-found", f, 3, 20));
	/* A named lock file may be missing: `vendorc lock` creates it, and
	 * compile's lock reader reports it when a domain needs it. */
	CHECK(!reported_at("path-not-found", f, 4, 7));
	CHECK(diag_count(diags, DIAG_ERROR) == 3);
}

static void
test_project_file_missing(void)
{
	CHECK(load(NULL) == NULL);
	CHECK(reported("{\"severity\":\"error\",\"code\":\"project-not-found\",\"file\":null,"
		"\"message\":\"no project file \\\"vendorc.yaml\\\" in the current directory\","
		"\"hint\":\"start one with \\\"vendorc init\\\", or pass -c FILE\""));
	CHECK(load("fixtures/project/nope.yaml") == NULL);
	CHECK(reported("\"code\":\"project-not-found\",\"file\":null,"));
	CHECK(reported("fixtures/project/nope.yaml"));
	CHECK(load("fixtures/project/vendors") == NULL);
	CHECK(reported("\"code\":\"io-error\",\"file\":null,"));
	CHECK(diag_count(diags, DIAG_FATAL) == 1);
}

int
main(void)
{
	arena = arena_create();
	test_full();
	test_defaults();
	test_child_paths();
	test_paths_from_cwd();
	test_unknown_keys();
	test_missing_keys();
	test_bad_documents();
	test_bad_values();
	test_paths();
	test_project_file_missing();
	arena_destroy(arena);
	return unit_finish("project");
}
