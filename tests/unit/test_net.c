#include "unit.h"

#include "vendorc/arena.h"
#include "vendorc/net.h"

static struct arena *arena;

/* The canonical text of a CIDR that must parse, or "" when it does not. */
static const char *
canonical(const char *text)
{
	struct net_cidr cidr;
	if (net_parse_cidr(text, &cidr) != NET_CIDR_OK)
		return "";
	return net_format_cidr(arena, &cidr);
}

static enum net_cidr_error
parse_error(const char *text)
{
	struct net_cidr cidr;
	return net_parse_cidr(text, &cidr);
}

static struct net_cidr
cidr(const char *text)
{
	struct net_cidr out;
	CHECK(net_parse_cidr(text, &out) == NET_CIDR_OK);
	return out;
}

static void
test_parse_ok(void)
{
	CHECK_STR(canonical("10.0.0.0/8"), "10.0.0.0/8");
	CHECK_STR(canonical("192.168.1.7"), "192.168.1.7/32");
	CHECK_STR(canonical("0.0.0.0/0"), "0.0.0.0/0");
	CHECK_STR(canonical("0.0.0.0"), "0.0.0.0/32");
	CHECK_STR(canonical("255.255.255.255/32"), "255.255.255.255/32");
	CHECK_STR(canonical("2001:db8::/32"), "2001:db8::/32");
	CHECK_STR(canonical("2001:0DB8:0000:0000:0000:0000:0000:0001"), "2001:db8::1/128");
	CHECK_STR(canonical("2001:db8:0:0:1:0:0:0/80"), "2001:db8:0:0:1::/80");
	CHECK_STR(canonical("::/0"), "::/0");
	CHECK_STR(canonical("::1"), "::1/128");
	CHECK_STR(canonical("2001:db8:100::/48"), "2001:db8:100::/48");
	CHECK_STR(canonical("10.0.0.0/0"), "");
	struct net_cidr v6 = cidr("fe80::/10");
	CHECK(v6.family == 6 && v6.prefix == 10 && v6.addr[0] == 0xfe && v6.addr[1] == 0x80);
	struct net_cidr v4 = cidr("198.51.100.0/24");
	CHECK(v4.family == 4 && v4.prefix == 24 && v4.addr[0] == 198 && v4.addr[3] == 0);
}

static void
test_parse_errors(void)
{
	CHECK(parse_error("") == NET_CIDR_SYNTAX);
	CHECK(parse_error("/8") == NET_CIDR_SYNTAX);
	CHECK(parse_error("10.0.0") == NET_CIDR_SYNTAX);
	CHECK(parse_error("10.0.0.256") == NET_CIDR_SYNTAX);
	CHECK(parse_error("010.0.0.1") == NET_CIDR_SYNTAX);
	CHECK(parse_error("10.00.0.1") == NET_CIDR_SYNTAX);
	CHECK(parse_error("10.0.0.01/32") == NET_CIDR_SYNTAX);
	CHECK(parse_error(" 10.0.0.1") == NET_CIDR_SYNTAX);
	CHECK(parse_error("api.acme.io") == NET_CIDR_SYNTAX);
	CHECK(parse_error("2001:db8:::1") == NET_CIDR_SYNTAX);
	CHECK(parse_error("fe80::1%eth0") == NET_CIDR_SYNTAX);
	CHECK(parse_error("10.0.0.0/33") == NET_CIDR_PREFIX);
	CHECK(parse_error("10.0.0.0/") == NET_CIDR_PREFIX);
	CHECK(parse_error("10.0.0.0/08") == NET_CIDR_PREFIX);
	CHECK(parse_error("10.0.0.0/+8") == NET_CIDR_PREFIX);
	CHECK(parse_error("10.0.0.0/8/8") == NET_CIDR_PREFIX);
	CHECK(parse_error("10.0.0.0/0008") == NET_CIDR_PREFIX);
	CHECK(parse_error("2001:db8::/129") == NET_CIDR_PREFIX);
	CHECK(parse_error("2001:db8::/64") == NET_CIDR_OK);
	CHECK(parse_error("10.0.0.0/00") == NET_CIDR_PREFIX);
}

