#include "vendorc/locker.h"

#include "vendorc/fswalk.h"

#include "vendorc/arena.h"
#include "vendorc/diag.h"
#include "vendorc/emit.h"
#include "vendorc/limits.h"
#include "vendorc/lockfile.h"
#include "vendorc/project.h"
#include "vendorc/resolve.h"
#include "vendorc/when.h"

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <resolv.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char lock_header[] =
	"# vendorc.lock: domain -> CIDRs for `egress DOMAIN`. `vendorc lock` rewrites the\n"
	"# entries with a resolver; plain lists and entries without one are kept as written.";

/* What a lookup gave: addresses (/32, /128), the smallest TTL (-1: none)
 * and who answered. */
struct answer {
	struct vec cidrs;
	long ttl;
	const char *resolver;
};

struct host {
	const char *name;          /* lower case */
	struct net_cidr addr;
};

struct locker {
	struct arena *arena;
	struct diag_set *diags;
	const struct locker_options *options;
	const struct vec *servers; /* struct project_resolver *: lock-resolvers, else the machine's */
	struct vec hosts;          /* struct host *, from --hosts */
	const char *hosts_display;
	struct vec entries;        /* struct lock_entry *, the new lock */
	struct vec changes;        /* const char *: lines for the report, when all went well */
};

static int
compare_cidrs(const void *a, const void *b)
{
	return net_cidr_compare(*(const struct net_cidr *const *)a, *(const struct net_cidr *const *)b);
}

/* ---- hosts files: "ADDRESS NAME [NAME...]", # comments ---- */

static void
hosts_line(struct locker *l, const struct source *src, uint32_t line, char *text)
{
	char *save = NULL, *addr = strtok_r(text, " \t", &save);
	struct net_cidr cidr;
	if (!addr || *addr == '#')
		return;
	if (net_parse_cidr(addr, &cidr) != NET_CIDR_OK || strchr(addr, '/')) {
		struct loc at = { src, line, 1, line, 1 + (uint32_t)strlen(addr) };
		diag_report(l->diags, DIAG_LOCK_BAD_ENTRY, &at, "\"%s\" is not an IP address", addr);
		return;
	}
	for (char *name = strtok_r(NULL, " \t", &save); name && *name != '#'; name = strtok_r(NULL, " \t", &save)) {
		struct host *host = arena_alloc(l->arena, sizeof(*host));
		*host = (struct host){ arena_strdup_lower(l->arena, name), cidr };
		vec_push(l->arena, &l->hosts, host);
	}
}

static bool
hosts_load(struct locker *l, const char *path)
{
	bool missing;
	struct source *src = source_read(l->arena, l->diags, path, path, LIMIT_LOCK_FILE_SIZE, NULL, &missing);
	if (missing)
		diag_report(l->diags, DIAG_IO_ERROR, NULL, "cannot read \"%s\": %s", path, strerror(ENOENT));
	if (!src)
		return false;
	l->hosts_display = path;
	for (uint32_t line = 1; line <= src->line_count; line++) {
		size_t len;
		const char *text = source_line(src, line, &len);
		hosts_line(l, src, line, arena_strndup(l->arena, text, len));
	}
	return !diag_has_errors(l->diags);
}

static void
hosts_lookup(struct locker *l, const char *domain, struct answer *out)
{
	out->resolver = arena_printf(l->arena, "hosts:%s", l->hosts_display);
	for (size_t i = 0; i < l->hosts.len; i++) {
		const struct host *host = vec_at(&l->hosts, i);
		if (strcmp(host->name, domain) == 0)
			vec_push(l->arena, &out->cidrs, (void *)&host->addr);
	}
}

/* ---- DNS: res_nquery, for the TTL getaddrinfo does not give ---- */

static const int lookup_types[] = { ns_t_a, ns_t_aaaa };

static void
dns_records(struct locker *l, const unsigned char *reply, int len, int type, struct answer *out)
{
	ns_msg msg;
	if (len <= 0 || ns_initparse(reply, len, &msg) != 0)
		return;
	for (int i = 0; i < ns_msg_count(msg, ns_s_an); i++) {
		ns_rr rr;
		if (ns_parserr(&msg, ns_s_an, i, &rr) != 0 || ns_rr_type(rr) != (ns_type)type)
			continue;
		struct net_cidr *cidr = arena_alloc(l->arena, sizeof(*cidr));
		bool v4 = type == ns_t_a;
		if (ns_rr_rdlen(rr) != (v4 ? 4 : 16))
			continue;
		cidr->family = v4 ? 4 : 6;
		cidr->prefix = v4 ? 32 : 128;
		memcpy(cidr->addr, ns_rr_rdata(rr), v4 ? 4 : 16);
		vec_push(l->arena, &out->cidrs, cidr);
		if (out->ttl < 0 || (long)ns_rr_ttl(rr) < out->ttl)
			out->ttl = (long)ns_rr_ttl(rr);
	}
}

