/* `vendorc observe --suggest`: the vendor file of what a vendor's pods were
 * seen to do (observe.h). Every attempt counts, forwarded or dropped: a
 * vendor being onboarded runs before its file exists, under default deny
 * or Cilium's audit mode. The text is parsed back and printed by fmt, so
 * it is canonical by construction. */

#include "vendorc/observe.h"

#include "vendorc/catalog.h"
#include "vendorc/diag.h"
#include "vendorc/draft.h"
#include "vendorc/init.h"
#include "vendorc/ir.h"
#include "vendorc/validate.h"
#include "vendorc/when.h"

#include <string.h>

/* Labels a controller stamps on each pod: they tell one pod from its
 * siblings, so a grant on them would break with the next rollout. */
static const char *const per_pod_labels[] = {
	"pod-template-hash", "controller-revision-hash", "statefulset.kubernetes.io/pod-name",
	"apps.kubernetes.io/pod-index", "controller-uid", "batch.kubernetes.io/controller-uid",
	"job-name", "batch.kubernetes.io/job-name",
};

struct suggester {
	struct arena *arena;
	const struct observe_input *in;
	const char *ns;
	const struct selector *sel;
	struct draft draft;
};

static bool
per_pod(const char *key)
{
	for (size_t i = 0; i < sizeof(per_pod_labels) / sizeof(per_pod_labels[0]); i++)
		if (strcmp(key, per_pod_labels[i]) == 0)
			return true;
	return false;
}

static bool
is_vendor_pod(const struct suggester *s, const struct flow_end *end)
{
	return end->ns && strcmp(end->ns, s->ns) == 0
		&& (!s->sel || selector_matches(s->sel, end->labels, end->label_count));
}

/* The pod's labels that say what it is, "k=v,k2=v2"; NULL for none. */
static const char *
stable_labels(struct arena *arena, const struct flow_end *end)
{
	const char *text = NULL;
	for (size_t i = 0; i < end->label_count; i++) {
		const struct label *l = &end->labels[i];
		if (per_pod(l->key) || validate_label_key(l->key) || validate_label_value(l->value) || !*l->value)
			continue;
		text = text ? arena_printf(arena, "%s,%s=%s", text, l->key, l->value) : arena_printf(arena, "%s=%s", l->key, l->value);
	}
	return text;
}

static void
suggest_egress(struct suggester *s, const struct flow_record *rec)
{
	const struct flow_end *to = &rec->dst;
	const char *port = draft_port(s->arena, rec->proto, rec->port);
	if (!to->ns) {
		const char *host = to->name && !validate_domain(to->name) ? to->name
			: arena_strndup(s->arena, net_format_cidr(s->arena, &to->addr),
				strcspn(net_format_cidr(s->arena, &to->addr), "/"));
		draft_grant(&s->draft, arena_printf(s->arena, "egress %s", host), port);
		return;
	}
	if (rec->port == 53 && rec->proto != NET_SCTP) {
		draft_comment(&s->draft, arena_printf(s->arena, "seen: DNS to %s: compile adds the cluster DNS", to->ns));
		return;
	}
	const struct service *svc = catalog_service_for(s->in->catalog, to->ns, to->labels, to->label_count, rec->proto,
		rec->port, NULL);
	if (svc) {
		int number = catalog_service_port(svc, rec->proto, rec->port, NULL);
		draft_grant(&s->draft, arena_printf(s->arena, "allow service %s/%s", svc->ns, svc->name),
			draft_service_port(s->arena, svc, rec->proto, number));
		return;
	}
	const char *labels = stable_labels(s->arena, to);
	if (labels)
		draft_grant(&s->draft, arena_printf(s->arena, "allow pods %s in %s", labels, to->ns), port);
	else
		draft_comment(&s->draft, arena_printf(s->arena, "seen: to pods of %s without labels, port %s: give them labels or a Service",
			to->ns, port));
}

/* A Service that selects the source pods, on any port: `allow from
 * service` names the sources by their Service. */
static const struct service *
service_of_source(const struct catalog *catalog, const struct flow_end *from)
{
	for (size_t i = 0; i < catalog->services.len; i++) {
		const struct service *svc = vec_at(&catalog->services, i);
		if (strcmp(svc->ns, from->ns) == 0 && svc->has_selector
			&& selector_matches(&svc->selector, from->labels, from->label_count))
			return svc;
	}
	return NULL;
}

static void
suggest_ingress(struct suggester *s, const struct flow_record *rec)
{
	const struct flow_end *from = &rec->src;
	const char *port = draft_port(s->arena, rec->proto, rec->port);
	if (!from->ns) {
		const char *cidr = net_format_cidr(s->arena, &from->addr);
		draft_grant(&s->draft, arena_printf(s->arena, "allow from %s", cidr), port);
		return;
	}
	const struct service *svc = service_of_source(s->in->catalog, from);
	if (svc)
		draft_grant(&s->draft, arena_printf(s->arena, "allow from service %s/%s", svc->ns, svc->name), port);
	else
		draft_comment(&s->draft, arena_printf(s->arena, "seen: from pods of %s%s%s, port %s: no Service selects them, and `allow from` "
			"names sources by a Service", from->ns, stable_labels(s->arena, from) ? " labelled " : "",
			stable_labels(s->arena, from) ? stable_labels(s->arena, from) : "", port));
}

/* The vendor's statements about itself: its own where known, else
 * vendorc init's placeholders, which compile warns about until replaced. */
static const char *
identity_text(struct suggester *s, const char *name)
{
	const struct ir_vendor *known = ir_vendor_named(s->in->ir, name);
	const char *owner = known && known->owner ? known->owner : init_placeholder_owner;
	const char *ticket = known && known->ticket ? known->ticket : init_placeholder_ticket;
	const char *why = known && known->justification ? known->justification : init_placeholder_justification;
	const char *expires = known ? known->expires : when_format_date(s->arena, when_add(s->in->now, 90 * WHEN_DAY));
	return arena_printf(s->arena, "owner %s\nticket %s\nexpires %s\nreviewed %s\njustification %s",
		draft_quote(s->arena, owner), draft_quote(s->arena, ticket), expires, when_format_date(s->arena, s->in->now),
		draft_quote(s->arena, why));
}

static const char *
runs_in_text(struct suggester *s)
{
	return s->sel && s->sel->label_count ? arena_printf(s->arena, "runs in %s where %s", s->ns,
		selector_text(s->arena, s->sel)) : arena_printf(s->arena, "runs in %s", s->ns);
}

bool
observe_suggest(FILE *out, struct arena *arena, struct diag_set *diags, const struct observe_input *in,
	const char *name, const char *ns, const struct selector *sel)
{
	struct suggester s = { arena, in, ns, sel, { arena, { 0 }, { 0 } } };
	for (size_t i = 0; i < in->log->records.len; i++) {
		const struct flow_record *rec = vec_at(&in->log->records, i);
		if (in->has_since && rec->time < in->since)
			continue;
		if (is_vendor_pod(&s, &rec->src))
			suggest_egress(&s, rec);
		if (is_vendor_pod(&s, &rec->dst))
			suggest_ingress(&s, rec);
	}
	size_t len;
	const char *text = draft_file(&s.draft, diags, arena_printf(arena, "# What vendorc observe saw in %s: review every line.\n",
		in->path), name, identity_text(&s, name), runs_in_text(&s), &len);
	if (!text)
		return false;
	fwrite(text, 1, len, out);
	return true;
}