static void
test_host_bits(void)
{
	struct net_cidr out;
	CHECK(net_parse_cidr("10.0.0.1/8", &out) == NET_CIDR_HOST_BITS);
	/* The network the text meant, for a "did you mean" hint. */
	CHECK_STR(net_format_cidr(arena, &out), "10.0.0.0/8");
	CHECK(net_parse_cidr("192.168.1.129/25", &out) == NET_CIDR_HOST_BITS);
	CHECK_STR(net_format_cidr(arena, &out), "192.168.1.128/25");
	CHECK(net_parse_cidr("192.168.1.128/25", &out) == NET_CIDR_OK);
	CHECK(net_parse_cidr("1.0.0.0/0", &out) == NET_CIDR_HOST_BITS);
	CHECK(net_parse_cidr("2001:db8::1/64", &out) == NET_CIDR_HOST_BITS);
	CHECK_STR(net_format_cidr(arena, &out), "2001:db8::/64");
	CHECK(net_parse_cidr("2001:db8:8000::/33", &out) == NET_CIDR_OK);
	CHECK(net_parse_cidr("2001:db8:8000::/32", &out) == NET_CIDR_HOST_BITS);
}

/* The narrowest range holding the written address comes first; clearing
 * the host bits would widen access. */
static void
test_host_bits_hint(void)
{
	CHECK_STR(net_host_bits_hint(arena, "203.0.113.0/16"), "did you mean \"203.0.113.0/24\""
		" (256 addresses)? \"203.0.0.0/16\" (65536 addresses) holds it and more");
	CHECK_STR(net_host_bits_hint(arena, "10.1.2.3/8"), "did you mean \"10.1.2.3/32\""
		" (1 address)? \"10.0.0.0/8\" (16777216 addresses) holds it and more");
	CHECK_STR(net_host_bits_hint(arena, "1.0.0.0/0"), "did you mean \"1.0.0.0/8\""
		" (16777216 addresses)? \"0.0.0.0/0\" (4294967296 addresses) holds it and more");
	CHECK_STR(net_host_bits_hint(arena, "2001:db8::1/64"), "did you mean \"2001:db8::1/128\""
		" (1 address)? \"2001:db8::/64\" (2^64 addresses) holds it and more");
	CHECK_STR(net_host_bits_hint(arena, "2001:db8:0:0:0:0:1:0/96"), "did you mean"
		" \"2001:db8::1:0/112\" (65536 addresses)? \"2001:db8::/96\" (4294967296 addresses)"
		" holds it and more");
	CHECK(net_host_bits_hint(arena, "10.0.0.0/8") == NULL);
	CHECK(net_host_bits_hint(arena, "10.0.0.0/33") == NULL);
}

static void
test_relations(void)
{
	struct net_cidr ten = cidr("10.0.0.0/8"), sub = cidr("10.1.0.0/16");
	struct net_cidr other = cidr("11.0.0.0/8"), all = cidr("0.0.0.0/0");
	struct net_cidr v6all = cidr("::/0"), v6 = cidr("2001:db8::/32");
	CHECK(net_cidr_overlaps(&ten, &sub) && net_cidr_overlaps(&sub, &ten));
	CHECK(!net_cidr_overlaps(&ten, &other));
	CHECK(net_cidr_overlaps(&all, &other));
	CHECK(!net_cidr_overlaps(&all, &v6));
	CHECK(net_cidr_overlaps(&v6all, &v6));
	CHECK(net_cidr_contains(&ten, &sub) && !net_cidr_contains(&sub, &ten));
	CHECK(net_cidr_contains(&ten, &ten));
	CHECK(net_cidr_contains(&all, &ten) && !net_cidr_contains(&all, &v6));
	struct net_cidr a = cidr("10.0.0.0/9"), b = cidr("10.128.0.0/9");
	CHECK(!net_cidr_overlaps(&a, &b) && net_cidr_contains(&ten, &b));
	CHECK(net_cidr_compare(&ten, &sub) < 0 && net_cidr_compare(&sub, &ten) > 0);
	CHECK(net_cidr_compare(&ten, &a) < 0);
	CHECK(net_cidr_compare(&other, &v6) < 0 && net_cidr_compare(&v6, &other) > 0);
	struct net_cidr again = cidr("10.0.0.0/8");
	CHECK(net_cidr_compare(&ten, &again) == 0);
	struct net_cidr high = cidr("200.0.0.0/8");
	CHECK(net_cidr_compare(&other, &high) < 0);
}

