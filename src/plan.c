#include "vendorc/plan.h"

#include "vendorc/arena.h"
#include "vendorc/backend.h"
#include "vendorc/catalog.h"
#include "vendorc/diag.h"
#include "vendorc/json.h"
#include "vendorc/net.h"
#include "vendorc/project.h"
#include "vendorc/selector.h"
#include "vendorc/source.h"
#include "vendorc/ynode.h"

#include <string.h>

/* One line of a plan and the lines under it. */
struct plan_item {
	char action;              /* '+' added, '-' removed, '~' changed */
	const char *what;         /* "file", "object", "selects", "rule", "peer", "port", "field" */
	const char *text;         /* the line without its mark */
	const char *kind;         /* objects: kind and namespace ("" when absent) */
	const char *ns;
	const char *name;         /* files and objects ("" when absent) */
	const char *vendor;       /* files: the vendor their objects name, or NULL */
	const char *path;         /* fields: where, and the values (NULL when absent) */
	const char *old_value;
	const char *new_value;
	struct vec children;      /* struct plan_item * */
};

/* The changed files of one vendor, or (vendor NULL) of no vendor. */
struct plan_group {
	const char *vendor;
	struct vec files;         /* struct plan_item *, by name */
};

enum plan_count { PLAN_ADDED, PLAN_CHANGED, PLAN_REMOVED, PLAN_COUNTS };

struct plan {
	const char *dir;
	struct vec groups;        /* struct plan_group *: vendors by name, then the shared one */
	size_t files[PLAN_COUNTS];
	size_t objects[PLAN_COUNTS];
};

/* One YAML document of a generated file and what identifies it. */
struct plan_object {
	const char *key;          /* "kind ns/name": objects are matched and ordered by it */
	const char *kind;
	const char *ns;
	const char *name;
	const char *vendor;       /* its vendorc.io/vendor label, or NULL */
	const struct ynode *doc;
};

/* A leaf of a document: its path ("spec.podSelector.matchLabels.app") and
 * value. Items of a sequence of scalars share the path "...[]", so such a
 * sequence compares as a set (kustomization resources, policyTypes). */
struct plan_field {
	const char *path;
	const char *value;
};

struct planner {
	struct arena *arena;
	/* What compile made must read back (a failure is a bug); what is on
	 * disk need not, since compile replaces it whatever it holds: its
	 * problems go to a set nobody prints. */
	struct diag_set *diags;
	struct diag_set *disk_diags;
	const struct project_path *dir;
	struct plan *plan;
	struct vec changed_files; /* struct plan_item * */
	bool ok;
};

static struct plan_item *
item_new(struct arena *arena, char action, const char *what, const char *text)
{
	struct plan_item *item = arena_alloc(arena, sizeof(*item));
	item->action = action;
	item->what = what;
	item->text = text;
	return item;
}

static enum plan_count
count_of(char action)
{
	return action == '+' ? PLAN_ADDED : action == '-' ? PLAN_REMOVED : PLAN_CHANGED;
}

static const char *
or_empty(const char *text)
{
	return text ? text : "";
}

/* ---- objects and their fields ---- */

static int
compare_objects(const void *a, const void *b)
{
	return strcmp((*(const struct plan_object *const *)a)->key,
		(*(const struct plan_object *const *)b)->key);
}

static struct plan_object *
object_of(struct arena *arena, const struct ynode *doc)
{
	const struct ynode *meta = ynode_get(doc, "metadata");
	struct plan_object *object = arena_alloc(arena, sizeof(*object));
	object->doc = doc;
	object->kind = or_empty(ynode_string(ynode_get(doc, "kind")));
	object->ns = or_empty(ynode_string(ynode_get(meta, "namespace")));
	object->name = or_empty(ynode_string(ynode_get(meta, "name")));
	object->vendor = ynode_string(ynode_get(ynode_get(meta, "labels"), "vendorc.io/vendor"));
	object->key = arena_printf(arena, "%s %s/%s", object->kind, object->ns, object->name);
	return object;
}

/* The documents of file (none for NULL), by key; false when it is no YAML. */
static bool
read_objects(struct planner *p, const struct backend_file *file, bool on_disk, struct vec *objects)
{
	struct vec docs = { 0 };
	if (!file)
		return true;
	struct project_path path = project_child(p->arena, p->dir, file->name);
	struct source *src = source_from_text(p->arena, path.display, file->data, file->len);
	if (!ynode_load(p->arena, on_disk ? p->disk_diags : p->diags, src, &docs)) {
		p->ok &= on_disk;
		return false;
	}
	for (size_t i = 0; i < docs.len; i++)
		vec_push(p->arena, objects, object_of(p->arena, vec_at(&docs, i)));
	vec_sort(objects, compare_objects);
	return true;
}

