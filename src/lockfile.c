#include "vendorc/lockfile.h"

#include "vendorc/diag.h"
#include "vendorc/limits.h"
#include "vendorc/project.h"
#include "vendorc/ynode.h"

#include <stdarg.h>
#include <string.h>
#include <strings.h>

struct lockfile_reader {
	struct arena *arena;
	struct diag_set *diags;
	struct lockfile *lock;
};

static struct diag *lockfile_bad(struct lockfile_reader *r, const struct ynode *node,
	const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static struct diag *
lockfile_bad(struct lockfile_reader *r, const struct ynode *node, const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	const char *message = arena_vprintf(r->arena, fmt, args);
	va_end(args);
	return diag_report(r->diags, DIAG_LOCK_BAD_ENTRY, &node->loc, "%s", message);
}

static int
lockfile_cidr_compare(const void *a, const void *b)
{
	return net_cidr_compare(*(const struct net_cidr *const *)a,
		*(const struct net_cidr *const *)b);
}

static void
lockfile_add_cidr(struct lockfile_reader *r, const struct ynode *node, struct vec *cidrs)
{
	const char *text = ynode_string(node);
	if (!text) {
		lockfile_bad(r, node, "an address must be a CIDR string");
		return;
	}
	struct net_cidr *cidr = arena_alloc(r->arena, sizeof(*cidr));
	switch (net_parse_cidr(text, cidr)) {
	case NET_CIDR_OK:
		vec_push(r->arena, cidrs, cidr);
		return;
	case NET_CIDR_SYNTAX:
		lockfile_bad(r, node, "\"%s\" is not a CIDR", text);
		return;
	case NET_CIDR_PREFIX:
		lockfile_bad(r, node, "\"%s\" has a bad prefix length", text);
		return;
	case NET_CIDR_HOST_BITS:
		diag_hint(lockfile_bad(r, node, "\"%s\" has host bits set", text),
			"%s", net_host_bits_hint(r->arena, text));
		return;
	}
}

/* Plain form: a sequence of CIDRs; recorded form: a mapping whose
 * "addresses" is that sequence (the other keys describe the lookup). */
/* A mapping entry's keys besides addresses: what `vendorc lock` recorded
 * (resolver, resolved-at, ttl), or a hand entry's notes, kept as written. */
static void
lockfile_read_fields(struct lockfile_reader *r, const struct ynode *map, struct lock_entry *entry)
{
	for (size_t i = 0; i < map->count; i++) {
		const char *key = ynode_string(map->items[2 * i]);
		const char *value = ynode_string(map->items[2 * i + 1]);
		if (!key || strcmp(key, "addresses") == 0 || map->items[2 * i + 1]->kind != YNODE_SCALAR)
			continue;
		entry->resolved |= strcmp(key, "resolver") == 0;
		struct label *field = arena_alloc(r->arena, sizeof(*field));
		*field = (struct label){ key, value ? value : "" };
		vec_push(r->arena, &entry->fields, field);
	}
}

static void
lockfile_read_entry(struct lockfile_reader *r, const struct ynode *key,
	const struct ynode *value)
{
	const char *domain = ynode_string(key);
	if (!domain || !*domain) {
		lockfile_bad(r, key, "a lock file key must be a domain name");
		return;
	}
	const struct ynode *addresses = value;
	if (value->kind == YNODE_MAPPING && !(addresses = ynode_get(value, "addresses"))) {
		lockfile_bad(r, value, "the entry for \"%s\" has no \"addresses\"", domain);
		return;
	}
	if (addresses->kind != YNODE_SEQUENCE) {
		lockfile_bad(r, addresses, "the addresses of \"%s\" must be a sequence of CIDRs",
			domain);
		return;
	}
	struct lock_entry *entry = arena_alloc(r->arena, sizeof(*entry));
	entry->domain = arena_strdup_lower(r->arena, domain);
	entry->loc = key->loc;
	if (value->kind == YNODE_MAPPING)
		lockfile_read_fields(r, value, entry);
	for (size_t i = 0; i < addresses->count; i++)
		lockfile_add_cidr(r, addresses->items[i], &entry->cidrs);
	vec_sort_unique(&entry->cidrs, lockfile_cidr_compare);
	vec_push(r->arena, &r->lock->entries, entry);
}

/* By domain, then by place, so the first written of two equal keys leads. */
static int
lockfile_entry_compare(const void *a, const void *b)
{
	const struct lock_entry *x = *(const struct lock_entry *const *)a;
	const struct lock_entry *y = *(const struct lock_entry *const *)b;
	int by_domain = strcmp(x->domain, y->domain);
	return by_domain ? by_domain : loc_compare(&x->loc, &y->loc);
}

/* YAML already refuses equal keys; this catches keys equal but for case. */
static void
lockfile_check_duplicates(struct lockfile_reader *r)
{
	struct vec *entries = &r->lock->entries;
	vec_sort(entries, lockfile_entry_compare);
	for (size_t i = 1; i < entries->len; i++) {
		const struct lock_entry *prev = vec_at(entries, i - 1), *entry = vec_at(entries, i);
		if (strcmp(prev->domain, entry->domain) != 0)
			continue;
		struct diag *d = diag_report(r->diags, DIAG_LOCK_BAD_ENTRY, &entry->loc,
			"duplicate domain \"%s\"", entry->domain);
		diag_note(d, &prev->loc, "\"%s\" first appears here", prev->domain);
	}
}

static void
lockfile_read_root(struct lockfile_reader *r, const struct vec *docs)
{
	if (docs->len == 0)
		return;
	const struct ynode *root = vec_at(docs, 0);
	if (docs->len > 1)
		lockfile_bad(r, vec_at(docs, 1), "the lock file must hold one YAML document");
	if (root->kind != YNODE_MAPPING) {
		lockfile_bad(r, root, "the lock file must be a mapping from domain to addresses");
		return;
	}
	for (size_t i = 0; i < root->count; i++)
		lockfile_read_entry(r, root->items[2 * i], root->items[2 * i + 1]);
	lockfile_check_duplicates(r);
}

/* NULL with nothing reported: the file is missing and may be. */
static struct source *
lockfile_read_source(struct arena *arena, struct diag_set *diags,
	const struct project_path *path, bool must_exist)
{
	bool missing;
	struct source *src = source_read(arena, diags, path->fs, path->display,
		LIMIT_LOCK_FILE_SIZE, &path->loc, &missing);
	if (missing && must_exist)
		diag_hint(diag_report(diags, DIAG_PATH_NOT_FOUND, &path->loc,
			"lock file \"%s\" does not exist", path->display),
			"run \"vendorc lock\" to create it");
	return src;
}

static size_t
lockfile_errors(const struct diag_set *diags)
{
	return diag_count(diags, DIAG_ERROR) + diag_count(diags, DIAG_FATAL);
}

struct lockfile *
lockfile_load(struct arena *arena, struct diag_set *diags,
	const struct project_path *path, bool must_exist)
{
	size_t errors = lockfile_errors(diags);
	const struct source *src = lockfile_read_source(arena, diags, path, must_exist);
	if (src)
		return lockfile_from_source(arena, diags, src);
	return lockfile_errors(diags) == errors ? arena_alloc(arena, sizeof(struct lockfile)) : NULL;
}

struct lockfile *
lockfile_from_source(struct arena *arena, struct diag_set *diags, const struct source *src)
{
	size_t errors = lockfile_errors(diags);
	struct lockfile *lock = arena_alloc(arena, sizeof(*lock));
	lock->src = src;
	struct lockfile_reader r = { arena, diags, lock };
	struct vec docs = { 0 };
	if (ynode_load(arena, diags, src, &docs))
		lockfile_read_root(&r, &docs);
	return lockfile_errors(diags) == errors ? lock : NULL;
}

const struct lock_entry *
lockfile_find(const struct lockfile *lock, const char *domain)
{
	size_t lo = 0, hi = lock->entries.len;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct lock_entry *entry = vec_at(&lock->entries, mid);
		int order = strcasecmp(domain, entry->domain);
		if (order == 0)
			return entry;
		if (order < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
