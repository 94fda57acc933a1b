/* vendorc: compile per-vendor access files into Kubernetes NetworkPolicy. */

#include "vendorc/audit.h"
#include "vendorc/driver.h"
#include "vendorc/explain.h"
#include "vendorc/fmt.h"
#include "vendorc/graph.h"
#include "vendorc/import.h"
#include "vendorc/kit.h"
#include "vendorc/locker.h"
#include "vendorc/validate.h"
#include "vendorc/when.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct parsed;

/* The options only some commands take (-c, --now, --diagnostics and
 * --color every command takes): another command refuses them, rather than
 * ignore them silently. */
enum {
	TAKES_OUTPUT = 1 << 0, TAKES_BACKEND = 1 << 1, TAKES_STRICT = 1 << 2, TAKES_VERIFY = 1 << 3,
	TAKES_COVERAGE = 1 << 4, TAKES_WITHIN = 1 << 5, TAKES_FORMAT = 1 << 6, TAKES_TRACE = 1 << 7,
	TAKES_CHECK = 1 << 8, TAKES_HOSTS = 1 << 9, TAKES_WRITE = 1 << 10, TAKES_ADVERSARIAL = 1 << 11,
	TAKES_HISTORY = 1 << 12, TAKES_AT = 1 << 13, TAKES_CLUSTER = 1 << 14, TAKES_VENDOR = 1 << 15,
	TAKES_EMIT = 1 << 16, TAKES_RESULTS = 1 << 17, TAKES_FLOWS = 1 << 18, TAKES_SINCE = 1 << 19,
	TAKES_SUGGEST = 1 << 20, TAKES_NAMESPACE = 1 << 21, TAKES_PROVE = 1 << 22,
};

static const char *const option_names[] = {
	"-o/--output", "--backend", "--strict/--strict-expiry", "--verify", "--coverage", "--within", "--format",
	"--from/--to/--port", "--check", "--hosts", "-w", "--adversarial", "--history", "--at",
	"--cluster", "--vendor", "--emit", "--results", "--flows", "--since", "--suggest", "--namespace",
	"--verify (import)",
};

enum { MAX_NAMESPACES = 256 };

struct command {
	const char *name;
	const char *brief;   /* one line for the list of commands */
	const char *usage;
	const char *summary;
	int (*run)(struct parsed *parsed);
	int max_args;        /* words after the command name */
	unsigned takes;      /* TAKES_* */
};

static int run_compile(struct parsed *parsed);
static int run_check(struct parsed *parsed);
static int run_expiring(struct parsed *parsed);
static int run_explain(struct parsed *parsed);
static int run_lock(struct parsed *parsed);
static int run_init(struct parsed *parsed);
static int run_plan(struct parsed *parsed);
static int run_fmt(struct parsed *parsed);
static int run_graph(struct parsed *parsed);
static int run_expire(struct parsed *parsed);
static int run_report(struct parsed *parsed);
static int run_probe(struct parsed *parsed);
static int run_observe(struct parsed *parsed);
static int run_import(struct parsed *parsed);