static const char *
resolver_name(struct locker *l, const struct __res_state *state)
{
	char text[INET6_ADDRSTRLEN] = "system";
	if (state->nscount > 0 && state->nsaddr_list[0].sin_family == AF_INET)
		inet_ntop(AF_INET, &state->nsaddr_list[0].sin_addr, text, sizeof(text));
	return arena_printf(l->arena, "dns:%s", text);
}

/* ---- a server of lock-resolvers, asked over UDP ---- */

enum { SERVER_TIMEOUT_MS = 2000, SERVER_TRIES = 2 };

static socklen_t
server_address(const struct project_resolver *server, struct sockaddr_storage *out)
{
	memset(out, 0, sizeof(*out));
	if (server->addr.family == 4) {
		struct sockaddr_in *in = (struct sockaddr_in *)out;
		in->sin_family = AF_INET;
		in->sin_port = htons(server->port);
		memcpy(&in->sin_addr, server->addr.addr, 4);
		return sizeof(*in);
	}
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)out;
	in6->sin6_family = AF_INET6;
	in6->sin6_port = htons(server->port);
	memcpy(&in6->sin6_addr, server->addr.addr, 16);
	return sizeof(*in6);
}

/* The server's reply to query (the same ID, the response bit set), or -1
 * when it gave none in time. The socket is connected, so the kernel drops
 * what anyone else sends. */
static int
server_ask(const struct project_resolver *server, const unsigned char *query, int query_len,
	unsigned char *reply, size_t size)
{
	struct sockaddr_storage address;
	socklen_t address_len = server_address(server, &address);
	int fd = socket(address.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&address, address_len) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	int len = -1;
	for (int try = 0; try < SERVER_TRIES && len < 0; try++) {
		if (send(fd, query, (size_t)query_len, 0) != query_len)
			break;
		struct pollfd ready = { fd, POLLIN, 0 };
		while (len < 0 && poll(&ready, 1, SERVER_TIMEOUT_MS) > 0) {
			ssize_t got = recv(fd, reply, size, 0);
			if (got < 0 && errno != EINTR)
				break;
			if (got >= NS_HFIXEDSZ && reply[0] == query[0] && reply[1] == query[1] && (reply[2] & 0x80))
				len = (int)got;
		}
	}
	close(fd);
	return len;
}

/* Each server in turn until one answers both questions. */
static void
servers_lookup(struct locker *l, struct __res_state *state, const char *domain, struct answer *out)
{
	for (size_t i = 0; i < l->servers->len; i++) {
		const struct project_resolver *server = vec_at(l->servers, i);
		out->resolver = arena_printf(l->arena, "dns:%s", server->text);
		size_t answered = 0;
		for (size_t t = 0; t < 2; t++) {
			unsigned char query[NS_PACKETSZ], reply[NS_PACKETSZ * 16];
			int query_len = res_nmkquery(state, ns_o_query, domain, ns_c_in, lookup_types[t], NULL, 0, NULL,
				query, sizeof(query));
			int len = query_len > 0 ? server_ask(server, query, query_len, reply, sizeof(reply)) : -1;
			answered += len > 0;
			dns_records(l, reply, len, lookup_types[t], out);
		}
		if (answered == 2)
			return;
	}
}

static void
dns_lookup(struct locker *l, const char *domain, struct answer *out)
{
	struct __res_state state;
	memset(&state, 0, sizeof(state));
	out->resolver = "dns:system";
	if (res_ninit(&state) != 0)
		return;
	if (l->servers->len) {
		servers_lookup(l, &state, domain, out);
		res_nclose(&state);
		return;
	}
	out->resolver = resolver_name(l, &state);
	for (size_t t = 0; t < 2; t++) {
		unsigned char reply[NS_PACKETSZ * 16];
		int len = res_nquery(&state, domain, ns_c_in, lookup_types[t], reply, sizeof(reply));
		dns_records(l, reply, len, lookup_types[t], out);
	}
	res_nclose(&state);
}

static void
lookup(struct locker *l, const char *domain, struct answer *out)
{
	*out = (struct answer){ .ttl = -1 };
	if (l->options->hosts)
		hosts_lookup(l, domain, out);
	else
		dns_lookup(l, domain, out);
	vec_sort_unique(&out->cidrs, compare_cidrs);
}

/* ---- the new lock ---- */

