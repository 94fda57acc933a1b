#ifndef VENDORC_DIAG_H
#define VENDORC_DIAG_H

/* Diagnostics: queued while the passes run, printed in order at the end,
 * gcc style (path:line:col: error: ..., the line, carets, hint) or as one
 * JSON object per line. Every diagnostic has a stable code; golden/ holds a
 * case named err-CODE or warn-CODE for each (tests/check-tree enforces it). */

#include "vendorc/source.h"

#include <stdbool.h>
#include <stdio.h>

/* X(ENUM, "code", severity) */
#define DIAG_CODES(X) \
	X(SYNTAX, "syntax", DIAG_ERROR) \
	X(UNEXPECTED_CHARACTER, "unexpected-character", DIAG_ERROR) \
	X(INVALID_UTF8, "invalid-utf8", DIAG_ERROR) \
	X(FILE_TOO_LARGE, "file-too-large", DIAG_ERROR) \
	X(TOKEN_TOO_LONG, "token-too-long", DIAG_ERROR) \
	X(BAD_STRING, "bad-string", DIAG_ERROR) \
	X(MISSING_STATEMENT, "missing-statement", DIAG_ERROR) \
	X(REPEATED_STATEMENT, "repeated-statement", DIAG_ERROR) \
	X(VENDOR_FILE_NAME, "vendor-file-name", DIAG_ERROR) \
	X(VENDOR_DUPLICATE, "vendor-duplicate", DIAG_ERROR) \
	X(BAD_NAME, "bad-name", DIAG_ERROR) \
	X(BAD_LABEL, "bad-label", DIAG_ERROR) \
	X(BAD_PORT, "bad-port", DIAG_ERROR) \
	X(PORT_RANGE_NOT_ALLOWED, "port-range-not-allowed", DIAG_ERROR) \
	X(PORT_NAME_NOT_ALLOWED, "port-name-not-allowed", DIAG_ERROR) \
	X(BAD_CIDR, "bad-cidr", DIAG_ERROR) \
	X(CIDR_HOST_BITS, "cidr-host-bits", DIAG_ERROR) \
	X(CIDR_ZERO_PREFIX, "cidr-zero-prefix", DIAG_ERROR) \
	X(CIDR_CLUSTER_OVERLAP, "cidr-cluster-overlap", DIAG_ERROR) \
	X(BAD_DOMAIN, "bad-domain", DIAG_ERROR) \
	X(BAD_DATE, "bad-date", DIAG_ERROR) \
	X(BAD_SERVICE_REF, "bad-service-ref", DIAG_ERROR) \
	X(UNKNOWN_SERVICE, "unknown-service", DIAG_ERROR) \
	X(UNKNOWN_SERVICE_PORT, "unknown-service-port", DIAG_ERROR) \
	X(SERVICE_PROTOCOL_MISMATCH, "service-protocol-mismatch", DIAG_ERROR) \
	X(SERVICE_NO_ENDPOINTS, "service-no-endpoints", DIAG_ERROR) \
	X(DOMAIN_NOT_LOCKED, "domain-not-locked", DIAG_ERROR) \
	X(VENDOR_OVERLAP, "vendor-overlap", DIAG_ERROR) \
	X(TARGET_IN_VENDOR_NAMESPACE, "target-in-vendor-namespace", DIAG_ERROR) \
	X(CATALOG_POLICY_WIDENS, "catalog-policy-widens", DIAG_ERROR) \
	X(PROJECT_NOT_FOUND, "project-not-found", DIAG_ERROR) \
	X(PROJECT_UNKNOWN_KEY, "project-unknown-key", DIAG_ERROR) \
	X(PROJECT_BAD_VALUE, "project-bad-value", DIAG_ERROR) \
	X(PROJECT_MISSING_KEY, "project-missing-key", DIAG_ERROR) \
	X(PATH_NOT_FOUND, "path-not-found", DIAG_ERROR) \
	X(SYMLINK_LOOP, "symlink-loop", DIAG_ERROR) \
	X(OUTPUT_NOT_DIRECTORY, "output-not-directory", DIAG_ERROR) \
	X(OUTPUT_CONFLICT, "output-conflict", DIAG_ERROR) \
	X(INIT_EXISTS, "init-exists", DIAG_ERROR) \
	X(YAML_SYNTAX, "yaml-syntax", DIAG_ERROR) \
	X(CATALOG_BAD_OBJECT, "catalog-bad-object", DIAG_ERROR) \
	X(LOCK_BAD_ENTRY, "lock-bad-entry", DIAG_ERROR) \
	X(LOCK_WILDCARD, "lock-wildcard", DIAG_ERROR) \
	X(LOCK_UNRESOLVED, "lock-unresolved", DIAG_ERROR) \
	X(VERIFY_VENDOR_FLOW, "verify-vendor-flow", DIAG_ERROR) \
	X(VERIFY_VENDOR_LOOKUP, "verify-vendor-lookup", DIAG_ERROR) \
	X(VERIFY_OTHER_FLOW, "verify-other-flow", DIAG_ERROR) \
	X(VERIFY_NO_FILES, "verify-no-files", DIAG_ERROR) \
	X(VERIFY_MISSING_FILE, "verify-missing-file", DIAG_ERROR) \
	X(VERIFY_MISSING_POLICY, "verify-missing-policy", DIAG_ERROR) \
	X(VERIFY_PRIORITY_COLLISION, "verify-priority-collision", DIAG_ERROR) \
	X(LIMIT_EXCEEDED, "limit-exceeded", DIAG_ERROR) \
	X(ADMIN_BAND_FULL, "admin-band-full", DIAG_ERROR) \
	X(ADMIN_DOMAIN_UNLOCKED, "admin-domain-unlocked", DIAG_ERROR) \
	X(HISTORY_UNAVAILABLE, "history-unavailable", DIAG_ERROR) \
	X(BAD_REVISION, "bad-revision", DIAG_ERROR) \
	X(UNKNOWN_CLUSTER, "unknown-cluster", DIAG_ERROR) \
	X(UNKNOWN_VENDOR, "unknown-vendor", DIAG_ERROR) \
	X(PROBE_RESULTS, "probe-results", DIAG_ERROR) \
	X(JSON_SYNTAX, "json-syntax", DIAG_ERROR) \
	X(FLOWS_BAD_RECORD, "flows-bad-record", DIAG_ERROR) \
	X(IMPORT_CHANGED, "import-changed", DIAG_ERROR) \
	X(IO_ERROR, "io-error", DIAG_FATAL) \
	X(EXPIRED, "expired", DIAG_WARNING) \
	X(EXPIRES_SOON, "expires-soon", DIAG_WARNING) \
	X(EXPIRES_NEVER, "expires-never", DIAG_WARNING) \
	X(REVIEW_OVERDUE, "review-overdue", DIAG_WARNING) \
	X(WIDE_CIDR, "wide-cidr", DIAG_WARNING) \
	X(NAMESPACE_NOT_ISOLATED, "namespace-not-isolated", DIAG_WARNING) \
	X(UNKNOWN_NAMESPACE, "unknown-namespace", DIAG_WARNING) \
	X(POD_PORT_UNDECLARED, "pod-port-undeclared", DIAG_WARNING) \
	X(PLACEHOLDER, "placeholder", DIAG_WARNING) \
	X(LOCK_UNSTABLE, "lock-unstable", DIAG_WARNING) \
	X(EXPIRED_IN_OUTPUT, "expired-in-output", DIAG_WARNING) \
	X(NO_CLUSTER, "no-cluster", DIAG_WARNING) \
	X(ORPHANED_TREE, "orphaned-tree", DIAG_WARNING) \
	X(IMPORT_INEXPRESSIBLE, "import-inexpressible", DIAG_WARNING) \
	X(ADVERSARIAL_OUTSIDE_INGRESS, "adversarial-outside-ingress", DIAG_NOTE)