static const struct command commands[] = {
	{ "compile", "compile the project into the output directory",
	  "vendorc compile [-c FILE] [--now T] [-o DIR] [--backend networkpolicy|cilium] [--cluster NAME]",
	  "compile the project into the output directory (a fleet: every cluster's, or\n"
	  "the one --cluster names)", run_compile, 0, TAKES_OUTPUT | TAKES_BACKEND | TAKES_CLUSTER },
	{ "check", "compile without writing, then prove the policies against the vendor files",
	  "vendorc check [-c FILE] [--now T] [--strict|--strict-expiry] [--verify DIR] [--coverage] [--adversarial]\n"
	  "        [--cluster NAME]",
	  "compile without writing, then prove the policies against the vendor files.\n"
	  "Evaluated with the catalog's policies, each vendor must reach exactly what its\n"
	  "file declares and no other flow may change. --verify DIR proves the generated\n"
	  "files in DIR instead (what a pipeline is about to apply), or, when DIR holds\n"
	  "none, a dump of the live cluster in it (kubectl get networkpolicies -A -o yaml);\n"
	  "--strict fails on warnings too, but not on an expired or soon expiring vendor\n"
	  "or an overdue review, which come with the date and not with a change;\n"
	  "--strict-expiry fails on those too; --coverage prints what an audit asks:\n"
	  "namespaces without a default-deny, workloads no policy selects, vendor access\n"
	  "resting on catalog policies; --adversarial proves it again with an allow-all\n"
	  "NetworkPolicy added in every namespace, which only the admin tier (enforce:\n"
	  "admin) withstands. In a fleet, every cluster (--verify DIR: the trees in\n"
	  "DIR/CLUSTER), or the one --cluster names", run_check, 0,
	  TAKES_OUTPUT | TAKES_BACKEND | TAKES_STRICT | TAKES_VERIFY | TAKES_COVERAGE | TAKES_FORMAT
	  | TAKES_ADVERSARIAL | TAKES_CLUSTER },
	{ "lock", "resolve the domains the vendor files name into the lock file",
	  "vendorc lock [-c FILE] [--now T] [--check] [--hosts FILE]",
	  "resolve every domain the vendor files name (A and AAAA; the project's\n"
	  "lock-resolvers, else the system resolver) and write the lock file.\n"
	  "Entries it wrote before are replaced when their addresses change and dropped\n"
	  "when no vendor names the domain; hand entries are kept. Prints what changes.\n"
	  "--check writes nothing and exits 1 when the lock is stale; --hosts FILE\n"
	  "resolves from a hosts-format file instead of DNS (offline, tests)", run_lock, 0, TAKES_CHECK | TAKES_HOSTS },
	{ "init", "start a project, or add a vendor to one",
	  "vendorc init [VENDOR] [-c FILE] [--now T]",
	  "without VENDOR, start a project where there is none: the project file\n"
	  "(vendorc.yaml, or -c FILE), vendors/, cluster/ with a README on the kubectl\n"
	  "get that fills it, and an empty vendorc.lock, which check accepts as they\n"
	  "are. With VENDOR, write a commented skeleton vendors/VENDOR.vendor of the\n"
	  "project (the vendors directory it names), expiring 90 days on and reviewed\n"
	  "today. Never overwrites anything", run_init, 1, 0 },
	{ "expire", "remove expired vendors' access from the output, even when compile fails",
	  "vendorc expire [-c FILE] [--now T] [-o DIR]",
	  "remove the files of every vendor whose access has ended from the output\n"
	  "directory, and their entries from its kustomization.yaml, in one swap as\n"
	  "compile writes; every other file stays byte for byte, and nothing is added.\n"
	  "It reads only the generated files (each object's vendorc.io/vendor label and\n"
	  "vendorc.io/expires annotation), not the vendor files or the catalog, so an\n"
	  "error anywhere else in the project cannot keep an expired vendor's access.\n"
	  "With -o DIR it does not read the project file either. Run it when compile\n"
	  "fails; compile and check name the expired vendors their errors kept",
	  run_expire, 0, TAKES_OUTPUT },
	{ "expiring", "vendors by end of access, soonest first",
	  "vendorc expiring [-c FILE] [--now T] [--within 30d] [--format text|json]",
	  "vendors by end of access, soonest first, with their last review, when the next\n"
	  "falls due (marked when overdue), and owner and ticket. Exit status 1 when a\n"
	  "vendor has expired or ends within the window (default: the project's\n"
	  "expiry-warning), so a scheduled pipeline can alert on it", run_expiring, 0, TAKES_WITHIN | TAKES_FORMAT },
	{ "explain", "who reaches what, and why, from the evaluated policies",
	  "vendorc explain VENDOR | --to TARGET | --from END --to TARGET --port P\n"
	  "        [-c FILE] [--now T] [--backend NAME] [--format text|json] [--at REV|DATE]\n"
	  "        [--cluster NAME]",
	  "answer from the evaluated policies (catalog plus compiled output), naming the\n"
	  "policy on each side and the vendor-file line behind it. VENDOR: what its pods\n"
	  "reach and what reaches them, until when. --to: which vendors reach TARGET, on\n"
	  "which ports. --from/--to/--port: one connection, allowed or denied and by\n"
	  "which policy (exit 1 when denied). END and TARGET are NS/SERVICE,\n"
	  "NS/KEY=VALUE[,...], NS or an address. --at answers as of a git commit: REV,\n"
	  "or for a DATE the last commit on HEAD's first-parent line committed at or\n"
	  "before it; now is that DATE, or the commit's committer date, unless --now is\n"
	  "given. A vendor the project did not have then is an error (exit 2) naming the\n"
	  "commit that removed it. In a fleet, the answer for each cluster in turn (JSON:\n"
	  "{\"clusters\":[...]}), or for the one --cluster names", run_explain, 1,
	  TAKES_BACKEND | TAKES_TRACE | TAKES_FORMAT | TAKES_AT | TAKES_CLUSTER },
	{ "plan", "what the next compile would change in the output directory",
	  "vendorc plan [-c FILE] [--now T] [-o DIR] [--backend networkpolicy|cilium]\n"
	  "        [--format text|json] [--cluster NAME]",
	  "show what the next compile would change in the output directory, and write\n"
	  "nothing: per vendor, the files and objects (kind, namespace, name) added (+),\n"
	  "removed (-) or changed (~); for a NetworkPolicy, the rules, peers and ports\n"
	  "that appear or disappear and the fields that change (podSelector,\n"
	  "policyTypes, annotations such as the expiry); other objects (cilium) field by\n"
	  "field. Default-deny and the kustomization are shared. Hand-written files are\n"
	  "never reported. Exit status 0 when nothing would change, 1 when something\n"
	  "would or the input has errors, 3 on an I/O error. In a fleet, cluster by\n"
	  "cluster (JSON: {\"clusters\":[...],\"removed_trees\":[...]}), or the one\n"
	  "--cluster names", run_plan, 0,
	  TAKES_OUTPUT | TAKES_BACKEND | TAKES_FORMAT | TAKES_CLUSTER },
	{ "fmt", "print vendor files in their canonical layout, comments kept",
	  "vendorc fmt [--check] [-w] [FILE...]",
	  "print vendor files in their one canonical layout, comments kept. The layout is\n"
	  "set out in docs/language.md, \"Canonical layout\". Without FILEs it formats\n"
	  "standard input to standard output; a directory means every *.vendor below it.\n"
	  "-w rewrites the files that change, in place; --check writes nothing, lists\n"
	  "them and exits 1 if any. A file that does not parse stops it before anything\n"
	  "is printed or written. No project file is needed", run_fmt, INT_MAX, TAKES_CHECK | TAKES_WRITE },
	{ "graph", "draw who can reach what, as Graphviz DOT or a Mermaid flowchart",
	  "vendorc graph [-c FILE] [--now T] [--backend networkpolicy|cilium] [--format dot|mermaid]\n"
	  "        [--cluster NAME]",
	  "draw who can reach what, as Graphviz DOT or a Mermaid flowchart.\n"
	  "Each vendor is a box in the namespace its pods run in; each allow or egress\n"
	  "statement an arrow in the direction of the connection, labelled with its ports\n"
	  "as written and the vendor's expiry. Expired vendors are drawn greyed and\n"
	  "dashed, without arrows: they have no access. The DNS access compile adds is\n"
	  "not drawn. Written to standard output: vendorc graph | dot -Tsvg > access.svg.\n"
	  "In a fleet, every cluster in a box of its own, or the one --cluster names",
	  run_graph, 0, TAKES_BACKEND | TAKES_FORMAT | TAKES_CLUSTER },
	{ "report", "the auditor's report: who can reach what, until when, and since when",
	  "vendorc report [-c FILE] [--now T] [--backend NAME] [--format html|markdown|json]\n"
	  "        [-o FILE] [--history [REV_RANGE]] [--cluster NAME]",
	  "the auditor's report, from the evaluated policies check proves: a summary\n"
	  "(vendors active, expiring and expired, default-denied namespaces, coverage\n"
	  "findings, whether the proof passed), the access matrix (each vendor by what it\n"
	  "reaches, with ports, end of access, vendor-file line and policy objects), who\n"
	  "reaches each target, the expiry timeline, the vendor inventory with a page per\n"
	  "vendor, provenance (commit, vendorc version, --now, a SHA-256 of the output\n"
	  "tree) and a sign-off block. HTML (default: one self-contained file, printable),\n"
	  "Markdown (a pull-request comment; cut down to the summary beyond 65,536\n"
	  "characters) or JSON. -o FILE writes FILE instead of standard output. --history\n"
	  "adds when each grant appeared, changed and disappeared, from git (REV_RANGE as\n"
	  "git log takes it; default the whole history). Exit status 1 also when the\n"
	  "proof failed: the report is written all the same, and says so. In a fleet, an\n"
	  "overview of the clusters, then a part per cluster (its headings and anchors\n"
	  "name it), then one history and one sign-off; --cluster NAME: that cluster's alone",
	  run_report, 1, TAKES_OUTPUT | TAKES_BACKEND | TAKES_FORMAT | TAKES_HISTORY | TAKES_CLUSTER },
	{ "probe", "the probe kit: the connections to try in a staging cluster, and their verdicts",
	  "vendorc probe [-c FILE] [--now T] [--backend NAME] [--vendor NAME] [--format text|json]\n"
	  "        [--emit jobs|netassert -o DIR | --results FILE] [--cluster NAME]",
	  "the cases of the probe kit (docs/probe.md), from the evaluated policies check\n"
	  "proves: for every active vendor each declared flow on each port (expected to\n"
	  "connect), and what an attacker tries first: one port off each allowed port, a\n"
	  "pod beside the peer that the grant does not select, the peer namespace's other\n"
	  "Services, an outside address and a name no file declares, DNS to a resolver\n"
	  "other than the cluster's, the vendor's pods from a namespace no file grants;\n"
	  "for an expired vendor, its old flows. Each case has the evaluator's verdict,\n"
	  "the vendor-file line it tests and how each side decides it. --vendor NAME:\n"
	  "that vendor's cases alone. --emit jobs -o DIR writes the kit: its namespace,\n"
	  "listeners and a Job per source (agnhost connect, the project's probe-image);\n"
	  "--emit netassert -o DIR the same sources as Pods and NetAssert v2 tests.\n"
	  "--results FILE reads what the probes saw (the Jobs' lines, or NetAssert's TAP)\n"
	  "and reports each case as expected or unexpected: exit 1 on any unexpected.\n"
	  "Give the same project, --now and --vendor as the kit was made with. In a\n"
	  "fleet, of the cluster --cluster names",
	  run_probe, 0, TAKES_OUTPUT | TAKES_BACKEND | TAKES_FORMAT | TAKES_CLUSTER | TAKES_VENDOR | TAKES_EMIT
	  | TAKES_RESULTS },
	{ "observe", "the access review from observed traffic: grants unused, attempts denied, access widened",
	  "vendorc observe --flows FILE [-c FILE] [--now T] [--since T] [--backend NAME] [--vendor NAME]\n"
	  "        [--format text|json] [--suggest [--namespace NS]] [--cluster NAME]",
	  "reads exported flows (docs/observe.md): Hubble's JSON as `hubble observe -o json`\n"
	  "prints it, or a CSV with the columns time, source, destination, port, protocol,\n"
	  "verdict and optionally destination_name. Per vendor, from the evaluated\n"
	  "policies check proves: each grant used (how often, when last) or unused in the\n"
	  "period (a candidate to remove at review), attempts denied that the file does\n"
	  "not grant, flows allowed that it does not grant (widened: another policy, or a\n"
	  "cluster that does not enforce), and flows dropped that it grants; exit 1 on a\n"
	  "widened or dropped one. --since T: flows before T are not of the period.\n"
	  "--suggest --vendor NAME prints a vendor file of what its pods were seen to do,\n"
	  "Services recognised from the catalog: NAME's own pods, or for a vendor without\n"
	  "a file the pods of --namespace NS (default vendor-NAME). In a fleet, of the\n"
	  "cluster --cluster names",
	  run_observe, 0, TAKES_BACKEND | TAKES_FORMAT | TAKES_CLUSTER | TAKES_VENDOR | TAKES_FLOWS | TAKES_SINCE
	  | TAKES_SUGGEST | TAKES_NAMESPACE },
	{ "import", "vendor files from hand-written NetworkPolicies, for adopting vendorc",
	  "vendorc import [-c FILE] [--namespace NS ...] [--vendor NAME] [-o DIR] [--cluster NAME] [--verify]\n"
	  "              POLICY_FILE...",
	  "reads NetworkPolicies and CiliumNetworkPolicies (manifests, or a dump: kubectl\n"
	  "get networkpolicies,ciliumnetworkpolicies -A -o yaml) and for each namespace\n"
	  "they are in (or each --namespace NS) writes a vendor file in the canonical\n"
	  "layout into the project's vendors directory (or -o DIR), new files only, all\n"
	  "or none (docs/import.md): pods behind a catalog Service as allow service on\n"
	  "the Service's ports, other pods as allow pods, ipBlocks as egress or allow\n"
	  "from, Cilium's names as egress NAME. What the language cannot say\n"
	  "is a comment in the file and an import-inexpressible warning. The expiry is\n"
	  "the placeholder YYYY-MM-DD, which compile refuses until it is set. --vendor\n"
	  "NAME names the vendor of the one namespace imported (default: the namespace,\n"
	  "without a vendor- prefix). --verify compiles the files and proves with the\n"
	  "evaluator that each vendor's namespace reaches and is reached by exactly what\n"
	  "the policies gave it, but for what the file lists; the files are written\n"
	  "only when that holds (exit 1 and import-changed errors otherwise)",
	  run_import, INT_MAX, TAKES_OUTPUT | TAKES_CLUSTER | TAKES_VENDOR | TAKES_NAMESPACE | TAKES_PROVE },
};