static bool
same_cidrs(const struct vec *a, const struct vec *b)
{
	if (a->len != b->len)
		return false;
	for (size_t i = 0; i < a->len; i++)
		if (net_cidr_compare(vec_at(a, i), vec_at(b, i)) != 0)
			return false;
	return true;
}

static const char *
cidr_list(struct arena *arena, const struct vec *cidrs, const struct vec *without, char sign)
{
	const char *text = "";
	for (size_t i = 0; i < cidrs->len; i++) {
		bool elsewhere = false;
		for (size_t j = 0; without && j < without->len; j++)
			elsewhere |= net_cidr_compare(vec_at(cidrs, i), vec_at(without, j)) == 0;
		if (!elsewhere)
			text = arena_printf(arena, "%s %c%s", text, sign, net_format_cidr(arena, vec_at(cidrs, i)));
	}
	return text;
}

static void
add_field(struct arena *arena, struct lock_entry *entry, const char *key, const char *value)
{
	struct label *field = arena_alloc(arena, sizeof(*field));
	*field = (struct label){ key, value };
	vec_push(arena, &entry->fields, field);
}

static struct lock_entry *
resolved_entry(struct locker *l, const char *domain, const struct answer *answer)
{
	struct lock_entry *entry = arena_alloc(l->arena, sizeof(*entry));
	entry->domain = domain;
	entry->cidrs = answer->cidrs;
	entry->resolved = true;
	add_field(l->arena, entry, "resolved-at", when_format(l->arena, l->options->now));
	add_field(l->arena, entry, "resolver", answer->resolver);
	if (answer->ttl >= 0)
		add_field(l->arena, entry, "ttl", arena_printf(l->arena, "%ld", answer->ttl));
	return entry;
}

static const char unstable_hint[] =
	"a frozen address list breaks when they change again: use the vendor's published ranges "
	"in a hand entry, or the cilium backend, which names the domain";

/* A changed list is what a lookup and the lock disagree on: the lock had
 * frozen addresses that no longer answer, so it will go stale again. */
static void
warn_unstable(struct locker *l, const struct resolve_domain *d, const struct lock_entry *old)
{
	struct diag *diag = diag_report(l->diags, DIAG_LOCK_UNSTABLE, &d->loc,
		"the addresses of \"%s\" changed since the last lock", d->domain);
	diag_hint(diag, "%s", unstable_hint);
	diag_note(diag, &old->loc, "locked before here");
}

/* A lookup that fails now (a resolver down, say) keeps what the lock had,
 * so the rest of the lock can still be written without losing the entry. */
static void
keep_failed(struct locker *l, struct diag *diag, const struct lock_entry *old)
{
	if (!old)
		return;
	diag_note(diag, &old->loc, "the lock keeps what it locked here before");
	vec_push(l->arena, &l->entries, (void *)old);
}

static void
lock_domain(struct locker *l, const struct resolve_domain *d, const struct lock_entry *old)
{
	if (old && !old->resolved) {
		vec_push(l->arena, &l->entries, (void *)old);
		return;
	}
	if (d->domain[0] == '*') {
		struct diag *diag = diag_report(l->diags, DIAG_LOCK_WILDCARD, &d->loc,
			"\"%s\" is a wildcard, which no lookup can resolve", d->domain);
		diag_hint(diag, "add the vendor's published ranges by hand to the lock file, e.g. "
			"\"%s\": [203.0.113.0/24], or use the cilium backend", d->domain);
		keep_failed(l, diag, old);
		return;
	}
	struct answer answer, again;
	lookup(l, d->domain, &answer);
	/* A CDN-backed name answers differently from one lookup to the next. */
	if (!l->options->hosts) {
		lookup(l, d->domain, &again);
		if (!same_cidrs(&answer.cidrs, &again.cidrs))
			diag_hint(diag_report(l->diags, DIAG_LOCK_UNSTABLE, &d->loc,
				"\"%s\" answered differently on two lookups", d->domain), "%s", unstable_hint);
	}
	if (answer.cidrs.len == 0) {
		struct diag *diag = diag_report(l->diags, DIAG_LOCK_UNRESOLVED, &d->loc,
			"\"%s\" does not resolve (%s)", d->domain, answer.resolver);
		diag_hint(diag, "check the name, or add its addresses by hand to the lock file");
		keep_failed(l, diag, old);
		return;
	}
	if (old && same_cidrs(&old->cidrs, &answer.cidrs)) {
		vec_push(l->arena, &l->entries, (void *)old);
		return;
	}
	if (old)
		warn_unstable(l, d, old);
	vec_push(l->arena, &l->changes, arena_printf(l->arena, "%s %s:%s%s", old ? "~" : "+", d->domain,
		cidr_list(l->arena, &answer.cidrs, old ? &old->cidrs : NULL, '+'),
		old ? cidr_list(l->arena, &old->cidrs, &answer.cidrs, '-') : ""));
	vec_push(l->arena, &l->entries, resolved_entry(l, d->domain, &answer));
}

