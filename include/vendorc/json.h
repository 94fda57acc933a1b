#ifndef VENDORC_JSON_H
#define VENDORC_JSON_H

/* The little JSON vendorc prints (diagnostics, expiring, explain): a
 * string, quoted and escaped; null for NULL. */

#include <stdio.h>

void json_string(FILE *out, const char *text);

#endif