static const struct command *
find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void
print_help(FILE *out)
{
	fputs("usage: vendorc COMMAND [OPTIONS]\n\ncommands:\n", out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].brief);
	fputs("  help       show this, or one command's usage\n\n"
	      "options:\n"
	      "  -c, --config FILE         the project file (default ./vendorc.yaml)\n"
	      "      --now T               the time to compile for (DATE or RFC 3339)\n"
	      "  -o, --output DIR          write here instead of the project's output\n"
	      "                            (report) the file to write the report to\n"
	      "      --backend NAME        networkpolicy or cilium, instead of the project's\n"
	      "      --cluster NAME        in a fleet, that cluster alone (docs/fleet.md)\n"
	      "      --vendor NAME         (probe, observe) that vendor alone; (import) its name\n"
	      "      --emit KIT            (probe) write the kit, jobs or netassert, into -o DIR\n"
	      "      --results FILE        (probe) read what the kit's probes saw\n"
	      "      --flows FILE          (observe) the exported flows: Hubble's JSON or CSV\n"
	      "      --since T             (observe) the period starts at T\n"
	      "      --suggest             (observe) a vendor file of what --vendor's pods did\n"
	      "      --namespace NS        (observe --suggest) a new vendor's namespace;\n"
	      "                            (import, repeatable) the namespaces to import\n"
	      "      --strict              (check) fail on warnings too, but not expiry/review\n"
	      "      --strict-expiry       (check) fail on every warning, expiry/review too\n"
	      "      --verify DIR          (check) prove the generated files in DIR, or a dump\n"
	      "                            of the live cluster's policies there\n"
	      "      --verify              (import) prove the files against the policies first\n"
	      "      --coverage            (check) print the coverage report\n"
	      "      --adversarial         (check) prove it against an allow-all NetworkPolicy everywhere\n"
	      "      --within DURATION     (expiring) the window, e.g. 30d\n"
	      "      --format FORMAT       (expiring, explain, coverage, plan, probe, observe) text\n"
	      "                            (default) or json\n"
	      "                            (graph) dot (default) or mermaid\n"
	      "                            (report) html (default), markdown or json\n"
	      "      --from, --to, --port  (explain) the connection to trace\n"
	      "      --history [REV_RANGE] (report) add the history of access from git\n"
	      "      --at REV|DATE         (explain) answer as of a git commit, or of the last\n"
	      "                            one committed at or before a date\n"
	      "      --check               (lock) exit 1 when the lock is stale, write nothing\n"
	      "      --hosts FILE          (lock) resolve from a hosts-format file\n"
	      "  -w                        (fmt) rewrite the files that change; --check: list them\n"
	      "      --diagnostics=FORMAT  text (default), json (one object per line) or sarif\n"
	      "      --color=WHEN          colour text diagnostics: auto (default: on a terminal,\n"
	      "                            unless NO_COLOR is set), always or never\n"
	      "      --paths=FROM          name files in diagnostics and plan relative to the\n"
	      "                            project file (project, default) or to the working\n"
	      "                            directory (cwd; absolute outside it)\n"
	      "      --version             print the version\n\n"
	      "exit status: 0 success, 1 input errors, 2 usage error, 3 I/O or internal error\n", out);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
