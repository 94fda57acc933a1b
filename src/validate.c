#define PCRE2_CODE_UNIT_WIDTH 8

#include "vendorc/validate.h"

#include "vendorc/net.h"

#include <ctype.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum pattern_id {
	PATTERN_DNS_LABEL,
	PATTERN_DNS_SUBDOMAIN,
	PATTERN_LABEL_NAME,
	PATTERN_PORT_NAME,
	PATTERN_DOMAIN,
	PATTERN_CILIUM_NAME,
	PATTERN_CILIUM_PATTERN,
	PATTERN_YAML_TYPED,
	PATTERN_IMAGE,
	PATTERN_COUNT
};

#define DNS_LABEL "[a-z0-9](?:[-a-z0-9]*[a-z0-9])?"
#define HOST_LABEL "[A-Za-z0-9](?:[-A-Za-z0-9]*[A-Za-z0-9])?"

static const char *const pattern_text[PATTERN_COUNT] = {
	[PATTERN_DNS_LABEL] = "^" DNS_LABEL "$",
	[PATTERN_DNS_SUBDOMAIN] = "^" DNS_LABEL "(?:\\." DNS_LABEL ")*$",
	[PATTERN_LABEL_NAME] = "^[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?$",
	/* RFC 6335: letters and digits, single inner hyphens, one letter at least. */
	[PATTERN_PORT_NAME] = "^(?=.*[a-z])[a-z0-9]+(?:-[a-z0-9]+)*$",
	[PATTERN_DOMAIN] = "^(?:\\*\\.)?" HOST_LABEL "(?:\\." HOST_LABEL ")+$",
	/* The characters Cilium's API accepts in toFQDNs and DNS rules. */
	[PATTERN_CILIUM_NAME] = "^[-a-zA-Z0-9_.]+$",
	[PATTERN_CILIUM_PATTERN] = "^[-a-zA-Z0-9_.*]+$",
	/* What YAML 1.1 or 1.2 would read as something other than a string:
	 * booleans, nulls, = and <<, numbers in any base (sexagesimal too),
	 * floats (1.1 lets a float hold several dots), .inf/.nan and dates. */
	[PATTERN_YAML_TYPED] = "^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE"
		"|on|On|ON|off|Off|OFF|~|null|Null|NULL|=|<<"
		"|[-+]?(?:0b[01_]+|0o?[0-7_]+|0x[0-9a-fA-F_]+)"
		"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\\.[0-9_.]*)?(?:[eE][-+]?[0-9]+)?"
		"|[-+]?\\.[0-9][0-9_.]*(?:[eE][-+]?[0-9]+)?"
		"|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)"
		"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?)$",
	/* A container image reference as the distribution spec's grammar
	 * has it: [host[:port]/]path[:tag][@algorithm:digest]. */
	[PATTERN_IMAGE] = "^(?:[a-zA-Z0-9](?:[-a-zA-Z0-9.]*[a-zA-Z0-9])?(?::[0-9]+)?/)?"
		"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
		"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,})?$",
};

/* Compiled on first use. Emitting runs on several threads (parallel.h):
 * a pattern is published once under a lock, and each thread matches with
 * match data of its own, freed when the thread ends. */
static _Atomic(pcre2_code *) patterns[PATTERN_COUNT];
static pthread_mutex_t compile_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t match_data_once = PTHREAD_ONCE_INIT;
static pthread_key_t match_data_key;

static void
free_match_data(void *match_data)
{
	pcre2_match_data_free(match_data);
}

static void
create_match_data_key(void)
{
	if (pthread_key_create(&match_data_key, free_match_data) != 0)
		abort();
}

static pcre2_match_data *
thread_match_data(void)
{
	pthread_once(&match_data_once, create_match_data_key);
	pcre2_match_data *match_data = pthread_getspecific(match_data_key);
	if (!match_data) {
		match_data = pcre2_match_data_create(1, NULL);
		if (!match_data || pthread_setspecific(match_data_key, match_data) != 0)
			abort();
	}
	return match_data;
}

static pcre2_code *
pattern(enum pattern_id id)
{
	pcre2_code *code = atomic_load_explicit(&patterns[id], memory_order_acquire);
	if (code)
		return code;
	pthread_mutex_lock(&compile_lock);
	code = atomic_load_explicit(&patterns[id], memory_order_relaxed);
	if (!code) {
		int error;
		PCRE2_SIZE offset;
		code = pcre2_compile((PCRE2_SPTR)pattern_text[id], PCRE2_ZERO_TERMINATED,
			PCRE2_UTF | PCRE2_NO_AUTO_CAPTURE, &error, &offset, NULL);
		if (!code) {
			/* A pattern above is wrong: a bug, not an input error. */
			fprintf(stderr, "vendorc: internal error: pattern %d does not compile\n", id);
			abort();
		}
		atomic_store_explicit(&patterns[id], code, memory_order_release);
	}
	pthread_mutex_unlock(&compile_lock);
	return code;
}

