#include "vendorc/init.h"

#include "vendorc/diag.h"
#include "vendorc/when.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char init_placeholder_owner[] = "team@example.com";
const char init_placeholder_ticket[] = "SEC-0000";
const char init_placeholder_justification[] = "why the vendor needs this access";
const char init_placeholder_expires[] = "YYYY-MM-DD";

/* In the canonical layout (docs/language.md), as fmt would print it.
 * Writing the file is the first review of the access, so it is reviewed
 * on the day it is written. */
static const char vendor_skeleton[] =
	"# %s: who the vendor is.\n"
	"vendor %s {\n"
	"    owner         \"%s\" # who answers for this access\n"
	"    ticket        \"%s\"         # where it was approved\n"
	"    expires       %s         # 90 days on; the whole day is included\n"
	"    reviewed      %s         # today: writing this file is a review\n"
	"    justification \"%s\"\n"
	"\n"
	"    runs in vendor-%s # add `where app=...` to pick its pods\n"
	"\n"
	"    # What it may reach, and what may reach it (docs/language.md):\n"
	"    # allow service NAMESPACE/SERVICE port PORT\n"
	"    # allow pods KEY=VALUE in NAMESPACE port PORT\n"
	"    # allow from service NAMESPACE/SERVICE port PORT\n"
	"    # allow from 203.0.113.0/24 port 8443\n"
	"    # egress api.example.com port 443\n"
	"}\n";

static const char project_skeleton[] =
	"# The vendorc project (README, \"The project file\"). Paths are relative\n"
	"# to this file.\n"
	"vendors: vendors             # one VENDOR.vendor each: vendorc init VENDOR\n"
	"output: deploy/vendor-access # what compile writes and GitOps applies\n"
	"catalog: cluster             # the cluster's objects: see cluster/README.md\n"
	"lock: vendorc.lock           # egress domains' addresses: vendorc lock\n"
	"# lock-resolvers: [10.0.0.53]  # the DNS servers lock asks (default: this machine's)\n"
	"# isolate: [contractors]     # more namespaces to keep default-deny\n"
	"# cluster-cidrs: [10.244.0.0/16, 10.96.0.0/12]  # pod and Service ranges\n";

static const char catalog_readme[] =
	"# The catalog\n"
	"\n"
	"What vendorc knows of the cluster: the Services vendors reach (their\n"
	"selectors and targetPorts), the NetworkPolicies already there, the\n"
	"Namespaces and the workloads whose pod labels the proof tries. Dump it\n"
	"into this directory with one read-only command, and again whenever the\n"
	"cluster changes:\n"
	"\n"
	"    kubectl get namespaces,services,endpoints,endpointslices,networkpolicies,\\\n"
	"    deployments,statefulsets,daemonsets,replicasets,jobs,cronjobs,pods \\\n"
	"      -A -o yaml > cluster/catalog.yaml\n"
	"\n"
	"Hand-written manifests (`.yaml`, `.yml`, `.json`) work too. vendorc\n"
	"reads no other file here.\n";

static const char lock_skeleton[] =
	"# The addresses of the domains vendors' egress names: `vendorc lock`\n"
	"# writes them; a wildcard domain needs an entry written by hand.\n";

/* One entry of the skeleton: a directory when text is NULL. */
struct skeleton_entry {
	const char *name;
	const char *text;
};

bool
init_write_new_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return false;
	size_t len = strlen(text);
	bool ok = write(fd, text, len) == (ssize_t)len;
	ok &= close(fd) == 0;
	if (!ok)
		unlink(path);
	return ok;
}

static const char *
entry_path(struct arena *arena, const char *dir, const char *name)
{
	return strcmp(dir, ".") == 0 ? name : arena_printf(arena, "%s/%s", dir, name);
}

/* Undoes the entries made so far, deepest first, after a failed write:
 * init leaves a whole skeleton or nothing. */
static void
remove_made(struct arena *arena, const char *dir, const struct skeleton_entry *entries, size_t made)
{
	while (made-- > 0) {
		const char *path = entry_path(arena, dir, entries[made].name);
		if (entries[made].text)
			unlink(path);
		else
			rmdir(path);
	}
}

bool
init_project(struct arena *arena, struct diag_set *diags, const char *project_file)
{
	const char *file = project_file ? project_file : "vendorc.yaml";
	const char *slash = strrchr(file, '/');
	const char *dir = !slash ? "." : slash == file ? "/" : arena_strndup(arena, file,
		(size_t)(slash - file));
	const struct skeleton_entry entries[] = {
		{ slash ? slash + 1 : file, project_skeleton },
		{ "vendors", NULL },
		{ "cluster", NULL },
		{ "cluster/README.md", catalog_readme },
		{ "vendorc.lock", lock_skeleton },
	};
	size_t count = sizeof(entries) / sizeof(entries[0]);
	bool clear = true;
	for (size_t i = 0; i < count; i++) {
		struct stat st;
		const char *path = entry_path(arena, dir, entries[i].name);
		bool top = !strchr(entries[i].name, '/'); /* below a new directory: new too */
		if (top && (lstat(path, &st) == 0 || errno != ENOENT)) {
			diag_hint(diag_report(diags, DIAG_INIT_EXISTS, NULL,
				"\"%s\" exists: vendorc init makes a project only where there is none", path),
				"to add a vendor to a project, run \"vendorc init VENDOR\"");
			clear = false;
		}
	}
	for (size_t made = 0; clear && made < count; made++) {
		const char *path = entry_path(arena, dir, entries[made].name);
		bool ok = entries[made].text ? init_write_new_file(path, entries[made].text)
		                             : mkdir(path, 0755) == 0;
		if (!ok) {
			diag_report(diags, DIAG_IO_ERROR, NULL, "cannot create \"%s\": %s", path, strerror(errno));
			remove_made(arena, dir, entries, made);
			return false;
		}
	}
	if (clear)
		printf("wrote %s, %s, %s and %s\nnext: dump the catalog (%s), then vendorc init VENDOR\n",
			file, entry_path(arena, dir, "vendors/"), entry_path(arena, dir, "cluster/"),
			entry_path(arena, dir, "vendorc.lock"), entry_path(arena, dir, "cluster/README.md"));
	return clear;
}

bool
init_vendor(struct arena *arena, struct diag_set *diags, const struct project *project,
	const char *vendor, int64_t now)
{
	struct project_path path = project_child(arena, &project->vendors,
		arena_printf(arena, "%s.vendor", vendor));
	const char *text = arena_printf(arena, vendor_skeleton, vendor, vendor, init_placeholder_owner,
		init_placeholder_ticket, when_format_date(arena, when_add(now, 90 * WHEN_DAY)), when_format_date(arena, now),
		init_placeholder_justification, vendor);
	if (init_write_new_file(path.fs, text)) {
		printf("wrote %s\n", path.display);
		return true;
	}
	if (errno == EEXIST)
		diag_hint(diag_report(diags, DIAG_VENDOR_DUPLICATE, NULL,
			"vendor \"%s\" has a file already: \"%s\"", vendor, path.display),
			"init never overwrites; edit that file instead");
	else
		diag_report(diags, DIAG_IO_ERROR, NULL, "cannot write \"%s\": %s", path.display, strerror(errno));
	return false;
}
