/* The probe kit as manifests (docs/probe.md): the kit's namespace, a Pod
 * and a headless Service per listener, and either a Job per source, one
 * container per case running `agnhost connect`, or NetAssert v2 tests
 * with a long-running Pod per source. Emitted through libyaml's events
 * (emit.h), as every file vendorc writes. */

#include "vendorc/kit.h"

#include "vendorc/backend.h"
#include "vendorc/emit.h"
#include "vendorc/net.h"

#include <string.h>

/* How long a probe waits for a connection, and for its Job. */
enum { CONNECT_TIMEOUT_S = 5, JOB_DEADLINE_S = 300, JOB_TTL_S = 3600, NETASSERT_ATTEMPTS = 3 };

static const char kit_namespace[] = "vendorc-probe";

bool
kit_parse_emit(const char *text, enum kit_emit *out)
{
	static const char *const names[] = { [KIT_EMIT_JOBS] = "jobs", [KIT_EMIT_NETASSERT] = "netassert" };
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcmp(text, names[i]) == 0) {
			*out = (enum kit_emit)i;
			return true;
		}
	return false;
}

const char *
kit_unprobed(const struct kit_case *c, enum kit_emit how)
{
	bool udp = c->port.proto == NET_UDP, to_listener = c->to.listener != NULL;
	if (!c->to.host_port)
		return "a named port on pods no Service of the catalog maps: the listener cannot know its number";
	if (c->port.proto == NET_SCTP)
		return "SCTP: the kit probes TCP and UDP";
	if (how == KIT_EMIT_NETASSERT && c->lookup)
		return "NetAssert cannot tell a refused lookup from a name that does not exist";
	if (how == KIT_EMIT_NETASSERT && udp && !to_listener)
		return "NetAssert tests UDP only to pods";
	if (udp && !to_listener && c->expect_allowed && !c->lookup)
		return "UDP to a server of the cluster's own, which does not answer the probe's payload";
	return NULL;
}

/* ---- the ends ---- */

static void
emit_labels(struct emit *e, const struct eval_pod *pod)
{
	emit_word(e, "labels");
	emit_map_begin(e);
	for (size_t i = 0; i < pod->label_count; i++)
		emit_field(e, pod->labels[i].key, pod->labels[i].value);
	emit_map_end(e);
}

static void
emit_metadata(struct emit *e, const char *name, const char *ns, const struct eval_pod *labels)
{
	emit_word(e, "metadata");
	emit_map_begin(e);
	emit_pair_str(e, "name", name);
	if (ns)
		emit_pair_str(e, "namespace", ns);
	if (labels) {
		emit_labels(e, labels);
	} else {
		emit_word(e, "labels");
		emit_map_begin(e);
		emit_field(e, "vendorc.io/probe", "kit");
		emit_map_end(e);
	}
	emit_map_end(e);
}

static void
emit_kind(struct emit *e, const char *api_version, const char *kind)
{
	emit_document_begin(e);
	emit_map_begin(e);
	emit_pair_str(e, "apiVersion", api_version);
	emit_pair_str(e, "kind", kind);
}

static void
emit_kind_end(struct emit *e)
{
	emit_map_end(e);
	emit_document_end(e);
}

/* ---- listeners ---- */

/* A listener's ports, each once, in the order the cases name them; a
 * number serves TCP and, where a case wants it, UDP. */
struct listener_ports {
	const struct kit_end *end;
	int ports[64];
	bool udp[64];
	size_t count;
};

static void
add_port(struct listener_ports *l, int port, bool udp)
{
	for (size_t i = 0; i < l->count; i++)
		if (l->ports[i] == port) {
			l->udp[i] |= udp;
			return;
		}
	if (l->count < sizeof(l->ports) / sizeof(*l->ports)) {
		l->ports[l->count] = port;
		l->udp[l->count++] = udp;
	}
}