static bool
matches(enum pattern_id id, const char *text)
{
	pcre2_code *code = pattern(id);
	return pcre2_match(code, (PCRE2_SPTR)text, strlen(text), 0, 0, thread_match_data(), NULL) >= 0;
}

void
validate_finish(void)
{
	for (int i = 0; i < PATTERN_COUNT; i++)
		pcre2_code_free(atomic_exchange(&patterns[i], NULL));
	pthread_once(&match_data_once, create_match_data_key);
	free_match_data(pthread_getspecific(match_data_key));
	pthread_setspecific(match_data_key, NULL);
}

const char *
validate_dns_label(const char *text)
{
	if (!*text)
		return "empty";
	if (strlen(text) > 63)
		return "longer than 63 characters";
	if (!matches(PATTERN_DNS_LABEL, text))
		return "not a DNS-1123 label (lower-case letters, digits and '-', "
		       "starting and ending with a letter or digit)";
	return NULL;
}

static const char *
validate_label_name(const char *text, const char *what_empty)
{
	if (!*text)
		return what_empty;
	if (strlen(text) > 63)
		return "longer than 63 characters";
	if (!matches(PATTERN_LABEL_NAME, text))
		return "may hold only letters, digits, '-', '_' and '.', "
		       "and must start and end with a letter or digit";
	return NULL;
}

const char *
validate_label_key(const char *text)
{
	const char *slash = strchr(text, '/');
	if (!slash)
		return validate_label_name(text, "empty label key");
	size_t prefix_len = (size_t)(slash - text);
	if (prefix_len == 0)
		return "empty prefix before '/'";
	if (prefix_len > 253)
		return "prefix longer than 253 characters";
	char prefix[254];
	memcpy(prefix, text, prefix_len);
	prefix[prefix_len] = '\0';
	if (!matches(PATTERN_DNS_SUBDOMAIN, prefix))
		return "prefix is not a DNS subdomain (lower-case labels joined by '.')";
	return validate_label_name(slash + 1, "empty name after '/'");
}

const char *
validate_label_value(const char *text)
{
	return *text ? validate_label_name(text, NULL) : NULL;
}

const char *
validate_cilium_name(const char *text, bool pattern)
{
	if (matches(pattern ? PATTERN_CILIUM_PATTERN : PATTERN_CILIUM_NAME, text))
		return NULL;
	return pattern ? "a matchPattern holds only letters, digits, '-', '_', '.' and '*'"
		: "a matchName holds only letters, digits, '-', '_' and '.'";
}

const char *
validate_port_name(const char *text)
{
	if (strlen(text) > 15)
		return "longer than 15 characters";
	if (!matches(PATTERN_PORT_NAME, text))
		return "not an IANA service name (lower-case letters, digits and single inner '-', "
		       "at least one letter)";
	return NULL;
}

static const char *
long_label(const char *text)
{
	for (const char *label = text; *label;) {
		size_t len = strcspn(label, ".");
		if (len > 63)
			return "a label longer than 63 characters";
		label += len + (label[len] == '.');
	}
	return NULL;
}

const char *
validate_domain(const char *text)
{
	if (strlen(text) > 253)
		return "longer than 253 characters";
	if (net_looks_like_address(text))
		return "an IP address, not a domain";
	if (!matches(PATTERN_DOMAIN, text)) {
		if (*text && text[strlen(text) - 1] == '.')
			return "no trailing dot";
		if (strchr(text + 1, '*'))
			return "'*.' is allowed only as the whole leftmost label";
		return "not a host name (two or more labels of letters, digits and inner '-')";
	}
	return long_label(text);
}

const char *
validate_cluster_domain(const char *text)
{
	if (strlen(text) > 253)
		return "longer than 253 characters";
	if (!matches(PATTERN_DNS_SUBDOMAIN, text))
		return *text && text[strlen(text) - 1] == '.' ? "no trailing dot"
			: "not lower-case DNS labels joined by '.'";
	return long_label(text);
}

const char *
validate_image(const char *text)
{
	if (strlen(text) > 255)
		return "longer than 255 characters";
	return matches(PATTERN_IMAGE, text) ? NULL : "not an image reference such as registry.example.com/team/probe:1.0";
}

bool
validate_yaml_plain(const char *text)
{
	/* Every typed form that starts with a letter (booleans, nulls) is at
	 * most five characters: a longer word needs no regex. Most output
	 * scalars are such words, and this runs once per scalar written. */
	if (isalpha((unsigned char)text[0]) && strnlen(text, 6) == 6)
		return true;
	return *text && !matches(PATTERN_YAML_TYPED, text);
}