static bool
is_plain_key(const char *key)
{
	return *key && strspn(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
		== strlen(key);
}

static const char *
child_path(struct arena *arena, const char *path, const char *key)
{
	if (!is_plain_key(key))
		return arena_printf(arena, "%s[\"%s\"]", path, key);
	return *path ? arena_printf(arena, "%s.%s", path, key) : key;
}

static void
push_field(struct arena *arena, struct vec *fields, const char *path, const char *value)
{
	struct plan_field *field = arena_alloc(arena, sizeof(*field));
	*field = (struct plan_field){ path, value };
	vec_push(arena, fields, field);
}

static void
flatten(struct arena *arena, const struct ynode *node, const char *path, struct vec *fields)
{
	if (node->kind == YNODE_SCALAR) {
		push_field(arena, fields, path, or_empty(node->scalar));
		return;
	}
	if (node->count == 0)
		push_field(arena, fields, path, node->kind == YNODE_MAPPING ? "{}" : "[]");
	for (size_t i = 0; node->kind == YNODE_MAPPING && i < node->count; i++)
		flatten(arena, node->items[2 * i + 1],
			child_path(arena, path, or_empty(node->items[2 * i]->scalar)), fields);
	for (size_t i = 0; node->kind == YNODE_SEQUENCE && i < node->count; i++) {
		const struct ynode *item = node->items[i];
		flatten(arena, item, item->kind == YNODE_SCALAR ? arena_printf(arena, "%s[]", path)
			: arena_printf(arena, "%s[%zu]", path, i), fields);
	}
}

static int
compare_fields(const void *a, const void *b)
{
	const struct plan_field *x = *(const struct plan_field *const *)a;
	const struct plan_field *y = *(const struct plan_field *const *)b;
	int by_path = strcmp(x->path, y->path);
	return by_path ? by_path : strcmp(x->value, y->value);
}

static struct vec
fields_of(struct arena *arena, const struct ynode *doc)
{
	struct vec fields = { 0 };
	flatten(arena, doc, "", &fields);
	vec_sort(&fields, compare_fields);
	return fields;
}

static bool
same_fields(const struct vec *a, const struct vec *b)
{
	for (size_t i = 0; a->len == b->len && i < a->len; i++)
		if (compare_fields(&a->items[i], &b->items[i]) != 0)
			return false;
	return a->len == b->len;
}

/* A NetworkPolicy's rules (and a Cilium policy's) are compared as rules,
 * not as fields. */
static bool
is_rule_field(const char *path)
{
	static const char *const keys[] = { "spec.ingress", "spec.egress", "spec.ingressDeny", "spec.egressDeny" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
		size_t len = strlen(keys[i]);
		if (strncmp(path, keys[i], len) == 0 && (path[len] == '[' || path[len] == '\0'))
			return true;
	}
	return false;
}

static struct plan_item *
field_item(struct arena *arena, char action, const struct plan_field *old, const struct plan_field *new)
{
	const struct plan_field *any = old ? old : new;
	const char *text = old && new
		? arena_printf(arena, "%s: %s -> %s", any->path, old->value, new->value)
		: arena_printf(arena, "%s: %s", any->path, any->value);
	struct plan_item *item = item_new(arena, action, "field", text);
	item->path = any->path;
	item->old_value = old ? old->value : NULL;
	item->new_value = new ? new->value : NULL;
	return item;
}

/* The fields only one side has, each sorted, without the rules when
 * rules_apart. */
static void
one_sided(struct arena *arena, const struct vec *a, const struct vec *b, bool rules_apart,
	struct vec *only_a)
{
	for (size_t i = 0, j = 0; i < a->len; i++) {
		while (j < b->len && compare_fields(&b->items[j], &a->items[i]) < 0)
			j++;
		const struct plan_field *field = vec_at(a, i);
		bool in_b = j < b->len && compare_fields(&b->items[j], &a->items[i]) == 0;
		if (!in_b && !(rules_apart && is_rule_field(field->path)))
			vec_push(arena, only_a, (void *)field);
	}
}

/* Fields removed, added, and changed (one value at a path that is no set
 * on both sides), in path order. */
static void
diff_fields(struct arena *arena, const struct vec *old, const struct vec *new, bool rules_apart,
	struct vec *out)
{
	struct vec gone = { 0 }, came = { 0 };
	one_sided(arena, old, new, rules_apart, &gone);
	one_sided(arena, new, old, rules_apart, &came);
	size_t i = 0, j = 0;
	while (i < gone.len || j < came.len) {
		const struct plan_field *o = i < gone.len ? vec_at(&gone, i) : NULL;
		const struct plan_field *n = j < came.len ? vec_at(&came, j) : NULL;
		int order = !o ? 1 : !n ? -1 : strcmp(o->path, n->path);
		size_t len = o ? strlen(o->path) : 0;
		if (order == 0 && !(len >= 2 && strcmp(o->path + len - 2, "[]") == 0)) {
			vec_push(arena, out, field_item(arena, '~', o, n));
			i++, j++;
		} else if (order <= 0) {
			vec_push(arena, out, field_item(arena, '-', o, NULL));
			i++;
		} else {
			vec_push(arena, out, field_item(arena, '+', NULL, n));
			j++;
		}
	}
}

/* ---- NetworkPolicy rules ---- */

/* A rule as plan shows it: its peers and ports as sorted texts. */
struct plan_rule {
	const char *dir;          /* "ingress" or "egress" (Cilium: also "ingress deny", "egress deny") */
	struct vec peers;         /* const char * */
	struct vec ports;
	const char *peers_text;
	const char *ports_text;
	const char *text;
	bool matched;
	/* ClusterNetworkPolicy rules only: order and names matter there. */
	const char *name;         /* NULL when the rule has none */
	const char *label;        /* "rule \"NAME\"", or "rule 3" without a name */
	const char *content;      /* "Pass to PEERS on PORTS" */
	size_t place;             /* 1-based, within its direction */
	struct plan_rule *partner;
};

static const char *
join(struct arena *arena, const struct vec *texts, const char *separator, const char *none)
{
	if (texts->len == 0)
		return none;
	const char *text = vec_at(texts, 0);
	for (size_t i = 1; i < texts->len; i++)
		text = arena_printf(arena, "%s%s%s", text, separator, (const char *)vec_at(texts, i));
	return text;
}

static bool
is_ingress(const char *dir)
{
	return strncmp(dir, "ingress", strlen("ingress")) == 0;
}

static void
sort_rule_texts(struct plan_rule *view)
{
	vec_sort_unique(&view->peers, vec_compare_strings);
	vec_sort_unique(&view->ports, vec_compare_strings);
}

/* The rule's texts once its peers and ports are in. */
static struct plan_rule *
finish_rule(struct arena *arena, struct plan_rule *view)
{
	sort_rule_texts(view);
	view->peers_text = join(arena, &view->peers, " or ", "anywhere");
	view->ports_text = join(arena, &view->ports, ", ", "every port");
	view->text = arena_printf(arena, "%s %s %s on %s", view->dir, is_ingress(view->dir) ? "from" : "to",
		view->peers_text, view->ports_text);
	return view;
}

static struct plan_rule *
rule_of(struct arena *arena, const struct netpol_rule *rule, const char *dir, const char *ns)
{
	struct plan_rule *view = arena_alloc(arena, sizeof(*view));
	view->dir = dir;
	for (size_t i = 0; i < rule->peers.len; i++)
		vec_push(arena, &view->peers, (void *)netpol_peer_text(arena, vec_at(&rule->peers, i), ns));
	for (size_t i = 0; i < rule->ports.len; i++)
		vec_push(arena, &view->ports, (void *)netpol_port_text(arena, vec_at(&rule->ports, i)));
	return finish_rule(arena, view);
}

/* Both directions' rules of a policy, ingress first. */
static struct vec
rules_of(struct arena *arena, const struct netpol *np)
{
	struct vec rules = { 0 };
	for (size_t i = 0; i < np->ingress_rules.len; i++)
		vec_push(arena, &rules, rule_of(arena, vec_at(&np->ingress_rules, i), "ingress", np->ns));
	for (size_t i = 0; i < np->egress_rules.len; i++)
		vec_push(arena, &rules, rule_of(arena, vec_at(&np->egress_rules, i), "egress", np->ns));
	return rules;
}

static bool
contains(const struct vec *sorted, const char *text)
{
	return vec_find(sorted, text, vec_string_order) != NULL;
}

/* The texts of a missing from b as mark lines of kind what. */
static void
diff_texts(struct arena *arena, const struct vec *a, const struct vec *b, char mark,
	const char *what, struct vec *out)
{
	for (size_t i = 0; i < a->len; i++)
		if (!contains(b, vec_at(a, i)))
			vec_push(arena, out, item_new(arena, mark, what, vec_at(a, i)));
}

/* The unmatched rule of rules in the same direction whose peers (or, with
 * by_ports, ports) read the same as rule's. */
static struct plan_rule *
partner(const struct vec *rules, const struct plan_rule *rule, bool by_ports)
{
	for (size_t i = 0; i < rules->len; i++) {
		struct plan_rule *other = vec_at(rules, i);
		if (!other->matched && strcmp(other->dir, rule->dir) == 0
			&& strcmp(by_ports ? other->ports_text : other->peers_text,
				by_ports ? rule->ports_text : rule->peers_text) == 0)
			return other;
	}
	return NULL;
}

static struct plan_item *
changed_rule(struct arena *arena, const struct plan_rule *old, const struct plan_rule *new,
	bool by_ports)
{
	const char *text = by_ports ? arena_printf(arena, "%s rule on %s", old->dir, old->ports_text)
		: arena_printf(arena, "%s rule %s %s", old->dir,
			is_ingress(old->dir) ? "from" : "to", old->peers_text);
	struct plan_item *item = item_new(arena, '~', "rule", text);
	const struct vec *olds = by_ports ? &old->peers : &old->ports;
	const struct vec *news = by_ports ? &new->peers : &new->ports;
	const char *what = by_ports ? "peer" : "port";
	diff_texts(arena, olds, news, '-', what, &item->children);
	diff_texts(arena, news, olds, '+', what, &item->children);
	return item;
}

/* Rules are matched whole first; a rule left over is matched with one of
 * the same peers (its ports changed) or the same ports (its peers
 * changed); any other is removed or added whole. */
static void
diff_rules(struct arena *arena, const struct vec *old, const struct vec *new, struct vec *out)
{
	for (size_t i = 0; i < old->len; i++) {
		struct plan_rule *rule = vec_at(old, i);
		for (size_t j = 0; !rule->matched && j < new->len; j++) {
			struct plan_rule *other = vec_at(new, j);
			if (!other->matched && strcmp(rule->text, other->text) == 0)
				rule->matched = other->matched = true;
		}
	}
	for (size_t i = 0; i < old->len; i++) {
		struct plan_rule *rule = vec_at(old, i), *other = NULL;
		bool by_ports = false;
		if (rule->matched)
			continue;
		if (!(other = partner(new, rule, false)))
			other = partner(new, rule, by_ports = true);
		rule->matched = true;
		if (other)
			other->matched = true;
		vec_push(arena, out, other ? changed_rule(arena, rule, other, by_ports)
			: item_new(arena, '-', "rule", rule->text));
	}
	for (size_t j = 0; j < new->len; j++)
		if (!((struct plan_rule *)vec_at(new, j))->matched)
			vec_push(arena, out, item_new(arena, '+', "rule", ((struct plan_rule *)vec_at(new, j))->text));
}

/* ---- ClusterNetworkPolicy rules ---- */

static const char *const action_names[] = {
	[CLUSTERPOL_ACCEPT] = "Accept", [CLUSTERPOL_DENY] = "Deny", [CLUSTERPOL_PASS] = "Pass",
};

static struct plan_rule *
cnp_rule_of(struct arena *arena, const struct clusterpol_rule *rule, const char *dir)
{
	struct plan_rule *view = arena_alloc(arena, sizeof(*view));
	view->dir = dir;
	for (size_t i = 0; i < rule->peers.len; i++)
		vec_push(arena, &view->peers, (void *)clusterpol_peer_text(arena, vec_at(&rule->peers, i)));
	for (size_t i = 0; i < rule->ports.len; i++)
		vec_push(arena, &view->ports, (void *)clusterpol_port_text(arena, vec_at(&rule->ports, i)));
	sort_rule_texts(view);
	view->name = rule->name;
	view->place = rule->index + 1;
	view->label = rule->name ? arena_printf(arena, "rule \"%s\"", rule->name)
		: arena_printf(arena, "rule %zu", view->place);
	view->content = arena_printf(arena, "%s %s %s on %s", action_names[rule->action],
		is_ingress(dir) ? "from" : "to", join(arena, &view->peers, " or ", "nothing"),
		join(arena, &view->ports, ", ", "every port"));
	view->text = arena_printf(arena, "%s %s: %s", dir, view->label, view->content);
	return view;
}

static struct vec
cnp_rules_of(struct arena *arena, const struct vec *rules, const char *dir)
{
	struct vec views = { 0 };
	for (size_t i = 0; i < rules->len; i++)
		vec_push(arena, &views, cnp_rule_of(arena, vec_at(rules, i), dir));
	return views;
}

static bool
same_name(const struct plan_rule *a, const struct plan_rule *b)
{
	return a->name && b->name && strcmp(a->name, b->name) == 0;
}

static bool
same_content(const struct plan_rule *a, const struct plan_rule *b)
{
	return strcmp(a->content, b->content) == 0;
}

static bool
same_rule(const struct plan_rule *a, const struct plan_rule *b)
{
	return same_name(a, b) && same_content(a, b);
}

/* Pairs each unpaired old rule with the first unpaired new one that is
 * alike. */
static void
pair_rules(const struct vec *old, const struct vec *new,
	bool (*alike)(const struct plan_rule *, const struct plan_rule *))
{
	for (size_t i = 0; i < old->len; i++) {
		struct plan_rule *rule = vec_at(old, i);
		for (size_t j = 0; !rule->partner && j < new->len; j++) {
			struct plan_rule *other = vec_at(new, j);
			if (!other->partner && alike(rule, other))
				rule->partner = other, other->partner = rule;
		}
	}
}

/* Marks moved[i] for the paired old rules outside a longest run whose new
 * places keep their old order: inserting or deleting a rule moves none,
 * swapping two moves one. */
static void
find_moves(struct arena *arena, const struct vec *old, bool *moved)
{
	size_t n = old->len, best_end = n;
	size_t *length = arena_alloc(arena, (n + 1) * sizeof(*length));
	size_t *before = arena_alloc(arena, (n + 1) * sizeof(*before));
	for (size_t i = 0; i < n; i++) {
		const struct plan_rule *rule = vec_at(old, i);
		moved[i] = rule->partner != NULL;
		if (!rule->partner)
			continue;
		length[i] = 1, before[i] = n;
		for (size_t k = 0; k < i; k++) {
			const struct plan_rule *earlier = vec_at(old, k);
			if (earlier->partner && earlier->partner->place < rule->partner->place
				&& length[k] + 1 > length[i])
				length[i] = length[k] + 1, before[i] = k;
		}
		if (best_end == n || length[i] > length[best_end])
			best_end = i;
	}
	for (size_t i = best_end; i != n; i = before[i])
		moved[i] = false;
}

static struct plan_item *
changed_cnp_rule(struct arena *arena, const struct plan_rule *old, bool moved)
{
	const struct plan_rule *new = old->partner;
	if (!moved && same_rule(old, new))
		return NULL;
	const char *text = arena_printf(arena, "%s %s", old->dir, old->label);
	if (!same_name(old, new) && (old->name || new->name))
		text = arena_printf(arena, "%s is now %s", text, new->label);
	if (moved)
		text = arena_printf(arena, "%s, moved from place %zu to %zu", text, old->place, new->place);
	struct plan_item *item = item_new(arena, '~', "rule", text);
	if (same_content(old, new))
		return item;
	const char *old_action = arena_strndup(arena, old->content, strcspn(old->content, " "));
	const char *new_action = arena_strndup(arena, new->content, strcspn(new->content, " "));
	if (strcmp(old_action, new_action) != 0) {
		vec_push(arena, &item->children, item_new(arena, '-', "action", arena_printf(arena, "action %s", old_action)));
		vec_push(arena, &item->children, item_new(arena, '+', "action", arena_printf(arena, "action %s", new_action)));
	}
	diff_texts(arena, &old->peers, &new->peers, '-', "peer", &item->children);
	diff_texts(arena, &new->peers, &old->peers, '+', "peer", &item->children);
	diff_texts(arena, &old->ports, &new->ports, '-', "port", &item->children);
	diff_texts(arena, &new->ports, &old->ports, '+', "port", &item->children);
	return item;
}

/* Rules are paired whole, then by content (a rule renamed, as when a line
 * is inserted above it in the vendor file), then by name (a rule whose
 * peers, ports or action changed); a paired rule whose place breaks the
 * old order is moved, since the first matching rule decides. */
static void
diff_cnp_rules(struct arena *arena, const struct vec *old, const struct vec *new, struct vec *out)
{
	pair_rules(old, new, same_rule);
	pair_rules(old, new, same_content);
	pair_rules(old, new, same_name);
	bool *moved = arena_alloc(arena, (old->len + 1) * sizeof(*moved));
	find_moves(arena, old, moved);
	for (size_t i = 0; i < old->len; i++) {
		const struct plan_rule *rule = vec_at(old, i);
		struct plan_item *item = rule->partner ? changed_cnp_rule(arena, rule, moved[i])
			: item_new(arena, '-', "rule", rule->text);
		if (item)
			vec_push(arena, out, item);
	}
	for (size_t j = 0; j < new->len; j++)
		if (!((struct plan_rule *)vec_at(new, j))->partner)
			vec_push(arena, out, item_new(arena, '+', "rule", ((struct plan_rule *)vec_at(new, j))->text));
}

/* The diagnostics to read OBJECT into, NULL when it is not of KIND. A
 * generated object vendorc cannot read back fails the plan; one on disk that
 * it cannot read is compared field by field. */
static struct diag_set *
reader_diags(struct planner *p, const struct plan_object *object, const char *kind, bool on_disk)
{
	if (!object || strcmp(object->kind, kind) != 0)
		return NULL;
	return on_disk ? p->disk_diags : p->diags;
}

static struct clusterpol *
read_clusterpol(struct planner *p, const struct plan_object *object, bool on_disk)
{
	struct diag_set *diags = reader_diags(p, object, "ClusterNetworkPolicy", on_disk);
	struct clusterpol *cp = diags ? catalog_read_clusterpol(p->arena, diags, object->doc) : NULL;
	p->ok &= cp != NULL || on_disk || !diags;
	return cp;
}

/* An added or removed policy: what it selects and every rule, so that
 * offboarding shows each access that goes. */
static void
list_rules(struct arena *arena, const char *selects, const struct vec *rules, char mark, struct vec *out)
{
	vec_push(arena, out, item_new(arena, mark, "selects", arena_printf(arena, "selects %s", selects)));
	for (size_t i = 0; i < rules->len; i++)
		vec_push(arena, out, item_new(arena, mark, "rule", ((struct plan_rule *)vec_at(rules, i))->text));
}

static void
list_clusterpol(struct arena *arena, const struct clusterpol *cp, char mark, struct vec *out)
{
	struct vec rules = cnp_rules_of(arena, &cp->ingress_rules, "ingress");
	struct vec egress = cnp_rules_of(arena, &cp->egress_rules, "egress");
	for (size_t i = 0; i < egress.len; i++)
		vec_push(arena, &rules, vec_at(&egress, i));
	list_rules(arena, clusterpol_subject_text(arena, cp), &rules, mark, out);
}

static void
diff_clusterpol(struct arena *arena, const struct clusterpol *old, const struct clusterpol *new,
	struct vec *out)
{
	const struct vec *const olds[] = { &old->ingress_rules, &old->egress_rules };
	const struct vec *const news[] = { &new->ingress_rules, &new->egress_rules };
	for (size_t d = 0; d < 2; d++) {
		const char *dir = d == 0 ? "ingress" : "egress";
		struct vec old_rules = cnp_rules_of(arena, olds[d], dir), new_rules = cnp_rules_of(arena, news[d], dir);
		diff_cnp_rules(arena, &old_rules, &new_rules, out);
	}
}

static struct netpol *
read_netpol(struct planner *p, const struct plan_object *object, bool on_disk)
{
	struct diag_set *diags = reader_diags(p, object, "NetworkPolicy", on_disk);
	struct netpol *np = diags ? catalog_read_netpol(p->arena, diags, object->doc) : NULL;
	p->ok &= np != NULL || on_disk || !diags;
	return np;
}

static void
list_policy(struct arena *arena, const struct netpol *np, char mark, struct vec *out)
{
	const char *types = np->ingress && np->egress ? "Ingress, Egress" : np->ingress ? "Ingress" : "Egress";
	const char *selects = arena_printf(arena, "%s in namespace %s for %s",
		selector_pods_text(arena, &np->pod_selector), np->ns, types);
	struct vec rules = rules_of(arena, np);
	list_rules(arena, selects, &rules, mark, out);
}

/* ---- Cilium rules ---- */

/* A CiliumNetworkPolicy as plan reads it: its one spec (an object with
 * specs is compared field by field). */
static const struct ciliumpol *
read_ciliumpol(struct planner *p, const struct plan_object *object, bool on_disk)
{
	struct diag_set *diags = reader_diags(p, object, "CiliumNetworkPolicy", on_disk);
	if (!diags)
		diags = reader_diags(p, object, "CiliumClusterwideNetworkPolicy", on_disk);
	if (!diags || ynode_is_null(ynode_get(object->doc, "spec")))
		return NULL;
	struct vec rules = { 0 };
	bool read = catalog_read_ciliumpol(p->arena, diags, object->doc, &rules);
	p->ok &= read || on_disk;
	return read && rules.len == 1 ? vec_at(&rules, 0) : NULL;
}

/* Every rule of the policy: ingress, ingress deny, egress, egress deny. */
static struct vec
cilium_rules_of(struct arena *arena, const struct ciliumpol *cp)
{
	const struct vec *const lists[] = { &cp->ingress, &cp->ingress_deny, &cp->egress, &cp->egress_deny };
	static const char *const dirs[] = { "ingress", "ingress deny", "egress", "egress deny" };
	struct vec views = { 0 };
	for (size_t d = 0; d < 4; d++)
		for (size_t i = 0; i < lists[d]->len; i++) {
			const struct cilium_rule *rule = vec_at(lists[d], i);
			struct plan_rule *view = arena_alloc(arena, sizeof(*view));
			view->dir = dirs[d];
			ciliumpol_peer_texts(arena, cp, rule, &view->peers);
			ciliumpol_port_texts(arena, rule, &view->ports);
			vec_push(arena, &views, finish_rule(arena, view));
		}
	return views;
}

static void
list_ciliumpol(struct arena *arena, const struct ciliumpol *cp, char mark, struct vec *out)
{
	struct vec rules = cilium_rules_of(arena, cp);
	list_rules(arena, ciliumpol_subject_text(arena, cp), &rules, mark, out);
}

/* ---- files ---- */

static struct plan_item *
object_item(struct arena *arena, char action, const struct plan_object *object)
{
	const char *text = *object->name
		? arena_printf(arena, "%s %s%s%s", object->kind, object->ns, *object->ns ? "/" : "", object->name)
		: object->kind;
	struct plan_item *item = item_new(arena, action, "object", text);
	item->kind = object->kind;
	item->ns = object->ns;
	item->name = object->name;
	return item;
}

/* The change of one object (either side may be NULL), or NULL. */
static struct plan_item *
diff_object(struct planner *p, const struct plan_object *old, const struct plan_object *new)
{
	struct vec old_fields = old ? fields_of(p->arena, old->doc) : (struct vec){ 0 };
	struct vec new_fields = new ? fields_of(p->arena, new->doc) : (struct vec){ 0 };
	if (old && new && same_fields(&old_fields, &new_fields))
		return NULL;
	char action = !old ? '+' : !new ? '-' : '~';
	struct plan_item *item = object_item(p->arena, action, new ? new : old);
	struct netpol *old_np = read_netpol(p, old, true), *new_np = read_netpol(p, new, false);
	struct clusterpol *old_cp = read_clusterpol(p, old, true), *new_cp = read_clusterpol(p, new, false);
	const struct ciliumpol *old_cil = read_ciliumpol(p, old, true), *new_cil = read_ciliumpol(p, new, false);
	if (action != '~' && (old_np || new_np))
		list_policy(p->arena, old_np ? old_np : new_np, action, &item->children);
	if (action != '~' && (old_cil || new_cil))
		list_ciliumpol(p->arena, old_cil ? old_cil : new_cil, action, &item->children);
	if (action != '~' && (old_cp || new_cp))
		list_clusterpol(p->arena, old_cp ? old_cp : new_cp, action, &item->children);
	if (action != '~')
		return item;
	bool rules_apart = (old_np && new_np) || (old_cp && new_cp) || (old_cil && new_cil);
	diff_fields(p->arena, &old_fields, &new_fields, rules_apart, &item->children);
	if (old_np && new_np) {
		struct vec old_rules = rules_of(p->arena, old_np), new_rules = rules_of(p->arena, new_np);
		diff_rules(p->arena, &old_rules, &new_rules, &item->children);
	}
	if (old_cil && new_cil) {
		struct vec old_rules = cilium_rules_of(p->arena, old_cil), new_rules = cilium_rules_of(p->arena, new_cil);
		diff_rules(p->arena, &old_rules, &new_rules, &item->children);
	}
	if (old_cp && new_cp)
		diff_clusterpol(p->arena, old_cp, new_cp, &item->children);
	return item;
}

static const char *
vendor_of(const struct vec *objects)
{
	for (size_t i = 0; i < objects->len; i++)
		if (((const struct plan_object *)vec_at(objects, i))->vendor)
			return ((const struct plan_object *)vec_at(objects, i))->vendor;
	return NULL;
}

static void
diff_file(struct planner *p, const struct backend_file *old, const struct backend_file *new)
{
	if (old && new && old->len == new->len && memcmp(old->data, new->data, old->len) == 0)
		return;
	struct vec olds = { 0 }, news = { 0 };
	bool readable = read_objects(p, old, true, &olds);
	read_objects(p, new, false, &news);
	char action = !old ? '+' : !new ? '-' : '~';
	const char *name = (new ? new : old)->name;
	struct plan_item *file = item_new(p->arena, action, "file", arena_printf(p->arena, "file %s%s",
		name, readable ? "" : " (not YAML now: compile writes it whole)"));
	file->name = name;
	file->vendor = vendor_of(&news) ? vendor_of(&news) : vendor_of(&olds);
	size_t i = 0, j = 0;
	while (i < olds.len || j < news.len) {
		const struct plan_object *o = i < olds.len ? vec_at(&olds, i) : NULL;
		const struct plan_object *n = j < news.len ? vec_at(&news, j) : NULL;
		int order = !o ? 1 : !n ? -1 : strcmp(o->key, n->key);
		struct plan_item *object = diff_object(p, order <= 0 ? o : NULL, order >= 0 ? n : NULL);
		i += order <= 0;
		j += order >= 0;
		if (object) {
			p->plan->objects[count_of(object->action)]++;
			vec_push(p->arena, &file->children, object);
		}
	}
	p->plan->files[count_of(action)]++;
	vec_push(p->arena, &p->changed_files, file);
}

static int
compare_file_names(const void *a, const void *b)
{
	return strcmp((*(const struct backend_file *const *)a)->name,
		(*(const struct backend_file *const *)b)->name);
}

static struct vec
sorted_files(struct arena *arena, const struct vec *files)
{
	struct vec sorted = { 0 };
	for (size_t i = 0; i < files->len; i++)
		vec_push(arena, &sorted, vec_at(files, i));
	vec_sort(&sorted, compare_file_names);
	return sorted;
}

/* Vendors by name, then the files of no vendor; files by name within. */
static int
compare_changed_files(const void *a, const void *b)
{
	const struct plan_item *x = *(const struct plan_item *const *)a;
	const struct plan_item *y = *(const struct plan_item *const *)b;
	if (!x->vendor != !y->vendor)
		return x->vendor ? -1 : 1;
	int by_vendor = x->vendor ? strcmp(x->vendor, y->vendor) : 0;
	return by_vendor ? by_vendor : strcmp(x->name, y->name);
}

static void
group_files(struct arena *arena, struct plan *plan, struct vec *files)
{
	vec_sort(files, compare_changed_files);
	struct plan_group *group = NULL;
	for (size_t i = 0; i < files->len; i++) {
		struct plan_item *file = vec_at(files, i);
		if (!group || !group->vendor != !file->vendor
			|| (file->vendor && strcmp(group->vendor, file->vendor) != 0)) {
			group = arena_alloc(arena, sizeof(*group));
			group->vendor = file->vendor;
			vec_push(arena, &plan->groups, group);
		}
		vec_push(arena, &group->files, file);
	}
}

struct plan *
plan_compare(struct arena *arena, struct diag_set *diags, const struct project_path *dir,
	const struct vec *old_files, const struct vec *new_files)
{
	struct plan *plan = arena_alloc(arena, sizeof(*plan));
	plan->dir = dir->display;
	struct planner p = { arena, diags, diag_set_create(arena), dir, plan, { 0 }, true };
	struct vec olds = sorted_files(arena, old_files), news = sorted_files(arena, new_files);
	size_t i = 0, j = 0;
	while (i < olds.len || j < news.len) {
		const struct backend_file *o = i < olds.len ? vec_at(&olds, i) : NULL;
		const struct backend_file *n = j < news.len ? vec_at(&news, j) : NULL;
		int order = !o ? 1 : !n ? -1 : strcmp(o->name, n->name);
		diff_file(&p, order <= 0 ? o : NULL, order >= 0 ? n : NULL);
		i += order <= 0;
		j += order >= 0;
	}
	group_files(arena, plan, &p.changed_files);
	return p.ok ? plan : NULL;
}

bool
plan_has_changes(const struct plan *plan)
{
	return plan->groups.len > 0;
}

/* ---- printing ---- */

static void
print_item_text(FILE *out, const struct plan_item *item, int depth)
{
	fprintf(out, "%*s%c %s\n", 2 + 4 * depth, "", item->action, item->text);
	for (size_t i = 0; i < item->children.len; i++)
		print_item_text(out, vec_at(&item->children, i), depth + 1);
}

static void
print_text(FILE *out, const struct plan *plan)
{
	if (!plan_has_changes(plan)) {
		fprintf(out, "No changes: %s holds what compile would write.\n", plan->dir);
		return;
	}
	fprintf(out, "compile would change %s:\n", plan->dir);
	for (size_t g = 0; g < plan->groups.len; g++) {
		const struct plan_group *group = vec_at(&plan->groups, g);
		if (group->vendor)
			fprintf(out, "\nvendor %s\n", group->vendor);
		else
			fputs("\nshared (default-deny namespaces, kustomization)\n", out);
		for (size_t i = 0; i < group->files.len; i++)
			print_item_text(out, vec_at(&group->files, i), 0);
	}
	fprintf(out, "\nPlan: files %zu to add, %zu to change, %zu to remove; "
		"objects %zu to add, %zu to change, %zu to remove.\n",
		plan->files[PLAN_ADDED], plan->files[PLAN_CHANGED], plan->files[PLAN_REMOVED],
		plan->objects[PLAN_ADDED], plan->objects[PLAN_CHANGED], plan->objects[PLAN_REMOVED]);
}

static void
json_pair(FILE *out, const char *key, const char *value)
{
	fprintf(out, ",\"%s\":", key);
	json_string(out, value);
}

static void
print_item_json(FILE *out, const struct plan_item *item)
{
	const char *action = item->action == '+' ? "add" : item->action == '-' ? "remove" : "change";
	fprintf(out, "{\"action\":\"%s\"", action);
	json_pair(out, "item", item->what);
	json_pair(out, "text", item->text);
	if (item->kind) {
		json_pair(out, "kind", item->kind);
		json_pair(out, "namespace", item->ns);
	}
	if (item->name)
		json_pair(out, "name", item->name);
	if (item->path) {
		json_pair(out, "path", item->path);
		json_pair(out, "old", item->old_value);
		json_pair(out, "new", item->new_value);
	}
	fputs(",\"changes\":[", out);
	for (size_t i = 0; i < item->children.len; i++) {
		fputs(i ? "," : "", out);
		print_item_json(out, vec_at(&item->children, i));
	}
	fputs("]}", out);
}

static void
print_counts_json(FILE *out, const char *key, const size_t counts[PLAN_COUNTS])
{
	fprintf(out, "\"%s\":{\"add\":%zu,\"change\":%zu,\"remove\":%zu}", key,
		counts[PLAN_ADDED], counts[PLAN_CHANGED], counts[PLAN_REMOVED]);
}

static void
print_json(FILE *out, const struct plan *plan)
{
	fputs("{\"output\":", out);
	json_string(out, plan->dir);
	fprintf(out, ",\"changes\":%s,\"summary\":{", plan_has_changes(plan) ? "true" : "false");
	print_counts_json(out, "files", plan->files);
	fputc(',', out);
	print_counts_json(out, "objects", plan->objects);
	fputs("},\"groups\":[", out);
	for (size_t g = 0; g < plan->groups.len; g++) {
		const struct plan_group *group = vec_at(&plan->groups, g);
		fputs(g ? ",{\"vendor\":" : "{\"vendor\":", out);
		json_string(out, group->vendor);
		fputs(",\"files\":[", out);
		for (size_t i = 0; i < group->files.len; i++) {
			fputs(i ? "," : "", out);
			print_item_json(out, vec_at(&group->files, i));
		}
		fputs("]}", out);
	}
	fputs("]}\n", out);
}

void
plan_print(FILE *out, const struct plan *plan, enum report_format format)
{
	if (format == REPORT_JSON)
		print_json(out, plan);
	else
		print_text(out, plan);
}
