#include "unit.h"

#include "vendorc/arena.h"
#include "vendorc/backend.h"
#include "vendorc/diag.h"
#include "vendorc/emit.h"
#include "vendorc/plan.h"
#include "vendorc/project.h"

static struct arena *arena;

/* A generated file holding one egress NetworkPolicy with these rules
 * (flow-style sequence items) and pod selector. */
static struct vec
policy_file(const char *pods, const char *rules)
{
	struct vec files = { 0 };
	struct backend_file *file = arena_alloc(arena, sizeof(*file));
	file->name = "vendor-v.yaml";
	file->data = arena_printf(arena, EMIT_HEADER "\n---\n"
		"apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
		"metadata:\n  name: p\n  namespace: ns\n  labels: {vendorc.io/vendor: v}\n"
		"spec:\n  podSelector: %s\n  policyTypes: [Egress]\n  egress:\n%s", pods, rules);
	file->len = strlen(file->data);
	vec_push(arena, &files, file);
	return files;
}

static void
print_text(FILE *out, void *plan)
{
	plan_print(out, plan, REPORT_TEXT);
}

/* The text plan prints from old to new, or NULL when it found no change. */
static const char *
plan_text(struct vec old, struct vec new)
{
	struct diag_set *diags = diag_set_create(arena);
	struct project_path dir = { "out", "out", { 0 } };
	struct plan *plan = plan_compare(arena, diags, &dir, &old, &new);
	CHECK(plan != NULL);
	if (!plan || !plan_has_changes(plan))
		return NULL;
	return unit_capture(arena, print_text, plan);
}

#define CHECK_HAS(text, line) CHECK((text) && strstr((text), (line)))
#define CHECK_LACKS(text, line) CHECK((text) && !strstr((text), (line)))

static const char to_a_443[] = "  - {to: [{ipBlock: {cidr: 10.1.0.0/16}}], ports: [{port: 443}]}\n";
static const char dns[] = "  - {to: [{podSelector: {}}], ports: [{port: 53, protocol: UDP}]}\n";

static void
check_same(void)
{
	CHECK(plan_text(policy_file("{}", to_a_443), policy_file("{}", to_a_443)) == NULL);
}

static void
check_ports_changed(void)
{
	const char *text = plan_text(policy_file("{}", to_a_443), policy_file("{}",
		"  - {to: [{ipBlock: {cidr: 10.1.0.0/16}}], ports: [{port: 443}, {port: 8000, endPort: 8080}]}\n"));
	CHECK_HAS(text, "          ~ egress rule to 10.1.0.0/16\n              + TCP 8000-8080\n");
	CHECK_LACKS(text, "TCP 443");
}

static void
check_peers_changed(void)
{
	const char *text = plan_text(policy_file("{}", to_a_443), policy_file("{}",
		"  - {to: [{ipBlock: {cidr: 10.2.0.0/16, except: [10.2.1.0/24]}}], ports: [{port: 443}]}\n"));
	CHECK_HAS(text, "          ~ egress rule on TCP 443\n"
		"              - 10.1.0.0/16\n"
		"              + 10.2.0.0/16 except 10.2.1.0/24\n");
}

static void
check_rule_replaced(void)
{
	const char *text = plan_text(policy_file("{}", to_a_443), policy_file("{}",
		"  - {to: [{namespaceSelector: {matchLabels: {team: x}}}], ports: [{protocol: SCTP}]}\n"));
	CHECK_HAS(text, "          - egress to 10.1.0.0/16 on TCP 443\n"
		"          + egress to all pods in namespaces team=x on every SCTP port\n");
}

/* A rule both sides have is not shown; a rule order change is no rule change. */
static void
check_unchanged_rules_quiet(void)
{
	const char *text = plan_text(policy_file("{}", arena_printf(arena, "%s%s", dns, to_a_443)),
		policy_file("{}", "  - {to: [], ports: []}\n"));
	CHECK_HAS(text, "- egress to all pods in namespace ns on UDP 53\n");
	CHECK_HAS(text, "+ egress to anywhere on every port\n");
	text = plan_text(policy_file("{}", arena_printf(arena, "%s%s", dns, to_a_443)),
		policy_file("{}", arena_printf(arena, "%s%s", to_a_443, dns)));
	CHECK_HAS(text, "      ~ NetworkPolicy ns/p\n");
	CHECK_LACKS(text, "egress");
}

static void
check_fields(void)
{
	const char *text = plan_text(policy_file("{}", to_a_443),
		policy_file("{matchLabels: {app: x}}", to_a_443));
	CHECK_HAS(text, "          - spec.podSelector: {}\n"
		"          + spec.podSelector.matchLabels.app: x\n");
	CHECK_HAS(text, "Plan: files 0 to add, 1 to change, 0 to remove; "
		"objects 0 to add, 1 to change, 0 to remove.\n");
}

/* Compile replaces a file on disk whatever it holds, so plan does not fail
 * on one it cannot read back: it shows what compile would write. */
static void
check_unreadable_on_disk(void)
{
	struct vec broken = policy_file("{}", "  - {to: [\n");
	const char *text = plan_text(broken, policy_file("{}", to_a_443));
	CHECK_HAS(text, "  ~ file vendor-v.yaml (not YAML now: compile writes it whole)\n"
		"      + NetworkPolicy ns/p\n");
	text = plan_text(policy_file("[]", to_a_443), policy_file("{}", to_a_443));
	CHECK_HAS(text, "          ~ spec.podSelector: [] -> {}\n");
}

int
main(void)
{
	arena = arena_create();
	check_same();
	check_ports_changed();
	check_peers_changed();
	check_rule_replaced();
	check_unchanged_rules_quiet();
	check_fields();
	check_unreadable_on_disk();
	arena_destroy(arena);
	return unit_finish("plan");
}
