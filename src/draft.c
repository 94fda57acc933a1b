/* Vendor files vendorc drafts (draft.h). */

#include "vendorc/draft.h"

#include "vendorc/catalog.h"
#include "vendorc/fmt.h"
#include "vendorc/frontend.h"
#include "vendorc/source.h"

#include <string.h>

struct draft_grant {
	const char *head;
	bool every_port;           /* a grant of head without ports was added */
	struct vec ports;          /* const char *, unique, in the order first added */
};

static bool
holds(const struct vec *texts, const char *text)
{
	for (size_t i = 0; i < texts->len; i++)
		if (strcmp(vec_at(texts, i), text) == 0)
			return true;
	return false;
}

void
draft_grant(struct draft *draft, const char *head, const char *port)
{
	struct draft_grant *found = NULL;
	for (size_t i = 0; i < draft->grants.len && !found; i++)
		if (strcmp(((struct draft_grant *)vec_at(&draft->grants, i))->head, head) == 0)
			found = vec_at(&draft->grants, i);
	if (!found) {
		found = arena_alloc(draft->arena, sizeof(*found));
		found->head = head;
		vec_push(draft->arena, &draft->grants, found);
	}
	if (!port)
		found->every_port = true;
	else if (!holds(&found->ports, port))
		vec_push(draft->arena, &found->ports, (void *)port);
}

void
draft_comment(struct draft *draft, const char *text)
{
	if (!holds(&draft->comments, text))
		vec_push(draft->arena, &draft->comments, (void *)text);
}

const char *
draft_quote(struct arena *arena, const char *text)
{
	char *out = arena_alloc(arena, 2 * strlen(text) + 3), *o = out;
	*o++ = '"';
	for (const char *c = text; *c; c++) {
		if (*c == '"' || *c == '\\')
			*o++ = '\\';
		*o++ = *c;
	}
	*o++ = '"';
	*o = '\0';
	return out;
}

const char *
draft_port(struct arena *arena, enum net_proto proto, int number)
{
	return proto == NET_TCP ? arena_printf(arena, "%d", number)
		: arena_printf(arena, "%d/%s", number, proto == NET_UDP ? "udp" : "sctp");
}

const char *
draft_service_port(struct arena *arena, const struct service *svc, enum net_proto proto, int number)
{
	static const char *const names[] = { [NET_TCP] = "tcp", [NET_UDP] = "udp", [NET_SCTP] = "sctp" };
	for (size_t i = 0; i < svc->ports.len; i++) {
		const struct service_port *other = vec_at(&svc->ports, i);
		if (other->port == number && other->proto != proto)
			return arena_printf(arena, "%d/%s", number, names[proto]);
	}
	return arena_printf(arena, "%d", number);
}

/* A grant of every port stands alone: its ports say less. */
static const char *
grant_text(struct arena *arena, const struct draft_grant *g)
{
	if (g->every_port || !g->ports.len)
		return arena_printf(arena, "%s\n", g->head);
	const char *text = arena_printf(arena, "%s port ", g->head);
	for (size_t p = 0; p < g->ports.len; p++)
		text = arena_printf(arena, "%s%s%s", text, p ? ", " : "", (const char *)vec_at(&g->ports, p));
	return arena_printf(arena, "%s\n", text);
}

const char *
draft_file(struct draft *draft, struct diag_set *diags, const char *header, const char *name,
	const char *identity, const char *runs_in, size_t *len)
{
	struct arena *arena = draft->arena;
	const char *text = arena_printf(arena, "%svendor %s {\n%s\n\n%s\n\n", header, name, identity, runs_in);
	for (size_t i = 0; i < draft->comments.len; i++)
		text = arena_printf(arena, "%s# %s\n", text, (const char *)vec_at(&draft->comments, i));
	for (size_t i = 0; i < draft->grants.len; i++)
		text = arena_printf(arena, "%s%s", text, grant_text(arena, vec_at(&draft->grants, i)));
	text = arena_printf(arena, "%s}\n", text);
	const struct ast_vendor *vendor = frontend_parse(arena, diags,
		source_from_text(arena, arena_printf(arena, "%s.vendor", name), text, strlen(text)));
	return vendor ? fmt_vendor(arena, vendor, len) : NULL;
}