static bool
named(const struct vec *domains, const char *domain)
{
	for (size_t i = 0; i < domains->len; i++)
		if (strcmp(((const struct resolve_domain *)vec_at(domains, i))->domain, domain) == 0)
			return true;
	return false;
}

/* Entries no vendor names: hand entries stay, the lock's own go. */
static void
keep_unnamed(struct locker *l, const struct vec *domains, const struct lockfile *old)
{
	for (size_t i = 0; old && i < old->entries.len; i++) {
		const struct lock_entry *entry = vec_at(&old->entries, i);
		if (named(domains, entry->domain))
			continue;
		if (!entry->resolved) {
			vec_push(l->arena, &l->entries, (void *)entry);
			continue;
		}
		vec_push(l->arena, &l->changes, arena_printf(l->arena, "- %s: no vendor names it", entry->domain));
	}
}

/* ---- writing ---- */

static bool
all_digits(const char *text)
{
	for (const char *c = text; *c; c++)
		if (!isdigit((unsigned char)*c))
			return false;
	return *text != '\0';
}

static void
emit_entry(struct arena *arena, struct emit *e, const struct lock_entry *entry)
{
	emit_str(e, entry->domain);
	bool plain = entry->fields.len == 0;
	if (!plain) {
		emit_map_begin(e);
		emit_word(e, "addresses");
	}
	emit_seq_begin(e);
	for (size_t i = 0; i < entry->cidrs.len; i++)
		emit_str(e, net_format_cidr(arena, vec_at(&entry->cidrs, i)));
	emit_seq_end(e);
	for (size_t i = 0; i < entry->fields.len; i++) {
		const struct label *field = vec_at(&entry->fields, i);
		if (strcmp(field->key, "ttl") == 0 && all_digits(field->value))
			emit_pair_int(e, field->key, atol(field->value));
		else
			emit_pair_str(e, field->key, field->value);
	}
	if (!plain)
		emit_map_end(e);
}

static int
compare_entries(const void *a, const void *b)
{
	return strcmp((*(const struct lock_entry *const *)a)->domain,
		(*(const struct lock_entry *const *)b)->domain);
}

/* The whole file through a temporary one and a rename, so a reader never
 * sees half a lock. */
static bool
write_lock(struct locker *l, const struct project_path *path)
{
	struct emit *e = emit_create_with(lock_header);
	if (!e)
		return false;
	emit_document_begin(e);
	emit_map_begin(e);
	for (size_t i = 0; i < l->entries.len; i++)
		emit_entry(l->arena, e, vec_at(&l->entries, i));
	emit_map_end(e);
	emit_document_end(e);
	const char *data;
	size_t len;
	bool ok = emit_finish(e, l->arena, &data, &len);
	emit_destroy(e);
	ok = ok && fswalk_replace_file(l->arena, path->fs, data, len, -1);
	if (!ok)
		diag_report(l->diags, DIAG_IO_ERROR, NULL, "cannot write \"%s\": %s", path->display, strerror(errno));
	return ok;
}

bool
locker_run(struct arena *arena, struct diag_set *diags, const struct project *project,
	const struct vec *domains, const struct lockfile *old, const struct locker_options *options,
	FILE *report, bool *changed)
{
	struct locker l = { .arena = arena, .diags = diags, .options = options, .servers = &project->lock_resolvers };
	if (options->hosts && !hosts_load(&l, options->hosts))
		return false;
	for (size_t i = 0; i < domains->len; i++) {
		const struct resolve_domain *d = vec_at(domains, i);
		lock_domain(&l, d, lockfile_find(old, d->domain));
	}
	keep_unnamed(&l, domains, old);
	vec_sort(&l.entries, compare_entries);
	/* A lock the project names is created even empty, so the first step
	 * of a new project leaves the file that later diffs show growing. */
	bool created = !old->src && (domains->len > 0 || project->lock_named);
	*changed = l.changes.len > 0 || created;
	/* The failed domains are reported; the others are written all the same. */
	bool failed = diag_has_errors(diags);
	for (size_t i = 0; i < l.changes.len; i++)
		fprintf(report, "%s\n", (const char *)vec_at(&l.changes, i));
	if (created && l.entries.len == 0)
		fprintf(report, "+ %s: created, empty\n", project->lock.display);
	if (!*changed && !failed)
		fprintf(report, "%s is up to date\n", project->lock.display);
	bool written = options->check || !*changed || write_lock(&l, &project->lock);
	return written && !failed;
}
