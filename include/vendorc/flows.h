#ifndef VENDORC_FLOWS_H
#define VENDORC_FLOWS_H

/* Exported flows, as `vendorc observe` reads them (docs/observe.md): the
 * connections a cluster saw, each with its verdict. Two formats, told
 * apart by the first character that is not white space:
 *
 *   Hubble's JSON  `hubble observe -o json`: one object per line, a
 *                  GetFlowsResponse ({"flow": {...}, "node_name", "time"})
 *                  or, from older clients, the Flow itself; the fields of
 *                  flow.Flow in cilium/cilium api/v1/flow/flow.proto
 *   CSV            a header line naming the columns (any order): time,
 *                  source, destination, port, protocol, verdict, and
 *                  optionally destination_name; RFC 4180 quoting
 *
 * Replies, flows that are not TCP, UDP or SCTP, and verdicts other than
 * forwarded and dropped (audit counts as dropped: Cilium's audit mode
 * says what it would have dropped) are skipped and counted. */

#include "vendorc/arena.h"
#include "vendorc/net.h"
#include "vendorc/selector.h"
#include "vendorc/source.h"

#include <stdbool.h>
#include <stdint.h>

struct diag_set;

/* A pod (ns set, its labels sorted by key) or an address outside. */
struct flow_end {
	const char *ns;
	const struct label *labels;
	size_t label_count;
	bool has_addr;
	struct net_cidr addr;      /* a host: /32 or /128 */
	const char *name;          /* the DNS name it was reached by, lower case; or NULL */
};

enum flow_verdict { FLOW_FORWARDED, FLOW_DROPPED };

struct flow_record {
	struct loc loc;            /* the record: its line, or its JSON object */
	int64_t time;
	enum flow_verdict verdict;
	struct flow_end src, dst;
	enum net_proto proto;
	int port;                  /* the destination port, as the destination pod saw it */
};

struct flow_log {
	struct vec records;        /* struct flow_record *, in file order */
	size_t skipped;
	bool csv;
};

/* The flows of the file at path (or of src), into *log; a record that
 * cannot be read is an error at its place (flows-bad-record, json-syntax). */
bool flows_read(struct arena *arena, struct diag_set *diags, const char *path, struct flow_log *log);
bool flows_parse(struct arena *arena, struct diag_set *diags, const struct source *src, struct flow_log *log);

#endif
