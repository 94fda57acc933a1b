#include "vendorc/net.h"

#include "vendorc/arena.h"

#include <arpa/inet.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

static const char *const net_proto_names[] = {
	[NET_TCP] = "TCP", [NET_UDP] = "UDP", [NET_SCTP] = "SCTP",
};

/* inet_pton accepts "010.0.0.1" on some libcs and reads it as octal on
 * others; vendor files must mean one thing everywhere, so refuse it. */
static bool
net_ipv4_has_leading_zero(const char *text)
{
	for (const char *p = text; *p; p++) {
		bool starts_octet = p == text || p[-1] == '.';
		if (starts_octet && p[0] == '0' && p[1] >= '0' && p[1] <= '9')
			return true;
	}
	return false;
}

static bool
net_parse_address(const char *text, struct net_cidr *out)
{
	memset(out, 0, sizeof(*out));
	if (strchr(text, ':')) {
		out->family = 6;
		return inet_pton(AF_INET6, text, out->addr) == 1;
	}
	out->family = 4;
	return !net_ipv4_has_leading_zero(text) && inet_pton(AF_INET, text, out->addr) == 1;
}

/* Decimal, no sign, no leading zeros, at most max. */
static bool
net_parse_prefix(const char *text, unsigned max, uint8_t *out)
{
	unsigned value = 0;
	size_t len = strlen(text);
	if (len == 0 || len > 3 || (len > 1 && text[0] == '0'))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (text[i] < '0' || text[i] > '9')
			return false;
		value = value * 10 + (unsigned)(text[i] - '0');
	}
	if (value > max)
		return false;
	*out = (uint8_t)value;
	return true;
}

static size_t
net_family_bytes(const struct net_cidr *cidr)
{
	return cidr->family == 4 ? 4 : 16;
}

/* Whether the first bits bits of a and b agree. */
static bool
net_bits_equal(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	size_t whole = bits / 8;
	if (memcmp(a, b, whole) != 0)
		return false;
	unsigned rest = bits % 8;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xFF << (8 - rest));
	return (a[whole] & mask) == (b[whole] & mask);
}

/* Clears the bits past the prefix; returns whether any was set. */
static bool
net_clear_host_bits(struct net_cidr *cidr)
{
	bool had = false;
	for (size_t i = 0; i < net_family_bytes(cidr); i++) {
		unsigned first = (unsigned)i * 8;
		uint8_t keep = first >= cidr->prefix ? 0
			: first + 8 <= cidr->prefix ? 0xFF
			: (uint8_t)(0xFF << (8 - (cidr->prefix - first)));
		had |= (cidr->addr[i] & ~keep) != 0;
		cidr->addr[i] &= keep;
	}
	return had;
}

/* The address and prefix as written, host bits and all. */
static enum net_cidr_error
net_parse_written(const char *text, struct net_cidr *out)
{
	char address[64];
	const char *slash = strchr(text, '/');
	size_t len = slash ? (size_t)(slash - text) : strlen(text);
	if (len == 0 || len >= sizeof(address))
		return NET_CIDR_SYNTAX;
	memcpy(address, text, len);
	address[len] = '\0';
	if (!net_parse_address(address, out))
		return NET_CIDR_SYNTAX;
	unsigned max = out->family == 4 ? 32 : 128;
	out->prefix = (uint8_t)max;
	if (slash && !net_parse_prefix(slash + 1, max, &out->prefix))
		return NET_CIDR_PREFIX;
	return NET_CIDR_OK;
}

/* On NET_CIDR_HOST_BITS, *out holds the written range's network (host
 * bits cleared); net_host_bits_hint says what else it may have meant. */
enum net_cidr_error
net_parse_cidr(const char *text, struct net_cidr *out)
{
	enum net_cidr_error error = net_parse_written(text, out);
	if (error != NET_CIDR_OK)
		return error;
	return net_clear_host_bits(out) ? NET_CIDR_HOST_BITS : NET_CIDR_OK;
}

/* The shortest prefix at which the address has no host bits. */
static uint8_t
net_exact_prefix(const struct net_cidr *address)
{
	unsigned bit = (unsigned)net_family_bytes(address) * 8;
	while (bit > 0 && !(address->addr[(bit - 1) / 8] & (0x80 >> ((bit - 1) % 8))))
		bit--;
	return (uint8_t)bit;
}

/* Past 2^32 a decimal count reads as noise: the power says the size. */
static const char *
net_size_text(struct arena *arena, const struct net_cidr *cidr)
{
	unsigned host_bits = (unsigned)net_family_bytes(cidr) * 8 - cidr->prefix;
	if (host_bits == 0)
		return "1 address";
	if (host_bits <= 32)
		return arena_printf(arena, "%llu addresses", 1ULL << host_bits);
	return arena_printf(arena, "2^%u addresses", host_bits);
}

