#ifndef VENDORC_LIMITS_H
#define VENDORC_LIMITS_H

/* Limits on input, so that hostile or broken files get a clear error
 * instead of a slow death. docs/semantics.md section 1 fixes the first two. */

enum {
	LIMIT_VENDOR_FILE_SIZE = 1024 * 1024,
	LIMIT_TOKEN_LENGTH = 4096,
	LIMIT_PROJECT_FILE_SIZE = 64 * 1024 * 1024,  /* isolate may list every vendor namespace */
	LIMIT_CATALOG_FILE_SIZE = 256 * 1024 * 1024,
	LIMIT_LOCK_FILE_SIZE = 64 * 1024 * 1024,
	LIMIT_SYNTAX_ERRORS_PER_FILE = 20,
	LIMIT_DIRECTORY_DEPTH = 32,
	LIMIT_STATEMENTS = 1000,            /* per vendor file */
	LIMIT_VENDORS = 100000,
	LIMIT_CATALOG_OBJECTS = 1000000,
};

#endif
