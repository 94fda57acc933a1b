#ifndef VENDORC_NET_H
#define VENDORC_NET_H

/* Addresses, ranges, protocols and ports: the vocabulary shared by the
 * vendor language, the catalog and the policies. */

#include <stdbool.h>
#include <stdint.h>

struct arena;

enum net_proto { NET_TCP, NET_UDP, NET_SCTP };

/* An IPv4 or IPv6 range. Invariant after net_parse_cidr: no host bits set. */
struct net_cidr {
	uint8_t family; /* 4 or 6 */
	uint8_t prefix;
	uint8_t addr[16];
};

enum net_cidr_error {
	NET_CIDR_OK,
	NET_CIDR_SYNTAX,
	NET_CIDR_PREFIX,    /* prefix out of range for the family */
	NET_CIDR_HOST_BITS, /* address has bits set past the prefix */
};

/* Parses "A.B.C.D[/N]" or "IPV6[/N]"; a bare address is /32 or /128. */
enum net_cidr_error net_parse_cidr(const char *text, struct net_cidr *out);
/* For text with host bits set: the hint that offers the narrowest range
 * holding the written address, with sizes, before the network the prefix
 * makes; NULL when text has no host bits set. */
const char *net_host_bits_hint(struct arena *arena, const char *text);
/* Canonical text ("10.0.0.0/8", "2001:db8::/32"), in the arena. */
const char *net_format_cidr(struct arena *arena, const struct net_cidr *cidr);
/* Its address alone ("10.0.0.0", "2001:db8::"), as a host is named. */
const char *net_format_address(struct arena *arena, const struct net_cidr *cidr);
bool net_cidr_overlaps(const struct net_cidr *a, const struct net_cidr *b);
bool net_cidr_contains(const struct net_cidr *outer, const struct net_cidr *inner);
/* Appends CIDRs that hold exactly the addresses of from that no
 * except (struct net_cidr *) holds, in address order: an ipBlock's except
 * as ranges an API without except can name. */
struct vec;
void net_cidr_subtract(struct arena *arena, const struct net_cidr *from, const struct vec *except,
	struct vec *out);
int net_cidr_compare(const struct net_cidr *a, const struct net_cidr *b);
/* Whether an IPv6 range holds IPv4-mapped addresses (::ffff:a.b.c.d, RFC
 * 4291 2.5.5.2); *ipv4 is then the IPv4 range they denote, 0.0.0.0/0 when
 * cidr holds the whole block ::ffff:0.0.0.0/96. */
bool net_cidr_ipv4_mapped(const struct net_cidr *cidr, struct net_cidr *ipv4);
/* True when text has the shape of an IP address (so it is not a domain). */
bool net_looks_like_address(const char *text);

/* "TCP", "UDP", "SCTP"; parse is case-insensitive. */
const char *net_proto_name(enum net_proto proto);
bool net_parse_proto(const char *text, enum net_proto *out);

#endif
