#ifndef VENDORC_DRAFT_H
#define VENDORC_DRAFT_H

/* A vendor file that vendorc writes for a person to review (observe
 * --suggest, import): grants gathered by what they reach, their ports
 * merged, and comments for what the language cannot say. The text is
 * parsed back and printed by fmt, so it is canonical by construction and
 * never a file the language refuses. */

#include "vendorc/arena.h"
#include "vendorc/net.h"

#include <stdbool.h>
#include <stddef.h>

struct diag_set;

struct draft {
	struct arena *arena;
	struct vec grants;         /* struct draft_grant *, in the order first added */
	struct vec comments;       /* const char *, unique */
};

/* A grant "HEAD port PORT, ..." ("allow service payments/api",
 * "egress api.acme.io"); port NULL: HEAD alone, every port (allow service). */
void draft_grant(struct draft *draft, const char *head, const char *port);
void draft_comment(struct draft *draft, const char *text);

/* A port as a grant writes it: "443", "53/udp" (tcp is the default). */
const char *draft_port(struct arena *arena, enum net_proto proto, int number);

/* A port of `allow service` for a grant of svc's port number in proto
 * alone: "514/tcp" when the Service has that number in another protocol
 * too (a bare number there selects every protocol), else "443". */
struct service;
const char *draft_service_port(struct arena *arena, const struct service *svc, enum net_proto proto, int number);

/* A STRING of the language, quoted: only \" and \\ are escapes. */
const char *draft_quote(struct arena *arena, const char *text);

/* The file: header (comment lines, each "# ..."), then `vendor NAME {`,
 * identity (its owner, ticket, expiry ... statements, one per line), runs_in,
 * the comments and the grants. NULL when it does not parse (reported). */
const char *draft_file(struct draft *draft, struct diag_set *diags, const char *header, const char *name,
	const char *identity, const char *runs_in, size_t *len);

#endif