usage_error(const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	fputs("vendorc: error: ", stderr);
	vfprintf(stderr, fmt, args);
	va_end(args);
	fputs("\n(see vendorc help)\n", stderr);
	return DRIVER_USAGE_ERROR;
}

/* --now, else SOURCE_DATE_EPOCH, else the clock (docs/semantics.md section 3). */
static bool
compile_time(const char *now_text, int64_t *now)
{
	bool is_date;
	if (now_text)
		return when_parse_instant(now_text, now, &is_date);
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	if (!epoch || !*epoch) {
		struct timespec clock;
		clock_gettime(CLOCK_REALTIME, &clock);
		*now = when_add(when_from_seconds(clock.tv_sec), clock.tv_nsec);
		return true;
	}
	char *end;
	errno = 0;
	long long value = strtoll(epoch, &end, 10);
	*now = when_from_seconds(value);
	return errno == 0 && *end == '\0' && value >= 0;
}

enum option_id {
	OPT_NOW = 256, OPT_STRICT, OPT_DIAGNOSTICS, OPT_COLOR, OPT_VERSION, OPT_VERIFY, OPT_WITHIN, OPT_FORMAT,
	OPT_FROM, OPT_TO, OPT_PORT, OPT_COVERAGE, OPT_ADVERSARIAL, OPT_CHECK, OPT_HOSTS, OPT_BACKEND, OPT_STRICT_EXPIRY,
	OPT_PATHS, OPT_HISTORY, OPT_AT, OPT_CLUSTER, OPT_VENDOR, OPT_EMIT, OPT_RESULTS, OPT_FLOWS, OPT_SINCE,
	OPT_SUGGEST, OPT_NAMESPACE, OPT_PROVE,
};