static void
collect_listeners(struct arena *arena, const struct kit *kit, enum kit_emit how, struct vec *out)
{
	for (size_t i = 0; i < kit->cases.len; i++) {
		const struct kit_case *c = vec_at(&kit->cases, i);
		if (!c->to.listener || kit_unprobed(c, how))
			continue;
		struct listener_ports *l = NULL;
		for (size_t j = 0; j < out->len && !l; j++) {
			struct listener_ports *known = vec_at(out, j);
			if (strcmp(known->end->listener, c->to.listener) == 0)
				l = known;
		}
		if (!l) {
			l = arena_alloc(arena, sizeof(*l));
			l->end = &c->to;
			vec_push(arena, out, l);
		}
		add_port(l, c->to.host_port, c->port.proto == NET_UDP);
	}
}

/* The listener's Pod: netexec on each port, never ready, so that a
 * Service of the cluster that selects the pods it stands for sends it
 * nothing. */
static void
emit_listener_pod(struct emit *e, struct arena *arena, const struct listener_ports *l, const char *image)
{
	const struct kit_end *end = l->end;
	emit_kind(e, "v1", "Pod");
	emit_metadata(e, end->listener, end->end.pod->ns, end->end.pod);
	emit_word(e, "spec");
	emit_map_begin(e);
	emit_pair_int(e, "terminationGracePeriodSeconds", 0);
	emit_word(e, "containers");
	emit_seq_begin(e);
	for (size_t i = 0; i < l->count; i++) {
		emit_map_begin(e);
		emit_pair_str(e, "name", arena_printf(arena, "port-%d", l->ports[i]));
		emit_pair_str(e, "image", image);
		emit_word(e, "args");
		emit_seq_begin(e);
		emit_word(e, "netexec");
		emit_str(e, arena_printf(arena, "--http-port=%d", l->ports[i]));
		emit_str(e, arena_printf(arena, "--udp-port=%d", l->udp[i] ? l->ports[i] : -1));
		emit_seq_end(e);
		if (i == 0) {
			emit_word(e, "readinessProbe");
			emit_map_begin(e);
			emit_word(e, "tcpSocket");
			emit_map_begin(e);
			emit_pair_int(e, "port", 1);
			emit_map_end(e);
			emit_pair_int(e, "periodSeconds", 3600);
			emit_map_end(e);
		}
		emit_map_end(e);
	}
	emit_seq_end(e);
	emit_map_end(e);
	emit_kind_end(e);
}

/* Its headless Service, which names the listener though it is never
 * ready: LISTENER.NS.svc resolves to its address. */
static void
emit_listener_service(struct emit *e, const struct kit_end *end)
{
	emit_kind(e, "v1", "Service");
	emit_metadata(e, end->listener, end->end.pod->ns, NULL);
	emit_word(e, "spec");
	emit_map_begin(e);
	emit_pair_str(e, "clusterIP", "None");
	emit_word(e, "publishNotReadyAddresses");
	emit_bool(e, true);
	emit_word(e, "selector");
	emit_map_begin(e);
	emit_field(e, "vendorc.io/probe", end->listener);
	emit_map_end(e);
	emit_map_end(e);
	emit_kind_end(e);
}

static bool
add_file(struct arena *arena, struct emit *e, const char *name, struct vec *files)
{
	struct backend_file *file = backend_file_finish(arena, NULL, e, name);
	vec_push(arena, files, file);
	return !file->failed;
}

static bool
listeners_file(struct arena *arena, const struct kit *kit, enum kit_emit how, const char *image, struct vec *files)
{
	struct vec listeners = { 0 };
	collect_listeners(arena, kit, how, &listeners);
	struct emit *e = emit_create();
	for (size_t i = 0; i < listeners.len; i++) {
		const struct listener_ports *l = vec_at(&listeners, i);
		emit_listener_pod(e, arena, l, image);
		emit_listener_service(e, l->end);
	}
	return add_file(arena, e, "listeners.yaml", files);
}

/* ---- sources ---- */

/* The cases by source, each source once, in the order of its first case:
 * struct vec * of struct kit_case *. */
static void
group_sources(struct arena *arena, const struct kit *kit, enum kit_emit how, struct vec *groups)
{
	for (size_t i = 0; i < kit->cases.len; i++) {
		struct kit_case *c = vec_at(&kit->cases, i);
		if (kit_unprobed(c, how))
			continue;
		struct vec *group = NULL;
		for (size_t g = 0; g < groups->len && !group; g++) {
			struct vec *known = vec_at(groups, g);
			if (kit_same_pod(((const struct kit_case *)vec_at(known, 0))->from.end.pod, c->from.end.pod))
				group = known;
		}
		if (!group) {
			group = arena_alloc(arena, sizeof(*group));
			vec_push(arena, groups, group);
		}
		vec_push(arena, group, c);
	}
}