/* Clearing the host bits widens what was most likely a typo of the
 * prefix ("203.0.113.0/16" for /24): a security tool offers the narrower
 * reading first and says that the cleared one admits more. Host bits set
 * past the prefix make the exact prefix always the longer one. */
const char *
net_host_bits_hint(struct arena *arena, const char *text)
{
	struct net_cidr exact, network;
	if (net_parse_written(text, &exact) != NET_CIDR_OK)
		return NULL;
	network = exact;
	if (!net_clear_host_bits(&network))
		return NULL;
	exact.prefix = net_exact_prefix(&exact);
	return arena_printf(arena, "did you mean \"%s\" (%s)? \"%s\" (%s) holds it and more",
		net_format_cidr(arena, &exact), net_size_text(arena, &exact),
		net_format_cidr(arena, &network), net_size_text(arena, &network));
}

const char *
net_format_address(struct arena *arena, const struct net_cidr *cidr)
{
	char address[INET6_ADDRSTRLEN];
	int af = cidr->family == 4 ? AF_INET : AF_INET6;
	return arena_strdup(arena, inet_ntop(af, cidr->addr, address, sizeof(address)) ? address : "?");
}

const char *
net_format_cidr(struct arena *arena, const struct net_cidr *cidr)
{
	return arena_printf(arena, "%s/%u", net_format_address(arena, cidr), cidr->prefix);
}

bool
net_cidr_overlaps(const struct net_cidr *a, const struct net_cidr *b)
{
	if (a->family != b->family)
		return false;
	unsigned bits = a->prefix < b->prefix ? a->prefix : b->prefix;
	return net_bits_equal(a->addr, b->addr, bits);
}

bool
net_cidr_contains(const struct net_cidr *outer, const struct net_cidr *inner)
{
	return outer->family == inner->family && outer->prefix <= inner->prefix
		&& net_bits_equal(outer->addr, inner->addr, outer->prefix);
}

static const struct net_cidr net_mapped_block = {
	.family = 6, .prefix = 96, .addr = { [10] = 0xFF, [11] = 0xFF },
};

bool
net_cidr_ipv4_mapped(const struct net_cidr *cidr, struct net_cidr *ipv4)
{
	if (!net_cidr_overlaps(cidr, &net_mapped_block))
		return false;
	*ipv4 = (struct net_cidr){ .family = 4 };
	if (cidr->prefix > net_mapped_block.prefix) {
		ipv4->prefix = (uint8_t)(cidr->prefix - net_mapped_block.prefix);
		memcpy(ipv4->addr, cidr->addr + 12, 4);
	}
	return true;
}

/* IPv4 before IPv6, then by address, then shorter prefix first. */
int
net_cidr_compare(const struct net_cidr *a, const struct net_cidr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	int by_addr = memcmp(a->addr, b->addr, net_family_bytes(a));
	if (by_addr)
		return by_addr < 0 ? -1 : 1;
	return (a->prefix > b->prefix) - (a->prefix < b->prefix);
}

/* Also true for malformed dotted numbers ("1.2.3", "300.1.1.1"), so that
 * they are reported as bad addresses, not as bad domains. */
bool
net_looks_like_address(const char *text)
{
	struct net_cidr cidr;
	if (net_parse_cidr(text, &cidr) != NET_CIDR_SYNTAX)
		return true;
	if (!*text)
		return false;
	return strspn(text, "0123456789.") == strlen(text);
}

const char *
net_proto_name(enum net_proto proto)
{
	return net_proto_names[proto];
}

bool
net_parse_proto(const char *text, enum net_proto *out)
{
	for (size_t i = 0; i < sizeof(net_proto_names) / sizeof(net_proto_names[0]); i++) {
		if (strcasecmp(text, net_proto_names[i]) == 0) {
			*out = (enum net_proto)i;
			return true;
		}
	}
	return false;
}

/* Halves from until no except overlaps a part partly: a part inside an
 * except goes, a part clear of all of them stays whole. */
void
net_cidr_subtract(struct arena *arena, const struct net_cidr *from, const struct vec *except,
	struct vec *out)
{
	bool overlapped = false;
	for (size_t i = 0; i < except->len; i++) {
		const struct net_cidr *cut = vec_at(except, i);
		if (net_cidr_contains(cut, from))
			return;
		overlapped |= net_cidr_overlaps(cut, from);
	}
	if (!overlapped) {
		struct net_cidr *kept = arena_alloc(arena, sizeof(*kept));
		*kept = *from;
		vec_push(arena, out, kept);
		return;
	}
	struct net_cidr low = *from, high = *from;
	low.prefix = high.prefix = (uint8_t)(from->prefix + 1);
	high.addr[from->prefix / 8] |= (uint8_t)(0x80u >> (from->prefix % 8));
	net_cidr_subtract(arena, &low, except, out);
	net_cidr_subtract(arena, &high, except, out);
}