/* DIAG_FATAL is an error of the machine, not of the input: exit status 3. */
enum diag_severity { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR, DIAG_FATAL };

#define DIAG_ENUM(name, text, severity) DIAG_##name,
enum diag_code { DIAG_CODES(DIAG_ENUM) DIAG_CODE_COUNT };
#undef DIAG_ENUM

/* TEXT_COLOR is TEXT with gcc's ANSI colours, for a terminal. */
enum diag_format { DIAG_FORMAT_TEXT, DIAG_FORMAT_TEXT_COLOR, DIAG_FORMAT_JSON, DIAG_FORMAT_SARIF };

struct arena;
struct diag_set;
struct diag;

struct diag_set *diag_set_create(struct arena *arena);
/* Moves the diagnostics of from (a set a parallel job reported into, whose
 * arena lives as long as set's) into set. */
void diag_set_absorb(struct diag_set *set, struct diag_set *from);
/* The same for its errors alone (a pass run for a proof, whose warnings
 * are not the user's). */
void diag_set_absorb_errors(struct diag_set *set, struct diag_set *from);
/* The same for the diagnostics of one cluster of a fleet, each noted "in
 * cluster NAME"; one that set holds from another cluster already (the same
 * code, place, words and hint) is not repeated: its note names this
 * cluster too ("in clusters staging, prod-eu"), so that what is wrong with a
 * vendor file everywhere is said once. */
void diag_set_absorb_cluster(struct diag_set *set, struct diag_set *from, const char *cluster);

/* Report a diagnostic at loc (copied; NULL means no place at all). The
 * returned record takes a hint and notes. */
struct diag *diag_report(struct diag_set *set, enum diag_code code,
	const struct loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void diag_hint(struct diag *diag, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void diag_note(struct diag *diag, const struct loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

size_t diag_count(const struct diag_set *set, enum diag_severity severity);
size_t diag_count_code(const struct diag_set *set, enum diag_code code);
bool diag_has_errors(const struct diag_set *set);

/* Prints every queued diagnostic, sorted by file, line and column. */
void diag_print(struct diag_set *set, FILE *out, enum diag_format format);

/* "did you mean": the candidate nearest to word by edit distance, or NULL
 * when none is close enough to be a likely typo. */
const char *diag_nearest(const char *word, const char *const *candidates, size_t count);
/* The same within at most max_distance edits, for names that share long
 * prefixes (vendor-a, vendor-b), where a third of the length is too lax. */
const char *diag_nearest_within(const char *word, const char *const *candidates, size_t count,
	size_t max_distance);

#endif