static void
emit_connect(struct emit *e, struct arena *arena, const struct kit_case *c, const char *image)
{
	emit_map_begin(e);
	emit_pair_str(e, "name", arena_printf(arena, "case-%zu", c->number));
	emit_pair_str(e, "image", image);
	emit_word(e, "args");
	emit_seq_begin(e);
	emit_word(e, "connect");
	emit_str(e, kit_dial(arena, c));
	emit_str(e, arena_printf(arena, "--timeout=%ds", CONNECT_TIMEOUT_S));
	emit_str(e, arena_printf(arena, "--protocol=%s", c->port.proto == NET_UDP ? "udp" : "tcp"));
	emit_seq_end(e);
	emit_pair_str(e, "terminationMessagePolicy", "FallbackToLogsOnError");
	emit_map_end(e);
}

/* A source's Job: one container per case, all at once; each exits 0 when
 * it connected, else 1 with agnhost's reason, which the termination
 * message keeps for `probe --results`. */
static void
emit_job(struct emit *e, struct arena *arena, const struct vec *group, size_t index, const char *image)
{
	const struct kit_case *first = vec_at(group, 0);
	const struct eval_pod *pod = first->from.end.pod;
	emit_kind(e, "batch/v1", "Job");
	emit_metadata(e, arena_printf(arena, "vendorc-probe-s%zu", index + 1), pod->ns, NULL);
	emit_word(e, "spec");
	emit_map_begin(e);
	emit_pair_int(e, "backoffLimit", 0);
	emit_pair_int(e, "activeDeadlineSeconds", JOB_DEADLINE_S);
	emit_pair_int(e, "ttlSecondsAfterFinished", JOB_TTL_S);
	emit_word(e, "template");
	emit_map_begin(e);
	emit_word(e, "metadata");
	emit_map_begin(e);
	emit_labels(e, pod);
	emit_map_end(e);
	emit_word(e, "spec");
	emit_map_begin(e);
	emit_pair_str(e, "restartPolicy", "Never");
	emit_word(e, "containers");
	emit_seq_begin(e);
	for (size_t i = 0; i < group->len; i++)
		emit_connect(e, arena, vec_at(group, i), image);
	emit_seq_end(e);
	emit_map_end(e);
	emit_map_end(e);
	emit_map_end(e);
	emit_kind_end(e);
}

/* For NetAssert, which runs its client in a Pod that is already there: a
 * source Pod that only waits. */
static void
emit_source_pod(struct emit *e, struct arena *arena, const struct vec *group, size_t index, const char *image)
{
	const struct eval_pod *pod = ((const struct kit_case *)vec_at(group, 0))->from.end.pod;
	emit_kind(e, "v1", "Pod");
	emit_metadata(e, arena_printf(arena, "vendorc-probe-s%zu", index + 1), pod->ns, pod);
	emit_word(e, "spec");
	emit_map_begin(e);
	emit_pair_int(e, "terminationGracePeriodSeconds", 0);
	emit_word(e, "containers");
	emit_seq_begin(e);
	emit_map_begin(e);
	emit_pair_str(e, "name", "wait");
	emit_pair_str(e, "image", image);
	emit_word(e, "args");
	emit_seq_begin(e);
	emit_word(e, "pause");
	emit_seq_end(e);
	emit_map_end(e);
	emit_seq_end(e);
	emit_map_end(e);
	emit_kind_end(e);
}

static void
emit_resource(struct emit *e, const char *key, const char *kind, const char *name, const char *ns)
{
	emit_word(e, key);
	emit_map_begin(e);
	emit_word(e, "k8sResource");
	emit_map_begin(e);
	emit_pair_str(e, "kind", kind);
	emit_pair_str(e, "name", name);
	emit_pair_str(e, "namespace", ns);
	emit_map_end(e);
	emit_map_end(e);
}