static const struct option long_options[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "output", required_argument, NULL, 'o' },
	{ "now", required_argument, NULL, OPT_NOW },
	{ "strict", no_argument, NULL, OPT_STRICT },
	{ "strict-expiry", no_argument, NULL, OPT_STRICT_EXPIRY },
	{ "verify", required_argument, NULL, OPT_VERIFY },
	{ "within", required_argument, NULL, OPT_WITHIN },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "to", required_argument, NULL, OPT_TO },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "at", required_argument, NULL, OPT_AT },
	{ "coverage", no_argument, NULL, OPT_COVERAGE },
	{ "adversarial", no_argument, NULL, OPT_ADVERSARIAL },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "hosts", required_argument, NULL, OPT_HOSTS },
	{ "backend", required_argument, NULL, OPT_BACKEND },
	{ "diagnostics", required_argument, NULL, OPT_DIAGNOSTICS },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "paths", required_argument, NULL, OPT_PATHS },
	{ "history", no_argument, NULL, OPT_HISTORY },
	{ "cluster", required_argument, NULL, OPT_CLUSTER },
	{ "vendor", required_argument, NULL, OPT_VENDOR },
	{ "emit", required_argument, NULL, OPT_EMIT },
	{ "results", required_argument, NULL, OPT_RESULTS },
	{ "flows", required_argument, NULL, OPT_FLOWS },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "suggest", no_argument, NULL, OPT_SUGGEST },
	{ "namespace", required_argument, NULL, OPT_NAMESPACE },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct parsed {
	struct driver_options options;
	struct explain_query query;
	struct locker_options lock;
	struct fmt_options fmt;
	struct driver_report report;
	struct driver_probe probe;
	struct driver_observe observe;
	const char *namespaces[MAX_NAMESPACES]; /* --namespace, as given */
	size_t namespace_count;
	bool prove;               /* import --verify */
	const char *now_text;
	const char *format_text;  /* --format: text or json; for graph dot or mermaid; for report
	                           * html, markdown or json */
	const char *color;        /* --color: auto, always or never */
	unsigned given;           /* TAKES_*: the command-specific options given */
	bool version;
	bool help;
	char **args;         /* the words after the command name */
	int arg_count;
};

/* Whether the long option argument arg (after "--") takes the next word
 * as its value: as getopt_long reads it, by its whole name or a prefix
 * that names one option alone. */
static bool
long_takes_next(const char *arg)
{
	size_t len = strcspn(arg, "=");
	const struct option *found = NULL;
	size_t matches = 0;
	for (const struct option *o = long_options; o->name; o++)
		if (strncmp(o->name, arg, len) == 0) {
			if (strlen(o->name) == len) {
				found = o;
				matches = 1;
				break;
			}
			found = o;
			matches++;
		}
	return matches == 1 && found->has_arg == required_argument && !arg[len];
}

/* Whether a cluster of short options ("-wc", "-cFILE") takes the next word
 * as the value of its -c or -o. */
static bool
short_takes_next(const char *arg)
{
	for (const char *c = arg; *c; c++)
		if (*c == 'c' || *c == 'o')
			return !c[1];
	return false;
}

/* The command's name: the first word that is no option's and no option's
 * value, or NULL. */
static const char *
command_word(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--") == 0)
			return i + 1 < argc ? argv[i + 1] : NULL;
		if (arg[0] != '-' || !arg[1])
			return arg;
		i += arg[1] == '-' ? long_takes_next(arg + 2) : short_takes_next(arg + 1);
	}
	return NULL;
}