/* ::ffff:a.b.c.d/N is a.b.c.d/(N-96); a wider IPv6 range holds all of IPv4. */
static void
test_ipv4_mapped(void)
{
	struct net_cidr ipv4;
	struct net_cidr mapped = cidr("::ffff:10.244.1.0/120");
	CHECK(net_cidr_ipv4_mapped(&mapped, &ipv4));
	struct net_cidr want = cidr("10.244.1.0/24");
	CHECK(net_cidr_compare(&ipv4, &want) == 0);
	struct net_cidr host = cidr("::ffff:203.0.113.7"), want_host = cidr("203.0.113.7");
	CHECK(net_cidr_ipv4_mapped(&host, &ipv4) && net_cidr_compare(&ipv4, &want_host) == 0);
	struct net_cidr all = cidr("0.0.0.0/0");
	struct net_cidr block = cidr("::ffff:0.0.0.0/96"), half = cidr("::/1");
	CHECK(net_cidr_ipv4_mapped(&block, &ipv4) && net_cidr_compare(&ipv4, &all) == 0);
	CHECK(net_cidr_ipv4_mapped(&half, &ipv4) && net_cidr_compare(&ipv4, &all) == 0);
	struct net_cidr v6 = cidr("2001:db8::/32"), next = cidr("::1:0:0:0/96");
	struct net_cidr v4 = cidr("10.0.0.0/8");
	CHECK(!net_cidr_ipv4_mapped(&v6, &ipv4) && !net_cidr_ipv4_mapped(&next, &ipv4));
	CHECK(!net_cidr_ipv4_mapped(&v4, &ipv4));
}

static void
test_looks_like_address(void)
{
	CHECK(net_looks_like_address("10.0.0.1"));
	CHECK(net_looks_like_address("10.0.0.1/8"));
	CHECK(net_looks_like_address("1.2.3"));
	CHECK(net_looks_like_address("300.1.1.1"));
	CHECK(net_looks_like_address("2001:db8::1"));
	CHECK(net_looks_like_address("10.0.0.0/99"));
	CHECK(!net_looks_like_address("api.acme.io"));
	CHECK(!net_looks_like_address("1.2.3.example"));
	CHECK(!net_looks_like_address(""));
}

static void
test_proto(void)
{
	enum net_proto proto = NET_TCP;
	CHECK(net_parse_proto("udp", &proto) && proto == NET_UDP);
	CHECK(net_parse_proto("Sctp", &proto) && proto == NET_SCTP);
	CHECK(net_parse_proto("TCP", &proto) && proto == NET_TCP);
	CHECK(!net_parse_proto("icmp", &proto) && proto == NET_TCP);
	CHECK(!net_parse_proto("", &proto));
	CHECK_STR(net_proto_name(NET_UDP), "UDP");
	CHECK_STR(net_proto_name(NET_SCTP), "SCTP");
	CHECK_STR(net_proto_name(NET_TCP), "TCP");
}

/* from less the excepts, as one comma-separated text of the ranges. */
static const char *
subtract(const char *from, const char *first_except, const char *second_except)
{
	struct net_cidr whole = cidr(from), cuts[2];
	struct vec except = { 0 }, out = { 0 };
	const char *texts[] = { first_except, second_except };
	for (size_t i = 0; i < 2; i++)
		if (texts[i]) {
			cuts[i] = cidr(texts[i]);
			vec_push(arena, &except, &cuts[i]);
		}
	net_cidr_subtract(arena, &whole, &except, &out);
	const char *text = "";
	for (size_t i = 0; i < out.len; i++)
		text = arena_printf(arena, "%s%s%s", text, i ? "," : "", net_format_cidr(arena, vec_at(&out, i)));
	return text;
}

static void
test_subtract(void)
{
	/* Nothing to cut: the range itself. */
	CHECK_STR(subtract("10.0.0.0/8", NULL, NULL), "10.0.0.0/8");
	CHECK_STR(subtract("10.0.0.0/8", "192.168.0.0/16", NULL), "10.0.0.0/8");
	/* An except holding it all leaves nothing. */
	CHECK_STR(subtract("10.1.0.0/16", "10.0.0.0/8", NULL), "");
	/* 10.0.0.0/30 less 10.0.0.1/32: .0, then .2-.3. */
	CHECK_STR(subtract("10.0.0.0/30", "10.0.0.1/32", NULL), "10.0.0.0/32,10.0.0.2/31");
	/* /0 less 10/8 and 128/1: 0-9, 11-127 as the fewest aligned blocks. */
	CHECK_STR(subtract("0.0.0.0/0", "10.0.0.0/8", "128.0.0.0/1"),
		"0.0.0.0/5,8.0.0.0/7,11.0.0.0/8,12.0.0.0/6,16.0.0.0/4,32.0.0.0/3,64.0.0.0/2");
	/* Another family never cuts. */
	CHECK_STR(subtract("2001:db8::/32", "10.0.0.0/8", NULL), "2001:db8::/32");
	CHECK_STR(subtract("2001:db8::/32", "2001:db8:8000::/33", NULL), "2001:db8::/33");
}

int
main(void)
{
	arena = arena_create();
	test_parse_ok();
	test_parse_errors();
	test_host_bits();
	test_host_bits_hint();
	test_relations();
	test_ipv4_mapped();
	test_looks_like_address();
	test_proto();
	test_subtract();
	arena_destroy(arena);
	return unit_finish("net");
}
