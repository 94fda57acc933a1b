#include "vendorc/ir.h"

#include "vendorc/probe.h"

#include "vendorc/when.h"

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

const char *
ir_vendor_access_text(struct arena *arena, const struct ir_vendor *vendor)
{
	if (vendor->never_expires)
		return "never expires";
	return arena_printf(arena, "%s %s", vendor->expired ? "expired at" : "until",
		when_format(arena, vendor->ends_at));
}

bool
ir_vendor_review_overdue(const struct ir_vendor *vendor, int64_t now)
{
	return vendor->reviewed && !vendor->expired && now >= vendor->review_due;
}

const char *
ir_vendor_review_due_text(struct arena *arena, const struct ir_vendor *vendor, int64_t now)
{
	if (!vendor->reviewed)
		return NULL;
	return arena_printf(arena, "%s%s", when_format(arena, vendor->review_due),
		ir_vendor_review_overdue(vendor, now) ? " (overdue)" : "");
}

const struct ir_vendor *
ir_vendor_named(const struct ir *ir, const char *name)
{
	for (size_t i = 0; i < ir->vendors.len; i++) {
		const struct ir_vendor *vendor = vec_at(&ir->vendors, i);
		if (strcmp(vendor->name, name) == 0)
			return vendor;
	}
	return NULL;
}

const char *
ir_port_text(struct arena *arena, const struct ir_port *port)
{
	if (port->end)
		return arena_printf(arena, "%s %d-%d", net_proto_name(port->proto), port->port, port->end);
	return probe_port_text(arena, &(struct eval_port){ port->proto, port->port, port->name });
}

bool
ir_vendor_ends_within(const struct ir_vendor *vendor, int64_t now, int64_t within)
{
	return !vendor->expired && !vendor->never_expires && when_add(now, within) >= vendor->ends_at;
}
