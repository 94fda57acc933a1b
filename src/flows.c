/* Reading exported flows (flows.h): Hubble's JSON through jsonread.c into
 * the trees the YAML reader makes, or the documented CSV. */

#include "vendorc/flows.h"

#include "vendorc/diag.h"
#include "vendorc/jsonread.h"
#include "vendorc/limits.h"
#include "vendorc/validate.h"
#include "vendorc/when.h"
#include "vendorc/ynode.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct flow_reader {
	struct arena *arena;
	struct diag_set *diags;
	struct flow_log *log;
	const char *hint;
};

static const char hubble_hint[] =
	"a line of `hubble observe -o json`: flow.Flow of cilium/cilium api/v1/flow/flow.proto (docs/observe.md)";
static const char csv_hint[] = "columns time, source, destination, port, protocol, verdict (docs/observe.md)";

static bool bad_record(struct flow_reader *r, const struct loc *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool
bad_record(struct flow_reader *r, const struct loc *at, const char *fmt, ...)
{
	va_list args;
	va_start(args, fmt);
	const char *message = arena_vprintf(r->arena, fmt, args);
	va_end(args);
	diag_hint(diag_report(r->diags, DIAG_FLOWS_BAD_RECORD, at, "%s", message), "%s", r->hint);
	return false;
}

static int
compare_labels(const void *a, const void *b)
{
	return strcmp(((const struct label *)a)->key, ((const struct label *)b)->key);
}

/* Sorted by key, as the evaluator reads a pod's labels. */
static void
set_labels(struct flow_end *end, struct label *labels, size_t count)
{
	qsort(labels, count, sizeof(*labels), compare_labels);
	end->labels = labels;
	end->label_count = count;
}

static bool
set_address(struct flow_end *end, const char *text)
{
	struct net_cidr addr;
	if (net_parse_cidr(text, &addr) != NET_CIDR_OK || strchr(text, '/'))
		return false;
	end->has_addr = true;
	end->addr = addr;
	return true;
}

static bool
parse_verdict(const char *text, enum flow_verdict *out, bool *known)
{
	static const struct { const char *name; enum flow_verdict verdict; } names[] = {
		{ "forwarded", FLOW_FORWARDED }, { "allowed", FLOW_FORWARDED },
		{ "dropped", FLOW_DROPPED }, { "denied", FLOW_DROPPED }, { "audit", FLOW_DROPPED },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(text, names[i].name) == 0) {
			*out = names[i].verdict;
			return *known = true;
		}
	*known = false;
	return true;
}

static void
add_record(struct flow_reader *r, const struct flow_record *record)
{
	struct flow_record *copy = arena_alloc(r->arena, sizeof(*copy));
	*copy = *record;
	vec_push(r->arena, &r->log->records, copy);
}

/* ---- Hubble's JSON ---- */

/* "k8s:app=web" as app=web. Labels of Cilium's other sources (reserved:,
 * cidr:, fqdn:) and its own (io.cilium.*, io.kubernetes.pod.*) are none a
 * NetworkPolicy selects on. */
static bool
hubble_label(struct arena *arena, const char *text, struct label *out)
{
	const char *colon = strchr(text, ':'), *equals = strchr(text, '=');
	if (colon && (!equals || colon < equals)) {
		if (strncmp(text, "k8s:", 4) != 0)
			return false;
		text = colon + 1;
		equals = strchr(text, '=');
	}
	if (!equals || !strncmp(text, "io.cilium.", 10) || !strncmp(text, "io.kubernetes.pod.", 18))
		return false;
	*out = (struct label){ arena_strndup(arena, text, (size_t)(equals - text)), arena_strdup(arena, equals + 1) };
	return true;
}

static bool
hubble_labels(struct flow_reader *r, const struct ynode *list, struct flow_end *end)
{
	if (!list)
		return true;
	if (list->kind != YNODE_SEQUENCE)
		return bad_record(r, &list->loc, "%s is not a list of strings", "labels");
	struct label *labels = arena_array(r->arena, list->count + 1, sizeof(*labels));
	size_t count = 0;
	for (size_t i = 0; i < list->count; i++) {
		const char *text = ynode_string(list->items[i]);
		if (!text)
			return bad_record(r, &list->items[i]->loc, "%s is not a string", "a label");
		count += hubble_label(r->arena, text, &labels[count]);
	}
	set_labels(end, labels, count);
	return true;
}

/* One end: the endpoint's namespace and labels, the IP header's address,
 * the first of the names Hubble learnt from DNS. */
static bool
hubble_end(struct flow_reader *r, const struct ynode *flow, const char *side, const char *names,
	struct flow_end *end)
{
	const struct ynode *endpoint = ynode_get(flow, side), *ip = ynode_get(ynode_get(flow, "IP"), side);
	const char *ns = ynode_string(ynode_get(endpoint, "namespace"));
	if (ns && *ns) {
		end->ns = arena_strdup(r->arena, ns);
		if (!hubble_labels(r, ynode_get(endpoint, "labels"), end))
			return false;
	}
	const char *addr = ynode_string(ip);
	if (addr && !set_address(end, addr))
		return bad_record(r, &ip->loc, "\"%s\" is not an IP address", addr);
	const struct ynode *learnt = ynode_get(flow, names);
	if (learnt && learnt->kind == YNODE_SEQUENCE && learnt->count && ynode_string(learnt->items[0]))
		end->name = arena_strdup_lower(r->arena, learnt->items[0]->scalar);
	return true;
}

/* The layer-4 header: protocol and destination port; false for another
 * protocol (ICMP), *bad for a port out of range. */
static bool
hubble_l4(struct flow_reader *r, const struct ynode *l4, struct flow_record *record, bool *bad)
{
	static const char *const protos[] = { "TCP", "UDP", "SCTP" };
	*bad = false;
	for (size_t i = 0; i < 3; i++) {
		const struct ynode *header = ynode_get(l4, protos[i]);
		if (!header)
			continue;
		const struct ynode *port = ynode_get(header, "destination_port");
		long number;
		if (!ynode_int(port, 1, 65535, &number)) {
			*bad = !bad_record(r, port ? &port->loc : &header->loc, "%s is not a port from 1 to 65535",
				"destination_port");
			return false;
		}
		net_parse_proto(protos[i], &record->proto);
		record->port = (int)number;
		return true;
	}
	return false;
}

static bool
hubble_time(struct flow_reader *r, const struct ynode *flow, const struct ynode *response, int64_t *out)
{
	const struct ynode *time = ynode_get(flow, "time");
	if (!time)
		time = ynode_get(response, "time");
	const char *text = ynode_string(time);
	if (!text)
		return bad_record(r, time ? &time->loc : &flow->loc, "%s has no time", "the flow");
	if (!when_parse_datetime(text, out))
		return bad_record(r, &time->loc, "\"%s\" is not an RFC 3339 time", text);
	return true;
}

/* A flow: added, skipped (counted), or false after an error. */
static bool
hubble_flow(struct flow_reader *r, const struct ynode *flow, const struct ynode *response)
{
	struct flow_record record = { .loc = flow->loc };
	const struct ynode *verdict = ynode_get(flow, "verdict");
	const char *is_reply = ynode_string(ynode_get(flow, "is_reply"));
	bool known, bad = false;
	if (!ynode_string(verdict))
		return bad_record(r, verdict ? &verdict->loc : &flow->loc, "%s has no verdict", "the flow");
	if (!hubble_time(r, flow, response, &record.time))
		return false;
	parse_verdict(verdict->scalar, &record.verdict, &known);
	if (!known || (is_reply && strcmp(is_reply, "true") == 0) || !hubble_l4(r, ynode_get(flow, "l4"), &record, &bad)) {
		r->log->skipped++;
		return !bad;
	}
	if (!hubble_end(r, flow, "source", "source_names", &record.src)
		|| !hubble_end(r, flow, "destination", "destination_names", &record.dst))
		return false;
	if ((!record.src.ns && !record.src.has_addr) || (!record.dst.ns && !record.dst.has_addr))
		r->log->skipped++;
	else
		add_record(r, &record);
	return true;
}

/* A line: a GetFlowsResponse, the Flow itself, or a response of another
 * kind (node status, lost events), skipped. */
static bool
hubble_value(struct flow_reader *r, const struct ynode *value)
{
	static const char *const other[] = { "node_status", "lost_events", "agent_event", "debug_event" };
	if (value->kind != YNODE_MAPPING)
		return bad_record(r, &value->loc, "%s is not a JSON object", "the line");
	const struct ynode *flow = ynode_get(value, "flow");
	if (flow && flow->kind == YNODE_MAPPING)
		return hubble_flow(r, flow, value);
	if (ynode_get(value, "verdict"))
		return hubble_flow(r, value, NULL);
	for (size_t i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		if (ynode_get(value, other[i])) {
			r->log->skipped++;
			return true;
		}
	return bad_record(r, &value->loc, "%s is neither a flow nor a GetFlowsResponse", "the object");
}

static bool
each_value(const struct ynode *value, void *reader)
{
	return hubble_value(reader, value);
}

/* Line by line: an export of any length costs the memory of its records,
 * not of its JSON trees (what a record keeps is copied out of them). */
static bool
read_hubble(struct flow_reader *r, const struct source *src)
{
	return jsonread_each(r->diags, src, each_value, r);
}

/* ---- CSV ---- */

enum csv_column { CSV_TIME, CSV_SOURCE, CSV_DESTINATION, CSV_DESTINATION_NAME, CSV_PORT, CSV_PROTOCOL, CSV_VERDICT,
	CSV_COLUMNS };
static const char *const csv_names[CSV_COLUMNS] = {
	"time", "source", "destination", "destination_name", "port", "protocol", "verdict",
};

struct csv_field {
	const char *text;
	struct loc loc;
};

/* The fields of a line, RFC 4180 quoting ("" for a quote); false for a
 * quote left open, which would run into the next line. */
static bool
csv_split(struct flow_reader *r, const struct source *src, uint32_t line, struct vec *fields)
{
	size_t len;
	const char *text = source_line(src, line, &len), *end = text + len;
	if (len && end[-1] == '\r')
		end--;
	for (const char *c = text;;) {
		struct csv_field *field = arena_alloc(r->arena, sizeof(*field));
		char *out = arena_alloc(r->arena, (size_t)(end - c) + 1), *o = out;
		const char *start = c;
		if (c < end && *c == '"') {
			for (c++; c < end && !(*c == '"' && (c + 1 >= end || c[1] != '"')); c++)
				*o++ = *c == '"' ? *c++ : *c;
			if (c >= end)
				return bad_record(r, &(struct loc){ src, line, (uint32_t)(start - text) + 1, line,
					(uint32_t)(end - text) + 1 }, "%s: a quoted field is not closed on its line", "CSV");
			c++;
		}
		while (c < end && *c != ',')
			*o++ = *c++;
		*field = (struct csv_field){ out, { src, line, (uint32_t)(start - text) + 1, line,
			(uint32_t)(c - text) + 1 + (c == start) } };
		vec_push(r->arena, fields, field);
		if (c >= end)
			return true;
		c++;
	}
}

/* The header's columns, each to its index in a line. */
static bool
csv_header(struct flow_reader *r, const struct vec *fields, int *index)
{
	for (int i = 0; i < CSV_COLUMNS; i++)
		index[i] = -1;
	for (size_t i = 0; i < fields->len; i++) {
		const struct csv_field *f = vec_at(fields, i);
		int column = 0;
		while (column < CSV_COLUMNS && strcmp(f->text, csv_names[column]) != 0)
			column++;
		if (column == CSV_COLUMNS) {
			struct diag *d = diag_report(r->diags, DIAG_FLOWS_BAD_RECORD, &f->loc, "unknown column \"%s\"", f->text);
			const char *nearest = diag_nearest(f->text, csv_names, CSV_COLUMNS);
			diag_hint(d, nearest ? "did you mean \"%s\"?" : "%s", nearest ? nearest : csv_hint);
			return false;
		}
		if (index[column] >= 0)
			return bad_record(r, &f->loc, "column \"%s\" is named twice", f->text);
		index[column] = (int)i;
	}
	for (int i = 0; i < CSV_COLUMNS; i++)
		if (index[i] < 0 && i != CSV_DESTINATION_NAME)
			return bad_record(r, &((const struct csv_field *)vec_at(fields, 0))->loc,
				"the header has no column \"%s\"", csv_names[i]);
	return true;
}

/* "k=v,k2=v2" into the end's labels. */
static bool
csv_labels(struct flow_reader *r, const struct csv_field *f, const char *text, struct flow_end *end)
{
	size_t max = 1;
	for (const char *c = text; *c; c++)
		max += *c == ',';
	struct label *labels = arena_array(r->arena, max, sizeof(*labels));
	size_t count = 0;
	char *copy = arena_strdup(r->arena, text), *save = NULL;
	for (char *pair = strtok_r(copy, ",", &save); pair; pair = strtok_r(NULL, ",", &save)) {
		char *equals = strchr(pair, '=');
		if (!equals)
			return bad_record(r, &f->loc, "\"%s\" is not KEY=VALUE", pair);
		*equals = '\0';
		if (validate_label_key(pair) || validate_label_value(equals + 1))
			return bad_record(r, &f->loc, "\"%s\" is not a Kubernetes label", pair);
		labels[count++] = (struct label){ pair, equals + 1 };
	}
	set_labels(end, labels, count);
	return true;
}

/* NS/KEY=VALUE,..., NS alone (a pod without labels), or an address. */
static bool
csv_end(struct flow_reader *r, const struct csv_field *f, struct flow_end *end)
{
	if (net_looks_like_address(f->text)) {
		if (!set_address(end, f->text))
			return bad_record(r, &f->loc, "\"%s\" is not an IP address", f->text);
		return true;
	}
	const char *slash = strchr(f->text, '/');
	char *ns = arena_strndup(r->arena, f->text, slash ? (size_t)(slash - f->text) : strlen(f->text));
	if (validate_dns_label(ns))
		return bad_record(r, &f->loc, "\"%s\" is neither NAMESPACE[/LABELS] nor an IP address", f->text);
	end->ns = ns;
	return !slash || csv_labels(r, f, slash + 1, end);
}

static const struct csv_field *
csv_get(const struct vec *fields, const int *index, enum csv_column column)
{
	return index[column] < 0 ? NULL : vec_at(fields, (size_t)index[column]);
}

static bool
csv_record(struct flow_reader *r, const struct vec *fields, const int *index)
{
	struct flow_record record = { .loc = ((const struct csv_field *)vec_at(fields, 0))->loc };
	const struct csv_field *time = csv_get(fields, index, CSV_TIME), *port = csv_get(fields, index, CSV_PORT);
	const struct csv_field *proto = csv_get(fields, index, CSV_PROTOCOL), *verdict = csv_get(fields, index, CSV_VERDICT);
	const struct csv_field *name = csv_get(fields, index, CSV_DESTINATION_NAME);
	record.loc.end_col = ((const struct csv_field *)vec_at(fields, fields->len - 1))->loc.end_col;
	char *end;
	errno = 0;
	long number = strtol(port->text, &end, 10);
	bool known;
	if (!when_parse_datetime(time->text, &record.time))
		return bad_record(r, &time->loc, "\"%s\" is not an RFC 3339 time", time->text);
	if (errno || end == port->text || *end || number < 1 || number > 65535 || port->text[0] == '0')
		return bad_record(r, &port->loc, "\"%s\" is not a port from 1 to 65535", port->text);
	if (!net_parse_proto(proto->text, &record.proto))
		return bad_record(r, &proto->loc, "\"%s\" is not TCP, UDP or SCTP", proto->text);
	if (parse_verdict(verdict->text, &record.verdict, &known), !known)
		return bad_record(r, &verdict->loc, "\"%s\" is not forwarded, dropped or audit", verdict->text);
	record.port = (int)number;
	if (!csv_end(r, csv_get(fields, index, CSV_SOURCE), &record.src)
		|| !csv_end(r, csv_get(fields, index, CSV_DESTINATION), &record.dst))
		return false;
	if (name && *name->text) {
		if (validate_domain(name->text) || record.dst.ns)
			return bad_record(r, &name->loc, "\"%s\" is not the DNS name of an outside destination", name->text);
		record.dst.name = arena_strdup_lower(r->arena, name->text);
	}
	add_record(r, &record);
	return true;
}

/* Blank lines and lines starting with # are skipped. */
static bool
read_csv(struct flow_reader *r, const struct source *src)
{
	int index[CSV_COLUMNS];
	bool header = false;
	size_t columns = 0;
	for (uint32_t line = 1; line <= src->line_count; line++) {
		size_t len;
		const char *text = source_line(src, line, &len);
		if (len == 0 || text[0] == '#' || (len == 1 && text[0] == '\r'))
			continue;
		struct vec fields = { 0 };
		if (!csv_split(r, src, line, &fields))
			return false;
		if (!header) {
			if (!csv_header(r, &fields, index))
				return false;
			header = true;
			columns = fields.len;
			continue;
		}
		const struct csv_field *first = vec_at(&fields, 0);
		if (fields.len != columns)
			return bad_record(r, &first->loc, "%s: not as many fields as the header has columns", "CSV");
		if (!csv_record(r, &fields, index))
			return false;
	}
	return true;
}

bool
flows_parse(struct arena *arena, struct diag_set *diags, const struct source *src, struct flow_log *log)
{
	*log = (struct flow_log){ 0 };
	size_t start = strspn(src->text, " \t\r\n");
	struct flow_reader r = { arena, diags, log, src->text[start] == '{' ? hubble_hint : csv_hint };
	log->csv = r.hint == csv_hint;
	return log->csv ? read_csv(&r, src) : read_hubble(&r, src);
}

bool
flows_read(struct arena *arena, struct diag_set *diags, const char *path, struct flow_log *log)
{
	bool missing;
	struct source *src = source_read(arena, diags, path, path, LIMIT_CATALOG_FILE_SIZE, NULL, &missing);
	if (missing)
		diag_report(diags, DIAG_IO_ERROR, NULL, "cannot read \"%s\": %s", path, strerror(ENOENT));
	return src && flows_parse(arena, diags, src, log);
}
