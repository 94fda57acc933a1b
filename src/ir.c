#include "vendorc/ir.h"

#include <string.h>

int
ir_port_compare(const struct ir_port *a, const struct ir_port *b)
{
	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	if ((a->name == NULL) != (b->name == NULL))
		return a->name ? 1 : -1;
	if (a->name)
		return strcmp(a->name, b->name);
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	return (a->end > b->end) - (a->end < b->end);
}