static int
parse_options(int argc, char **argv, struct parsed *parsed)
{
	/* import's --verify is a switch (its proof needs no directory), check's
	 * takes DIR: the table is the command's. */
	enum { OPTION_COUNT = sizeof(long_options) / sizeof(*long_options) };
	struct option options[OPTION_COUNT];
	memcpy(options, long_options, sizeof(options));
	const char *command = command_word(argc, argv);
	for (size_t i = 0; command && strcmp(command, "import") == 0 && i < OPTION_COUNT - 1; i++)
		if (options[i].val == OPT_VERIFY)
			options[i] = (struct option){ "verify", no_argument, NULL, OPT_PROVE };
	int opt;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":c:o:hw", options, NULL)) != -1) {
		switch (opt) {
		case 'c': parsed->options.project = optarg; break;
		case 'o': parsed->options.output = optarg; parsed->given |= TAKES_OUTPUT; break;
		case 'h': parsed->help = true; break;
		case 'w': parsed->fmt.write = true; parsed->given |= TAKES_WRITE; break;
		case OPT_NOW: parsed->now_text = optarg; break;
		case OPT_STRICT: parsed->options.strict = true; parsed->given |= TAKES_STRICT; break;
		case OPT_STRICT_EXPIRY:
			parsed->options.strict = parsed->options.strict_expiry = true;
			parsed->given |= TAKES_STRICT;
			break;
		case OPT_VERIFY: parsed->options.verify = optarg; parsed->given |= TAKES_VERIFY; break;
		case OPT_PROVE: parsed->prove = true; parsed->given |= TAKES_PROVE; break;
		case OPT_FROM: parsed->query.from = optarg; parsed->given |= TAKES_TRACE; break;
		case OPT_TO: parsed->query.to = optarg; parsed->given |= TAKES_TRACE; break;
		case OPT_PORT: parsed->query.port = optarg; parsed->given |= TAKES_TRACE; break;
		case OPT_AT: parsed->options.at = optarg; parsed->given |= TAKES_AT; break;
		case OPT_COVERAGE: parsed->options.coverage = true; parsed->given |= TAKES_COVERAGE; break;
		case OPT_ADVERSARIAL:
			parsed->options.adversarial = true;
			parsed->given |= TAKES_ADVERSARIAL;
			break;
		case OPT_CHECK: parsed->lock.check = parsed->fmt.check = true; parsed->given |= TAKES_CHECK; break;
		case OPT_HOSTS: parsed->lock.hosts = optarg; parsed->given |= TAKES_HOSTS; break;
		case OPT_HISTORY: parsed->report.history = true; parsed->given |= TAKES_HISTORY; break;
		case OPT_CLUSTER: parsed->options.cluster = optarg; parsed->given |= TAKES_CLUSTER; break;
		case OPT_VENDOR: parsed->probe.vendor = optarg; parsed->given |= TAKES_VENDOR; break;
		case OPT_RESULTS: parsed->probe.results = optarg; parsed->given |= TAKES_RESULTS; break;
		case OPT_FLOWS: parsed->observe.flows = optarg; parsed->given |= TAKES_FLOWS; break;
		case OPT_SUGGEST: parsed->observe.suggest = true; parsed->given |= TAKES_SUGGEST; break;
		case OPT_NAMESPACE:
			if (parsed->namespace_count == MAX_NAMESPACES)
				return usage_error("more than %d --namespace options", MAX_NAMESPACES);
			parsed->namespaces[parsed->namespace_count++] = optarg;
			parsed->given |= TAKES_NAMESPACE;
			break;
		case OPT_SINCE:
			parsed->given |= TAKES_SINCE;
			parsed->observe.has_since = true;
			if (!when_parse_instant(optarg, &parsed->observe.since, &(bool){ false }))
				return usage_error("invalid time \"%s\" (a date or an RFC 3339 time)", optarg);
			break;
		case OPT_EMIT:
			parsed->given |= TAKES_EMIT;
			parsed->probe.emit = true;
			if (!kit_parse_emit(optarg, &parsed->probe.kit))
				return usage_error("unknown kit \"%s\" (jobs or netassert)", optarg);
			break;
		case OPT_BACKEND:
			parsed->given |= TAKES_BACKEND;
			if (strcmp(optarg, "networkpolicy") != 0 && strcmp(optarg, "cilium") != 0)
				return usage_error("unknown backend \"%s\" (networkpolicy or cilium)", optarg);
			parsed->options.backend = optarg;
			break;
		case OPT_WITHIN:
			parsed->given |= TAKES_WITHIN;
			if (!when_parse_duration(optarg, &parsed->options.within))
				return usage_error("invalid duration \"%s\" (e.g. 30d, 12h, 2w)", optarg);
			break;
		case OPT_FORMAT:
			parsed->given |= TAKES_FORMAT;
			parsed->format_text = optarg;
			if (strcmp(optarg, "json") == 0)
				parsed->options.report = REPORT_JSON;
			else if (strcmp(optarg, "text") != 0 && !graph_parse_format(optarg, NULL)
				&& !audit_parse_format(optarg, NULL))
				return usage_error("unknown format \"%s\" (text or json; dot or mermaid for graph; "
					"html, markdown or json for report)", optarg);
			break;
		case OPT_VERSION: parsed->version = true; break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") != 0 && strcmp(optarg, "always") != 0
				&& strcmp(optarg, "never") != 0)
				return usage_error("unknown color setting \"%s\" (auto, always or never)", optarg);
			parsed->color = optarg;
			break;
		case OPT_DIAGNOSTICS:
			if (strcmp(optarg, "json") == 0)
				parsed->options.format = DIAG_FORMAT_JSON;
			else if (strcmp(optarg, "sarif") == 0)
				parsed->options.format = DIAG_FORMAT_SARIF;
			else if (strcmp(optarg, "text") != 0)
				return usage_error("unknown diagnostics format \"%s\" (text, json or sarif)", optarg);
			break;
		case OPT_PATHS:
			if (strcmp(optarg, "cwd") == 0)
				parsed->options.paths = PROJECT_PATHS_FROM_CWD;
			else if (strcmp(optarg, "project") != 0)
				return usage_error("unknown paths setting \"%s\" (project or cwd)", optarg);
			break;
		case ':':
			return usage_error("option \"%s\" needs a value", argv[optind - 1]);
		default:
			/* getopt_long leaves a known option's id in optopt when it was
			 * given a value it does not take */
			if (optopt && strncmp(argv[optind - 1], "--", 2) == 0)
				return usage_error("option \"%s\" takes no value", argv[optind - 1]);
			return usage_error("unknown option \"%s\"", argv[optind - 1]);
		}
	}
	return DRIVER_OK;
}

