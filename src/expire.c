#include "vendorc/expire.h"

#include "vendorc/arena.h"
#include "vendorc/backend.h"
#include "vendorc/diag.h"
#include "vendorc/outdir.h"
#include "vendorc/project.h"
#include "vendorc/when.h"
#include "vendorc/ynode.h"

#include <string.h>

static const struct ynode *
metadata_entry(const struct ynode *doc, const char *field, const char *key)
{
	return ynode_get(ynode_get(ynode_get(doc, "metadata"), field), key);
}

/* The vendor and expiry every object of file names, into found; false when
 * the file is not one vendor's, as a namespace's default-deny or the
 * kustomization is not. A file that no longer reads as YAML says nothing
 * vendorc can trust, so it is no vendor's either. */
static bool
file_vendor(struct arena *arena, const struct project_path *output,
	const struct backend_file *file, struct expire_file *found)
{
	struct project_path path = project_child(arena, output, file->name);
	struct source *src = source_borrow(arena, path.display, file->data, file->len);
	struct vec docs = { 0 };
	if (!ynode_load(arena, diag_set_create(arena), src, &docs) || docs.len == 0)
		return false;
	const char *expires = NULL;
	for (size_t i = 0; i < docs.len; i++) {
		const struct ynode *doc = vec_at(&docs, i);
		const char *vendor = ynode_string(metadata_entry(doc, "labels", "vendorc.io/vendor"));
		const struct ynode *expiry = metadata_entry(doc, "annotations", "vendorc.io/expires");
		const char *text = ynode_string(expiry);
		if (!vendor || !text)
			return false;
		if (i == 0) {
			found->vendor = vendor;
			found->loc = expiry->loc;
			expires = text;
		} else if (strcmp(vendor, found->vendor) != 0 || strcmp(text, expires) != 0) {
			return false;
		}
	}
	found->name = file->name;
	return when_access_end(expires, &found->ends_at);
}

void
expire_find(struct arena *arena, const struct project_path *output, const struct vec *generated,
	int64_t now, struct vec *expired)
{
	for (size_t i = 0; i < generated->len; i++) {
		struct expire_file *found = arena_alloc(arena, sizeof(*found));
		if (file_vendor(arena, output, vec_at(generated, i), found) && now >= found->ends_at)
			vec_push(arena, expired, found);
	}
}

void
expire_warn(struct arena *arena, struct diag_set *diags, const struct project_path *output,
	int64_t now)
{
	/* Only a hint on a failed run: an output that cannot be read is not
	 * this run's error. */
	struct vec generated = { 0 }, expired = { 0 };
	if (!outdir_read_present(arena, diag_set_create(arena), output, &generated))
		return;
	expire_find(arena, output, &generated, now, &expired);
	for (size_t i = 0; i < expired.len; i++) {
		const struct expire_file *file = vec_at(&expired, i);
		struct diag *d = diag_report(diags, DIAG_EXPIRED_IN_OUTPUT, &file->loc,
			"vendor \"%s\" expired at %s, but the output still grants its access: "
			"nothing is compiled while the input has errors", file->vendor,
			when_format(arena, file->ends_at));
		diag_hint(d, "\"vendorc expire\" removes expired vendors' files from the output "
			"without compiling the rest of the project");
	}
}

/* The output less the expired files, swapped in as compile would: every
 * other generated file as it is, the kustomization (if there is one)
 * listing what is left. */
static bool
write_without(struct arena *arena, struct diag_set *diags, const struct project_path *output,
	const struct vec *generated, const struct vec *expired)
{
	struct outdir_writer *writer = outdir_begin(arena, diags, output);
	if (!writer)
		return false;
	struct backend_sink sink = outdir_sink(writer);
	struct vec kept = { 0 };
	bool listed = false;
	for (size_t i = 0, gone = 0; i < generated->len; i++) {
		const struct backend_file *file = vec_at(generated, i);
		if (gone < expired->len
			&& strcmp(file->name, ((const struct expire_file *)vec_at(expired, gone))->name) == 0) {
			gone++;
		} else if (strcmp(file->name, "kustomization.yaml") == 0) {
			listed = true;
		} else {
			sink.take(sink.context, file);
			vec_push(arena, &kept, (void *)file);
		}
	}
	bool made = !listed || backend_kustomization(arena, diags, &sink, &kept, 0);
	return outdir_finish(writer, &kept, made);
}

bool
expire_output(FILE *out, struct arena *arena, struct diag_set *diags,
	const struct project_path *output, int64_t now)
{
	struct vec generated = { 0 }, expired = { 0 };
	if (!outdir_read_present(arena, diags, output, &generated))
		return false;
	expire_find(arena, output, &generated, now, &expired);
	if (expired.len == 0) {
		fprintf(out, "nothing in %s has expired\n", output->display);
		return true;
	}
	if (!write_without(arena, diags, output, &generated, &expired))
		return false;
	for (size_t i = 0; i < expired.len; i++) {
		const struct expire_file *file = vec_at(&expired, i);
		fprintf(out, "removed %s: vendor \"%s\" expired at %s\n",
			project_child(arena, output, file->name).display, file->vendor,
			when_format(arena, file->ends_at));
	}
	return true;
}
