#include "vendorc/fswalk.h"

#include "vendorc/arena.h"
#include "vendorc/diag.h"
#include "vendorc/limits.h"
#include "vendorc/project.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* An entry of a directory, with the type readdir gives (DT_UNKNOWN where
 * the file system gives none). */
struct fswalk_entry {
	const char *name;
	unsigned char type;
};

static int
compare_entries(const void *a, const void *b)
{
	return strcmp((*(const struct fswalk_entry *const *)a)->name,
		(*(const struct fswalk_entry *const *)b)->name);
}

/* The entries of dir (struct fswalk_entry *), hidden ones skipped, sorted
 * by name; NULL with errno set on failure. */
static struct vec *
read_entries(struct arena *arena, const char *dir)
{
	DIR *handle = opendir(dir);
	if (!handle)
		return NULL;
	struct vec *entries = arena_alloc(arena, sizeof(*entries));
	struct dirent *entry;
	while ((entry = readdir(handle))) {
		if (entry->d_name[0] == '.')
			continue;
		struct fswalk_entry *e = arena_alloc(arena, sizeof(*e));
		*e = (struct fswalk_entry){ arena_strdup(arena, entry->d_name), entry->d_type };
		vec_push(arena, entries, e);
	}
	closedir(handle);
	vec_sort(entries, compare_entries);
	return entries;
}

struct vec *
fswalk_names(struct arena *arena, const char *dir)
{
	struct vec *entries = read_entries(arena, dir);
	for (size_t i = 0; entries && i < entries->len; i++)
		entries->items[i] = (void *)((struct fswalk_entry *)vec_at(entries, i))->name;
	return entries;
}

static void
report_io(struct diag_set *diags, const struct project_path *path, int error)
{
	diag_report(diags, DIAG_IO_ERROR, &path->loc, "cannot read \"%s\": %s",
		path->display, strerror(error));
}

/* A directory on the path being walked, by identity, so that a link back
 * to one of them is seen as the loop it is. */
struct walk_ancestor {
	dev_t dev;
	ino_t ino;
	const struct project_path *path;
};

struct walk {
	struct arena *arena;
	struct diag_set *diags;
	const char *const *suffixes;
	size_t suffix_count;
	struct vec *files;
	struct walk_ancestor ancestors[LIMIT_DIRECTORY_DEPTH + 1];
};

/* The ancestor a directory is, or NULL. */
static const struct walk_ancestor *
walk_ancestor(const struct walk *walk, int depth, const struct stat *st)
{
	for (int i = 0; i <= depth; i++)
		if (walk->ancestors[i].dev == st->st_dev && walk->ancestors[i].ino == st->st_ino)
			return &walk->ancestors[i];
	return NULL;
}

static void
report_loop(struct diag_set *diags, const struct project_path *link,
	const struct walk_ancestor *target)
{
	struct diag *d = diag_report(diags, DIAG_SYMLINK_LOOP, &link->loc,
		"\"%s\" leads back to \"%s\": a symbolic-link loop", link->display,
		target->path->display);
	diag_hint(d, "remove the link; every file below \"%s\" is read once already",
		target->path->display);
}

static bool
walk_dir(struct walk *walk, const struct project_path *dir, int depth)
{
	struct vec *entries = read_entries(walk->arena, dir->fs);
	if (!entries) {
		report_io(walk->diags, dir, errno);
		return false;
	}
	bool ok = true;
	for (size_t i = 0; i < entries->len; i++) {
		const struct fswalk_entry *entry = vec_at(entries, i);
		struct project_path *child = arena_alloc(walk->arena, sizeof(*child));
		*child = project_child(walk->arena, dir, entry->name);
		/* readdir's type spares a stat per vendor file; directories (whose
		 * identity the loop check needs), links (followed) and file
		 * systems that give no type are looked at. */
		struct stat st = { .st_mode = entry->type == DT_REG ? S_IFREG : 0 };
		if (!st.st_mode && stat(child->fs, &st) != 0)
			continue; /* a dangling link is no file of ours */
		if (S_ISDIR(st.st_mode) && depth < LIMIT_DIRECTORY_DEPTH) {
			const struct walk_ancestor *loop = walk_ancestor(walk, depth, &st);
			if (loop) {
				report_loop(walk->diags, child, loop);
				ok = false;
				continue;
			}
			walk->ancestors[depth + 1] = (struct walk_ancestor){ st.st_dev, st.st_ino, child };
			ok &= walk_dir(walk, child, depth + 1);
		} else if (S_ISREG(st.st_mode) && has_suffix(entry->name, walk->suffixes, walk->suffix_count))
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
	struct walk walk = { arena, diags, suffixes, suffix_count, files, { { 0 } } };
	walk.ancestors[0] = (struct walk_ancestor){ st.st_dev, st.st_ino, dir };
	return walk_dir(&walk, dir, 0);
}

static int
remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static int
open_directory(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	if (flag == FTW_D)
		chmod(path, (st->st_mode & 07777) | S_IRWXU);
	return 0;
}

/* A tree made read-only (a copy of a read-only output) cannot be emptied:
 * where removing it fails, its directories are opened to their owner and it
 * goes. */
void
fswalk_remove_tree(const char *path)
{
	struct stat st;
	if (nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0 && lstat(path, &st) == 0) {
		nftw(path, open_directory, 16, FTW_PHYS);
		nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	}
}

bool
fswalk_make_parents(char *path, size_t from)
{
	for (char *slash = strchr(path + from, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		bool made = mkdir(path, 0755) == 0 || errno == EEXIST;
		*slash = '/';
		if (!made)
			return false;
	}
	return true;
}

bool
fswalk_write_all(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t done = write(fd, data, len);
		if (done < 0 && errno == EINTR)
			continue;
		if (done == 0)
			errno = EIO; /* write(2) gives no reason for writing nothing */
		if (done <= 0)
			return false;
		data += done;
		len -= (size_t)done;
	}
	return true;
}

bool
fswalk_replace_file(struct arena *arena, const char *target, const char *data, size_t len, int mode)
{
	if (mode < 0) {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~(int)mask;
	}
	char *temp = arena_printf(arena, "%s.vendorc-XXXXXX", target);
	int fd = mkstemp(temp);
	if (fd < 0)
		return false;
	bool ok = fswalk_write_all(fd, data, len) && fchmod(fd, (mode_t)mode) == 0 && fsync(fd) == 0;
	int error = errno; /* the step that failed, before close can change it */
	if (close(fd) != 0 && ok) {
		ok = false;
		error = errno;
	}
	if (ok && rename(temp, target) != 0) {
		ok = false;
		error = errno;
	}
	if (!ok) {
		unlink(temp);
		errno = error;
	}
	return ok;
}