/* --color=auto colours on a terminal, unless NO_COLOR is set to anything
 * but "" (no-color.org) or the terminal is dumb; an explicit --color wins. */
static bool
wants_color(const char *color)
{
	if (color && strcmp(color, "auto") != 0)
		return strcmp(color, "always") == 0;
	const char *no_color = getenv("NO_COLOR"), *term = getenv("TERM");
	return isatty(STDERR_FILENO) && !(no_color && *no_color) && !(term && strcmp(term, "dumb") == 0);
}

static int
unknown_command(const char *name)
{
	const char *names[sizeof(commands) / sizeof(*commands)];
	for (size_t i = 0; i < sizeof(commands) / sizeof(*commands); i++)
		names[i] = commands[i].name;
	const char *nearest = diag_nearest(name, names, sizeof(names) / sizeof(*names));
	if (nearest)
		return usage_error("unknown command \"%s\"; did you mean \"%s\"?", name, nearest);
	return usage_error("unknown command \"%s\"", name);
}

/* For the texts main prints itself (the commands report this as a
 * diagnostic): a full disk or a closed pipe is an I/O error. */
static int
stdout_written(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return DRIVER_OK;
	fprintf(stderr, "vendorc: error: cannot write standard output: %s\n", strerror(errno));
	return DRIVER_IO_ERROR;
}

static int
run_help(int argc, char **argv)
{
	const struct command *command = argc > 0 ? find_command(argv[0]) : NULL;
	if (argc > 0 && !command)
		return unknown_command(argv[0]);
	if (command)
		printf("usage: %s\n\n%s\n", command->usage, command->summary);
	else
		print_help(stdout);
	return stdout_written();
}

/* graph and report have formats of their own; the others text or json. */
static bool
takes_format(const struct command *command, const char *format)
{
	if (command->run == run_graph)
		return graph_parse_format(format, NULL);
	if (command->run == run_report)
		return audit_parse_format(format, NULL);
	return strcmp(format, "text") == 0 || strcmp(format, "json") == 0;
}

static int
run(int argc, char **argv)
{
	struct parsed parsed = { 0 };
	int status = parse_options(argc, argv, &parsed);
	if (status != DRIVER_OK)
		return status;
	if (parsed.options.format == DIAG_FORMAT_TEXT && wants_color(parsed.color))
		parsed.options.format = DIAG_FORMAT_TEXT_COLOR;
	if (parsed.version) {
		printf("vendorc %s\n", VENDORC_VERSION);
		return stdout_written();
	}
	int rest = argc - optind;
	char **args = argv + optind;
	if (parsed.help || rest == 0 || strcmp(args[0], "help") == 0)
		return rest > 0 && strcmp(args[0], "help") == 0 ? run_help(rest - 1, args + 1) : run_help(0, NULL);
	const struct command *command = find_command(args[0]);
	if (!command)
		return unknown_command(args[0]);
	if (parsed.format_text && !takes_format(command, parsed.format_text))
		return usage_error("%s does not take --format %s", command->name, parsed.format_text);
	if (rest - 1 > command->max_args)
		return usage_error("unexpected argument \"%s\"", args[command->max_args + 1]);
	for (size_t bit = 0; bit < sizeof(option_names) / sizeof(*option_names); bit++)
		if (parsed.given & ~command->takes & (1u << bit))
			return usage_error("%s is not an option of %s", option_names[bit], command->name);
	if (!compile_time(parsed.now_text, &parsed.options.now))
		return usage_error("invalid time \"%s\": give a date (2027-03-31) or an RFC 3339 time",
			parsed.now_text ? parsed.now_text : getenv("SOURCE_DATE_EPOCH"));
	parsed.options.now_given = parsed.now_text != NULL;
	parsed.args = args + 1;
	parsed.arg_count = rest - 1;
	return command->run(&parsed);
}

static int
run_compile(struct parsed *parsed)
{
	parsed->options.write = true;
	return driver_compile(&parsed->options);
}

