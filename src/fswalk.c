#include "vendorc/fswalk.h"

#include "vendorc/arena.h"
#include "vendorc/diag.h"
#include "vendorc/limits.h"
#include "vendorc/project.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static bool
has_suffix(const char *name, const char *const *suffixes, size_t count)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < count; i++) {
		size_t slen = strlen(suffixes[i]);
		if (len > slen && strcmp(name + len - slen, suffixes[i]) == 0)
			return true;
	}
	return false;
}

/* The names in dir, sorted; NULL with errno set on failure. */
struct vec *
fswalk_names(struct arena *arena, const char *dir)
{
	DIR *handle = opendir(dir);
	if (!handle)
		return NULL;
	struct vec *names = arena_alloc(arena, sizeof(*names));
	struct dirent *entry;
	while ((entry = readdir(handle)))
		if (entry->d_name[0] != '.')
			vec_push(arena, names, arena_strdup(arena, entry->d_name));
	closedir(handle);
	vec_sort(names, vec_compare_strings);
	return names;
}

static void
report_io(struct diag_set *diags, const struct project_path *path, int error)
{
	diag_report(diags, DIAG_IO_ERROR, &path->loc, "cannot read \"%s\": %s",
		path->display, strerror(error));
}

struct walk {
	struct arena *arena;
	struct diag_set *diags;
	const char *const *suffixes;
	size_t suffix_count;
	struct vec *files;
};

static bool
walk_dir(struct walk *walk, const struct project_path *dir, int depth)
{
	struct vec *names = fswalk_names(walk->arena, dir->fs);
	if (!names) {
		report_io(walk->diags, dir, errno);
		return false;
	}
	bool ok = true;
	for (size_t i = 0; i < names->len; i++) {
		struct project_path *child = arena_alloc(walk->arena, sizeof(*child));
		*child = project_child(walk->arena, dir, vec_at(names, i));
		struct stat st;
		if (stat(child->fs, &st) != 0)
			continue; /* a dangling link is no file of ours */
		if (S_ISDIR(st.st_mode) && depth < LIMIT_DIRECTORY_DEPTH)
			ok &= walk_dir(walk, child, depth + 1);
		else if (S_ISREG(st.st_mode) && has_suffix(vec_at(names, i), walk->suffixes, walk->suffix_count))
			vec_push(walk->arena, walk->files, child);
	}
	return ok;
}

bool
fswalk_files(struct arena *arena, struct diag_set *diags, const struct project_path *dir,
	const char *const *suffixes, size_t suffix_count, struct vec *files)
{
	struct stat st;
	if (stat(dir->fs, &st) != 0) {
		report_io(diags, dir, errno);
		return false;
	}
	if (!S_ISDIR(st.st_mode)) {
		struct project_path *copy = arena_alloc(arena, sizeof(*copy));
		*copy = *dir;
		vec_push(arena, files, copy);
		return true;
	}
	struct walk walk = { arena, diags, suffixes, suffix_count, files };
	return walk_dir(&walk, dir, 0);
}
