#include "unit.h"

#include "vendorc/sha256.h"

static const char *
digest_of(const char *data, size_t len, size_t chunk)
{
	static char hex[65];
	struct sha256 ctx;
	sha256_init(&ctx);
	for (size_t at = 0; at < len; at += chunk)
		sha256_update(&ctx, data + at, len - at < chunk ? len - at : chunk);
	sha256_hex(&ctx, hex);
	return hex;
}

/* The examples of FIPS 180-4 (NIST's "SHA256.pdf"): one block, two blocks,
 * and a million "a"s, fed whole and in pieces that straddle blocks. */
static void
test_nist_vectors(void)
{
	CHECK(strcmp(digest_of("abc", 3, 3),
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0);
	CHECK(strcmp(digest_of("", 0, 1),
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == 0);
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	for (size_t chunk = 1; chunk <= 64; chunk *= 3)
		CHECK(strcmp(digest_of(two, strlen(two), chunk),
			"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1") == 0);
	static char million[1000000];
	memset(million, 'a', sizeof(million));
	CHECK(strcmp(digest_of(million, sizeof(million), 4096),
		"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0);
}

/* Lengths about the padding's edge: 55 bytes leave room for the length
 * in their block, 56 and 63 do not, 64 fill it. Digests from sha256sum. */
static void
test_padding_edges(void)
{
	static const struct {
		size_t len;
		const char *digest;
	} cases[] = {
		{ 55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072" },
		{ 56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e" },
		{ 63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2" },
		{ 64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c" },
	};
	char bytes[64];
	memset(bytes, 'x', sizeof(bytes));
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		CHECK(strcmp(digest_of(bytes, cases[i].len, cases[i].len), cases[i].digest) == 0);
		CHECK(strcmp(digest_of(bytes, cases[i].len, 5), cases[i].digest) == 0);
	}
}

int
main(void)
{
	test_nist_vectors();
	test_padding_edges();
	return unit_finish("sha256");
}