static int
run_check(struct parsed *parsed)
{
	return driver_compile(&parsed->options);
}

static int
run_expiring(struct parsed *parsed)
{
	return driver_expiring(&parsed->options);
}

static int
run_expire(struct parsed *parsed)
{
	return driver_expire(&parsed->options);
}

static int
run_init(struct parsed *parsed)
{
	if (parsed->arg_count == 0)
		return driver_init(&parsed->options, NULL);
	if (validate_dns_label(parsed->args[0]))
		return usage_error("\"%s\" is not a vendor name: %s", parsed->args[0],
			validate_dns_label(parsed->args[0]));
	return driver_init(&parsed->options, parsed->args[0]);
}

static int
run_lock(struct parsed *parsed)
{
	parsed->lock.now = parsed->options.now;
	return driver_lock(&parsed->options, &parsed->lock);
}

static int
run_plan(struct parsed *parsed)
{
	return driver_plan(&parsed->options);
}

static int
run_fmt(struct parsed *parsed)
{
	struct fmt_options *fmt = &parsed->fmt;
	if (fmt->check && fmt->write)
		return usage_error("fmt takes --check or -w, not both");
	if (fmt->write && parsed->arg_count == 0)
		return usage_error("fmt -w needs FILEs: standard input has no file to write back");
	fmt->paths = parsed->args;
	fmt->path_count = (size_t)parsed->arg_count;
	return driver_fmt(&parsed->options, fmt);
}

/* One of: a vendor; --to alone; --from, --to and --port together. */
static int
run_explain(struct parsed *parsed)
{
	struct explain_query *query = &parsed->query;
	query->vendor = parsed->arg_count ? parsed->args[0] : NULL;
	bool trace = query->from || query->port;
	if (query->vendor && (query->to || trace))
		return usage_error("explain takes a VENDOR or --to, not both");
	if (!query->vendor && !query->to)
		return usage_error("explain needs a VENDOR, or --to TARGET");
	if (trace && !(query->from && query->port))
		return usage_error("a trace needs --from, --to and --port");
	/* the files of --at are in a temporary tree, not below the working directory */
	if (parsed->options.at && parsed->options.paths == PROJECT_PATHS_FROM_CWD)
		return usage_error("--at names files relative to the project file: it does not take --paths=cwd");
	if (parsed->options.at && !*parsed->options.at)
		return usage_error("--at needs a revision or a date");
	return driver_explain(&parsed->options, query);
}

static int
run_graph(struct parsed *parsed)
{
	enum graph_format format = GRAPH_DOT;
	if (parsed->format_text)
		graph_parse_format(parsed->format_text, &format);
	return driver_graph(&parsed->options, format);
}

/* -o names the report's file, not the project's output directory. */
static int
run_report(struct parsed *parsed)
{
	struct driver_report *report = &parsed->report;
	if (parsed->arg_count && !report->history)
		return usage_error("unexpected argument \"%s\" (a REV_RANGE goes with --history)", parsed->args[0]);
	report->range = parsed->arg_count ? parsed->args[0] : NULL;
	report->file = parsed->options.output;
	parsed->options.output = NULL;
	if (parsed->format_text)
		audit_parse_format(parsed->format_text, &report->format);
	return driver_report(&parsed->options, report);
}

/* -o names the kit's directory, not the project's output. */
static int
run_probe(struct parsed *parsed)
{
	struct driver_probe *probe = &parsed->probe;
	probe->dir = parsed->options.output;
	parsed->options.output = NULL;
	if (probe->emit && !probe->dir)
		return usage_error("probe --emit needs -o DIR, the kit's directory");
	if (probe->dir && !probe->emit)
		return usage_error("probe -o DIR goes with --emit jobs|netassert");
	if (probe->emit && probe->results)
		return usage_error("probe takes --emit or --results, not both");
	return driver_probe(&parsed->options, probe);
}

static int
run_observe(struct parsed *parsed)
{
	struct driver_observe *observe = &parsed->observe;
	observe->vendor = parsed->probe.vendor;
	observe->ns = parsed->namespace_count ? parsed->namespaces[0] : NULL;
	if (parsed->namespace_count > 1)
		return usage_error("observe takes one --namespace");
	if (!observe->flows)
		return usage_error("observe needs --flows FILE, the exported flows");
	if (observe->suggest && !observe->vendor)
		return usage_error("observe --suggest needs --vendor NAME, the vendor to suggest a file for");
	if (observe->ns && !observe->suggest)
		return usage_error("observe --namespace NS goes with --suggest");
	if (parsed->options.report == REPORT_JSON && observe->suggest)
		return usage_error("observe --suggest prints a vendor file: no --format");
	return driver_observe(&parsed->options, observe);
}

static int
run_import(struct parsed *parsed)
{
	if (!parsed->arg_count)
		return usage_error("import needs the policy files (or a dump: kubectl get networkpolicies -A -o yaml)");
	if (parsed->probe.vendor && parsed->namespace_count != 1)
		return usage_error("import --vendor NAME names the vendor of one --namespace NS");
	struct import_options import = { parsed->args, (size_t)parsed->arg_count, parsed->namespaces,
		parsed->namespace_count, parsed->probe.vendor, parsed->prove };
	return driver_import(&parsed->options, &import);
}

int
main(int argc, char **argv)
{
	int status = run(argc, argv);
	validate_finish();
	return status;
}