/* A NetAssert v2 test (controlplaneio/netassert, README "Test
 * specification"): exit code 0 when the connection must succeed, 1 when
 * it must fail. */
static void
emit_test(struct emit *e, struct arena *arena, const struct kit_case *c, const char *source)
{
	emit_map_begin(e);
	emit_pair_str(e, "name", arena_printf(arena, "vendorc-probe-case-%zu-%s-%s", c->number, c->vendor,
		kit_kind_name(c->kind)));
	emit_pair_str(e, "type", "k8s");
	emit_pair_str(e, "protocol", c->port.proto == NET_UDP ? "udp" : "tcp");
	emit_pair_int(e, "targetPort", c->to.host_port);
	emit_pair_int(e, "timeoutSeconds", CONNECT_TIMEOUT_S);
	emit_pair_int(e, "attempts", NETASSERT_ATTEMPTS);
	emit_pair_int(e, "exitCode", c->expect_allowed ? 0 : 1);
	emit_resource(e, "src", "pod", source, c->from.end.pod->ns);
	if (c->to.listener) {
		emit_resource(e, "dst", "pod", c->to.listener, c->to.end.pod->ns);
	} else {
		emit_word(e, "dst");
		emit_map_begin(e);
		emit_word(e, "host");
		emit_map_begin(e);
		emit_pair_str(e, "name", c->to.host);
		emit_map_end(e);
		emit_map_end(e);
	}
	emit_map_end(e);
}

/* NetAssert's tests, which `netassert run --input-file` reads: a list. */
static bool
netassert_file(struct arena *arena, const struct vec *groups, struct vec *files)
{
	struct emit *e = emit_create();
	emit_document_begin(e);
	emit_seq_begin(e);
	for (size_t g = 0; g < groups->len; g++) {
		const struct vec *group = vec_at(groups, g);
		for (size_t i = 0; i < group->len; i++)
			emit_test(e, arena, vec_at(group, i), arena_printf(arena, "vendorc-probe-s%zu", g + 1));
	}
	emit_seq_end(e);
	emit_document_end(e);
	return add_file(arena, e, "netassert.yaml", files);
}

static bool
sources_files(struct arena *arena, const struct kit *kit, enum kit_emit how, const char *image, struct vec *files)
{
	struct vec groups = { 0 };
	group_sources(arena, kit, how, &groups);
	struct emit *e = emit_create();
	for (size_t g = 0; g < groups.len; g++)
		(how == KIT_EMIT_JOBS ? emit_job : emit_source_pod)(e, arena, vec_at(&groups, g), g, image);
	if (!add_file(arena, e, how == KIT_EMIT_JOBS ? "jobs.yaml" : "sources.yaml", files))
		return false;
	return how == KIT_EMIT_JOBS || netassert_file(arena, &groups, files);
}

/* ---- the kit ---- */

static bool
namespace_file(struct arena *arena, struct vec *files)
{
	struct emit *e = emit_create();
	emit_kind(e, "v1", "Namespace");
	emit_metadata(e, kit_namespace, NULL, NULL);
	emit_kind_end(e);
	return add_file(arena, e, "namespace.yaml", files);
}

/* kubectl apply -k DIR applies it all, and delete -k removes it; the
 * steps in docs/probe.md apply the listeners before the sources. */
static bool
kustomization_file(struct arena *arena, enum kit_emit how, struct vec *files)
{
	struct emit *e = emit_create();
	emit_kind(e, "kustomize.config.k8s.io/v1beta1", "Kustomization");
	emit_word(e, "resources");
	emit_seq_begin(e);
	emit_word(e, "namespace.yaml");
	emit_word(e, "listeners.yaml");
	emit_word(e, how == KIT_EMIT_JOBS ? "jobs.yaml" : "sources.yaml");
	emit_seq_end(e);
	emit_kind_end(e);
	return add_file(arena, e, "kustomization.yaml", files);
}

bool
kit_emit(struct arena *arena, const struct kit *kit, enum kit_emit how, const char *image, struct vec *files)
{
	return namespace_file(arena, files) && listeners_file(arena, kit, how, image, files)
		&& sources_files(arena, kit, how, image, files) && kustomization_file(arena, how, files);
}
