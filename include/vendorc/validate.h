#ifndef VENDORC_VALIDATE_H
#define VENDORC_VALIDATE_H

#include <stdbool.h>

/* Kubernetes' and IANA's naming rules, as PCRE2 patterns compiled once on
 * first use. Each check returns NULL when text is valid, else a short
 * reason for the diagnostic ("longer than 63 characters"). */

const char *validate_dns_label(const char *text);
const char *validate_label_key(const char *text);
const char *validate_label_value(const char *text);
const char *validate_port_name(const char *text);
const char *validate_domain(const char *text);
/* A Cilium toFQDNs or DNS rule entry: matchName, or (pattern) matchPattern. */
const char *validate_cilium_name(const char *text, bool pattern);
/* A cluster's DNS domain (kubelet's clusterDomain): lower-case DNS labels
 * joined by '.', one label allowed, no trailing dot. */
const char *validate_cluster_domain(const char *text);
/* A container image reference: [HOST[:PORT]/]PATH[:TAG][@DIGEST]. */
const char *validate_image(const char *text);

/* Whether a plain (unquoted) YAML scalar would read back as this string
 * under YAML 1.1 and 1.2 alike: not empty, not a boolean, null, number,
 * date or merge key. */
bool validate_yaml_plain(const char *text);

/* Releases the compiled patterns; the checks compile them again if called. */
void validate_finish(void);

#endif
