#include "vendorc/outdir.h"

#include "vendorc/arena.h"
#include "vendorc/backend.h"
#include "vendorc/diag.h"
#include "vendorc/emit.h"
#include "vendorc/fswalk.h"
#include "vendorc/limits.h"
#include "vendorc/parallel.h"
#include "vendorc/project.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool
io_error(struct diag_set *diags, const char *what, const char *path)
{
	diag_report(diags, DIAG_IO_ERROR, NULL, "cannot %s \"%s\": %s", what, path, strerror(errno));
	return false;
}

/* Entries of the output are opened without following links and without
 * blocking (a FIFO someone left there must not hang), by name in the
 * directory dir (an open directory, or AT_FDCWD for a path): twenty
 * thousand lookups of a long path are a visible part of a compile's
 * system time. */
static int
open_entry(int dir, const char *name, struct stat *st)
{
	int fd = openat(dir, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0 && (fstat(fd, st) != 0 || !S_ISREG(st->st_mode))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Whether the open file starts with the header vendorc writes. */
static bool
has_header(int fd)
{
	static const char header_line[] = EMIT_HEADER "\n";
	char line[sizeof(header_line) - 1];
	return pread(fd, line, sizeof(line), 0) == (ssize_t)sizeof(line)
		&& memcmp(line, header_line, sizeof(line)) == 0;
}

/* Whether the open file of status st holds exactly file's bytes. Since
 * every generated file starts with EMIT_HEADER, a match is also proof that
 * vendorc wrote it. */
static bool
holds(int fd, const struct stat *st, const struct backend_file *file)
{
	bool same = (size_t)st->st_size == file->len;
	char buffer[65536];
	size_t offset = 0;
	ssize_t got;
	/* Up to the size fstat gave, no read to find the end: a file that
	 * grows after it shows a new version, which placing checks. */
	while (same && offset < file->len && (got = pread(fd, buffer, sizeof(buffer), (off_t)offset)) > 0) {
		same = offset + (size_t)got <= file->len && memcmp(buffer, file->data + offset, (size_t)got) == 0;
		offset += (size_t)got;
	}
	return same && offset == file->len;
}

/* After open_entry failed: whether the entry is a regular file vendorc may
 * not read, which could be its own or not: neither is known. */
static bool
read_denied(int dir, const char *name)
{
	struct stat st;
	return errno == EACCES && fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

static int
compare_file_names(const void *a, const void *b)
{
	return strcmp((*(const struct backend_file *const *)a)->name,
		(*(const struct backend_file *const *)b)->name);
}

/* What tells one version of a file (or directory) from the next: the
 * survey is trusted only while its entries still show the version it saw,
 * since someone may write the output while vendorc compiles. */
struct version {
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
	mode_t mode;              /* not compared: what a copy of it gets */
};

static struct version
version_from(const struct stat *st)
{
	return (struct version){ st->st_dev, st->st_ino, st->st_size, st->st_mtim, st->st_mode };
}

static struct version
version_at(int dir, const char *name)
{
	struct stat st;
	if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return (struct version){ 0 };
	return version_from(&st);
}

static struct version
version_of(const char *path)
{
	return version_at(AT_FDCWD, path);
}

static bool
same_version(struct version a, struct version b)
{
	return a.dev == b.dev && a.ino == b.ino && a.size == b.size
		&& a.mtime.tv_sec == b.mtime.tv_sec && a.mtime.tv_nsec == b.mtime.tv_nsec;
}

/* What one entry of the output directory holds, next to what compile
 * writes there; UNSEEN until looked at. */
enum entry_state { ENTRY_UNSEEN, ENTRY_FOREIGN, ENTRY_SAME, ENTRY_STALE, ENTRY_UNREADABLE };

/* One open of the entry name in dir: whether it holds file's bytes (when
 * there is a file), else whether vendorc wrote it; and its version. */
static enum entry_state
entry_state_at(int dir, const char *name, const struct backend_file *file, struct version *version)
{
	struct stat st;
	int fd = open_entry(dir, name, &st);
	if (fd < 0) {
		*version = (struct version){ 0 };
		return read_denied(dir, name) ? ENTRY_UNREADABLE : ENTRY_FOREIGN;
	}
	*version = version_from(&st);
	enum entry_state state = file && holds(fd, &st, file) ? ENTRY_SAME
		: has_header(fd) ? ENTRY_STALE : ENTRY_FOREIGN;
	close(fd);
	return state;
}

/* A regular file whose first line is the header vendorc writes. */
static bool
is_generated(const char *path)
{
	struct version unused;
	return entry_state_at(AT_FDCWD, path, NULL, &unused) == ENTRY_STALE;
}

/* Whether each file to write would replace one vendorc did not generate,
 * looked at on every core: when nothing changed, that is every file. */
struct conflicts {
	const struct project_path *output;
	const struct vec *files;
	const struct vec *present; /* the names in output, sorted */
	unsigned char *states;     /* enum entry_state, by file: the entry of its name */
};

static void
find_conflict(void *context, size_t index, struct arena *arena, struct arena *scratch)
{
	struct conflicts *c = context;
	const struct backend_file *file = vec_at(c->files, index);
	struct version unused;
	if (vec_find_index(c->present, file->name, vec_string_order) != SIZE_MAX)
		c->states[index] = entry_state_at(AT_FDCWD, project_child(arena, c->output, file->name).fs,
			NULL, &unused);
}

/* states: by file, what the output holds under its name. A file vendorc
 * may not read stops it (whose it is cannot be known); one it did not
 * write is a conflict. */
static bool
report_entries(struct arena *arena, struct diag_set *diags, const struct project_path *output,
	const struct vec *files, const unsigned char *states)
{
	for (size_t i = 0; i < files->len; i++) {
		if (states[i] == ENTRY_UNREADABLE) {
			errno = EACCES;
			return io_error(diags, "read", project_child(arena, output,
				((const struct backend_file *)vec_at(files, i))->name).display);
		}
	}
	bool ok = true;
	for (size_t i = 0; i < files->len; i++) {
		if (states[i] != ENTRY_FOREIGN)
			continue;
		const struct backend_file *file = vec_at(files, i);
		struct diag *d = diag_report(diags, DIAG_OUTPUT_CONFLICT, &output->loc,
			"\"%s\" exists and was not generated by vendorc",
			project_child(arena, output, file->name).display);
		diag_hint(d, "move it out of the output directory: vendorc never overwrites "
			"a file it did not write");
		ok = false;
	}
	return ok;
}

bool
outdir_check(struct arena *arena, struct diag_set *diags, const struct project_path *output,
	const struct vec *files)
{
	/* One read of the directory, not a lookup per file: most files of a
	 * large project are new, or the directory does not exist yet. */
	struct vec *present = fswalk_names(arena, output->fs);
	if (!present)
		return true;
	struct conflicts c = { output, files, present, arena_array(arena, files->len, 1) };
	parallel_run(arena, files->len, find_conflict, &c);
	return report_entries(arena, diags, output, files, c.states);
}

/* The files vendorc did not generate whose names end in one of the
 * suffixes: regular files (opened as open_entry does) without the header. */
struct others {
	const char *const *suffixes;
	size_t count;
};

static bool
is_other(const char *path, const char *name, const struct others *others)
{
	struct version version;
	if (entry_state_at(AT_FDCWD, path, NULL, &version) != ENTRY_FOREIGN || !version.mode)
		return false;
	for (size_t i = 0; i < others->count; i++) {
		size_t len = strlen(name), suffix = strlen(others->suffixes[i]);
		if (len > suffix && strcmp(name + len - suffix, others->suffixes[i]) == 0)
			return true;
	}
	return false;
}

/* The files of dir that vendorc generated (others NULL), or the others. */
static bool
read_entries(struct arena *arena, struct diag_set *diags, const struct project_path *dir,
	const struct others *others, struct vec *files)
{
	DIR *handle = opendir(dir->fs);
	if (!handle)
		return io_error(diags, "read", dir->display);
	bool ok = true;
	struct dirent *entry;
	while (ok && (entry = readdir(handle))) {
		struct project_path path = project_child(arena, dir, entry->d_name);
		if (others ? !is_other(path.fs, entry->d_name, others) : !is_generated(path.fs))
			continue;
		bool missing;
		struct source *src = source_read(arena, diags, path.fs, path.display,
			LIMIT_CATALOG_FILE_SIZE, NULL, &missing);
		struct backend_file *file = arena_alloc(arena, sizeof(*file));
		*file = (struct backend_file){ arena_strdup(arena, entry->d_name), src ? src->text : NULL,
			src ? src->len : 0, false };
		ok = src != NULL;
		if (ok)
			vec_push(arena, files, file);
	}
	closedir(handle);
	vec_sort(files, compare_file_names);
	return ok;
}

bool
outdir_read(struct arena *arena, struct diag_set *diags, const struct project_path *dir,
	struct vec *files)
{
	return read_entries(arena, diags, dir, NULL, files);
}

bool
outdir_read_others(struct arena *arena, struct diag_set *diags, const struct project_path *dir,
	const char *const *suffixes, size_t suffix_count, struct vec *files)
{
	struct others others = { suffixes, suffix_count };
	return read_entries(arena, diags, dir, &others, files);
}

bool
outdir_read_present(struct arena *arena, struct diag_set *diags, const struct project_path *dir,
	struct vec *files)
{
	struct stat st;
	if (stat(dir->fs, &st) != 0 && errno == ENOENT)
		return true;
	return outdir_read(arena, diags, dir, files);
}

/* Hidden entries count: a .gitkeep of someone's is not vendorc's to remove. */
enum outdir_owner
outdir_owner(struct arena *arena, const char *dir)
{
	DIR *handle = opendir(dir);
	size_t ours = 0, entries = 0;
	for (struct dirent *entry; handle && (entry = readdir(handle));) {
		if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
			continue;
		entries++;
		ours += is_generated(arena_printf(arena, "%s/%s", dir, entry->d_name));
	}
	if (handle)
		closedir(handle);
	return !ours ? OUTDIR_NOT_OURS : ours == entries ? OUTDIR_OURS : OUTDIR_MIXED;
}

bool
outdir_remove(struct arena *arena, struct diag_set *diags, const struct project_path *dir)
{
	char *aside = arena_printf(arena, "%s.vendorc-old.%d", dir->fs, (int)getpid());
	if (rename(dir->fs, aside) != 0)
		return io_error(diags, "remove", dir->display);
	fswalk_remove_tree(aside);
	return true;
}

/* The output directory as it was before the files were made: read once,
 * each entry compared on the thread that made the file of its name (or
 * looked at once all are made), and used both to see whether anything
 * changes and to build the new tree. */
struct survey {
	int dir;                  /* the output, open */
	struct version version;   /* the directory itself: entries added, removed, renamed */
	struct vec names;         /* its entries, sorted */
	unsigned char *states;    /* enum entry_state, by entry */
	struct version *versions; /* by entry, as compared */
};

static bool
survey_begin(struct arena *arena, struct survey *survey, const char *path)
{
	survey->version = version_of(path);
	survey->dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int listed = survey->dir < 0 ? -1 : dup(survey->dir);
	DIR *dir = listed < 0 ? NULL : fdopendir(listed);
	if (!dir) {
		if (listed >= 0)
			close(listed);
		return false;
	}
	struct dirent *entry;
	while ((entry = readdir(dir)))
		if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
			vec_push(arena, &survey->names, arena_strdup(arena, entry->d_name));
	closedir(dir);
	vec_sort(&survey->names, vec_compare_strings);
	survey->states = arena_array(arena, survey->names.len + 1, 1);
	survey->versions = arena_array(arena, survey->names.len, sizeof(*survey->versions));
	return true;
}

/* The entry called name, or SIZE_MAX. */
static size_t
entry_named(const struct survey *survey, const char *name)
{
	return vec_find_index(&survey->names, name, vec_string_order);
}

/* One job per entry writes its slots. */
static void
compare_entry(struct survey *survey, size_t at, const struct backend_file *file)
{
	survey->states[at] = entry_state_at(survey->dir, vec_at(&survey->names, at), file,
		&survey->versions[at]);
}

static void
compare_unseen(void *context, size_t index, struct arena *arena, struct arena *scratch)
{
	(void)arena;
	struct survey *survey = context;
	if (survey->states[index] == ENTRY_UNSEEN)
		compare_entry(survey, index, NULL);
}

/* Whether the directory already holds exactly the files: the whole of a
 * compile that changes nothing, the usual case in CI. */
static bool
up_to_date(const struct survey *survey, const struct vec *files)
{
	size_t same = 0;
	for (size_t i = 0; i < survey->names.len; i++) {
		if (survey->states[i] == ENTRY_STALE)
			return false;
		same += survey->states[i] == ENTRY_SAME;
	}
	return same == files->len;
}

static bool carry_over(struct arena *arena, struct diag_set *diags, const char *from, const char *to);

static bool
carry_dir(struct arena *arena, struct diag_set *diags, const char *from, const char *to, mode_t mode)
{
	if (mkdir(to, mode & 07777) != 0)
		return io_error(diags, "create", to);
	DIR *dir = opendir(from);
	if (!dir)
		return io_error(diags, "read", from);
	bool ok = true;
	struct dirent *entry;
	while (ok && (entry = readdir(dir)))
		if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0)
			ok = carry_over(arena, diags, arena_printf(arena, "%s/%s", from, entry->d_name),
				arena_printf(arena, "%s/%s", to, entry->d_name));
	closedir(dir);
	return ok;
}

/* A file that cannot be hard-linked (too many links already, or a file of
 * another user under fs.protected_hardlinks) is copied. NULL, or what
 * failed (errno says why). */
static const char *
copy_file_at(int from_dir, const char *from, int to_dir, const char *to, mode_t mode)
{
	struct stat st;
	int in = open_entry(from_dir, from, &st);
	if (in < 0)
		return "read";
	int out = openat(to_dir, to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	ssize_t copied = out < 0 ? -1 : 0;
	while (out >= 0 && (copied = copy_file_range(in, NULL, out, NULL, 1 << 30, 0)) > 0)
		continue;
	bool ok = copied == 0 && fchmod(out, mode & 07777) == 0;
	int error = errno;
	close(in);
	ok &= out >= 0 && close(out) == 0;
	errno = ok ? 0 : error;
	return ok ? NULL : "copy";
}

static bool
copy_file(struct diag_set *diags, const char *from, const char *to, mode_t mode)
{
	const char *failed = copy_file_at(AT_FDCWD, from, AT_FDCWD, to, mode);
	return !failed || io_error(diags, failed, strcmp(failed, "read") == 0 ? from : to);
}

/* Puts an entry vendorc did not generate into the new tree without copying
 * its bytes where it can: files are hard-linked, links re-made, directories
 * walked. */
static bool
carry_over(struct arena *arena, struct diag_set *diags, const char *from, const char *to)
{
	struct stat st;
	if (lstat(from, &st) != 0)
		return io_error(diags, "read", from);
	if (S_ISDIR(st.st_mode))
		return carry_dir(arena, diags, from, to, st.st_mode);
	if (S_ISLNK(st.st_mode)) {
		char target[PATH_MAX];
		ssize_t len = readlink(from, target, sizeof(target) - 1);
		if (len < 0)
			return io_error(diags, "read", from);
		target[len] = '\0';
		return symlink(target, to) == 0 || io_error(diags, "create", to);
	}
	if (link(from, to) == 0)
		return true;
	if (S_ISREG(st.st_mode) && (errno == EMLINK || errno == EPERM))
		return copy_file(diags, from, to, st.st_mode);
	return io_error(diags, "link", to);
}

/* NULL, or what failed (errno says why). */
static const char *
write_file_at(int dir, const char *name, const struct backend_file *file)
{
	int fd = openat(dir, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return "create";
	if (!fswalk_write_all(fd, file->data, file->len)) {
		int error = errno;
		close(fd);
		errno = error;
		return "write";
	}
	return close(fd) == 0 ? NULL : "write";
}

/* The new tree's data reaches the disk before the swap makes it the
 * output: one syncfs for the file system, not an fsync per file (ten
 * thousand vendors make twenty thousand files). */
static bool
sync_tree(struct diag_set *diags, const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return io_error(diags, "open", dir);
	bool ok = syncfs(fd) == 0;
	close(fd);
	return ok || io_error(diags, "sync", dir);
}

/* compile's writing of the output, begun before the backend makes the
 * files: each file is compared with the output, or written into a new
 * output, on the thread that made it. */
struct outdir_writer {
	struct arena *arena;
	struct diag_set *diags;
	const struct project_path *output;
	char *target;         /* output, without trailing slashes */
	const char *fresh;    /* the new tree, beside target */
	bool exists;          /* target exists: compared now, replaced at the end */
	mode_t mode;          /* for the new tree */
	struct survey survey; /* exists: target's entries */
	int fresh_dir;        /* the new tree, open once made */
	struct vec made_parents; /* char *: directories made above a new output, outermost first */
	pthread_mutex_t lock; /* over failure */
	struct failure {
		const char *what; /* NULL, or what failed */
		const char *name; /* on the file of this name: the first by name */
		const char *dir;  /* where: the new tree, or the output */
		int error;
		bool changed;     /* the output changed under vendorc */
	} failure;
};

/* Keeps the failure of the first name, so that what is reported does not
 * depend on which thread got there first. */
static void
record_failure(struct outdir_writer *w, struct failure failure)
{
	pthread_mutex_lock(&w->lock);
	if (!w->failure.name || strcmp(failure.name, w->failure.name) < 0)
		w->failure = failure;
	pthread_mutex_unlock(&w->lock);
}

static bool
report_changed(struct diag_set *diags, const char *target)
{
	diag_report(diags, DIAG_IO_ERROR, NULL, "\"%s\" changed while vendorc was compiling; "
		"nothing was written: run it again", target);
	return false;
}

static bool
report_failure(struct outdir_writer *w)
{
	if (!w->failure.name)
		return true;
	if (w->failure.changed)
		return report_changed(w->diags, w->output->display);
	errno = w->failure.error;
	return io_error(w->diags, w->failure.what, arena_printf(w->arena, "%s/%s", w->failure.dir,
		w->failure.name));
}

static void
write_fresh(struct outdir_writer *w, const struct backend_file *file)
{
	const char *failed = write_file_at(w->fresh_dir, file->name, file);
	if (failed)
		record_failure(w, (struct failure){ failed, file->name, w->fresh, errno, false });
}

/* The sink: into a new output, the file is written; otherwise it is
 * compared with the entry of its name, and keeps its bytes unless that
 * entry already holds them. */
static bool
take_file(void *context, const struct backend_file *file)
{
	struct outdir_writer *w = context;
	if (!w->exists) {
		write_fresh(w, file);
		return false;
	}
	size_t at = entry_named(&w->survey, file->name);
	if (at == SIZE_MAX)
		return true;
	compare_entry(&w->survey, at, file);
	return w->survey.states[at] != ENTRY_SAME;
}

struct backend_sink
outdir_sink(struct outdir_writer *writer)
{
	return (struct backend_sink){ take_file, writer };
}

/* A file the output already holds goes into the new tree as a link (or,
 * where it cannot be linked, a copy) of the entry the survey compared; if
 * that entry changed since, its bytes are no longer known to be right. */
static void
place_unchanged(struct outdir_writer *w, const char *name, size_t at)
{
	struct survey *survey = &w->survey;
	const char *failed = NULL;
	int from = survey->dir;
	if (linkat(survey->dir, name, w->fresh_dir, name, 0) == 0)
		from = w->fresh_dir;
	else if (errno == EMLINK || errno == EPERM)
		failed = copy_file_at(survey->dir, name, w->fresh_dir, name, survey->versions[at].mode);
	else
		failed = "link";
	/* Gone from the output since it was compared: a change, not a fault. */
	bool gone = failed && errno == ENOENT;
	if (failed && !gone)
		record_failure(w, (struct failure){ failed, name,
			strcmp(failed, "read") == 0 ? w->target : w->fresh, errno, false });
	else if (gone || !same_version(version_at(from, name), survey->versions[at]))
		record_failure(w, (struct failure){ NULL, name, NULL, 0, true });
}

struct placing {
	struct outdir_writer *w;
	const struct vec *files;
};

static void
place_file(void *context, size_t index, struct arena *arena, struct arena *scratch)
{
	(void)arena;
	struct placing *p = context;
	const struct backend_file *file = vec_at(p->files, index);
	size_t at = entry_named(&p->w->survey, file->name);
	if (at != SIZE_MAX && p->w->survey.states[at] == ENTRY_SAME)
		place_unchanged(p->w, file->name, at);
	else
		write_fresh(p->w, file);
}

/* The new tree: what vendorc did not generate carried over from the old
 * one, then the files, on every core: creating twenty thousand files is
 * most of a compile. */
static bool
fill_new_tree(struct outdir_writer *w, const struct vec *files)
{
	const struct survey *survey = &w->survey;
	bool ok = true;
	for (size_t i = 0; ok && i < survey->names.len; i++) {
		const char *name = vec_at(&survey->names, i);
		const char *from = arena_printf(w->arena, "%s/%s", w->target, name);
		/* One it may not read and will not replace is kept: it may be
		 * someone else's. */
		if (survey->states[i] == ENTRY_FOREIGN || survey->states[i] == ENTRY_UNREADABLE
			|| (survey->states[i] == ENTRY_STALE
				&& !same_version(version_of(from), survey->versions[i]) && !is_generated(from)))
			ok = carry_over(w->arena, w->diags, from, arena_printf(w->arena, "%s/%s", w->fresh, name));
	}
	if (!ok)
		return false;
	struct placing placing = { w, files };
	parallel_run(w->arena, files->len, place_file, &placing);
	return report_failure(w) && sync_tree(w->diags, w->fresh);
}

/* The new tree gets the output's mode once it is filled. */
static bool
give_mode(const struct outdir_writer *w)
{
	return (w->mode & S_IRWXU) == S_IRWXU || chmod(w->fresh, w->mode) == 0
		|| io_error(w->diags, "change the mode of", w->fresh);
}

static bool
make_fresh(struct outdir_writer *w)
{
	/* Writable while it is filled, whatever the output's mode. */
	if (mkdir(w->fresh, w->mode | S_IRWXU) != 0)
		return io_error(w->diags, "create", w->fresh);
	w->fresh_dir = open(w->fresh, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return w->fresh_dir >= 0 || io_error(w->diags, "open", w->fresh);
}

/* The directories above a new output; those it made are listed in made,
 * so that a compile that fails leaves none behind. */
static bool
make_parents(struct outdir_writer *w, char *path)
{
	for (char *slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		bool made = mkdir(path, 0755) == 0;
		bool ok = made || errno == EEXIST;
		if (made)
			vec_push(w->arena, &w->made_parents, arena_strdup(w->arena, path));
		*slash = '/';
		if (!ok)
			return io_error(w->diags, "create", path);
	}
	return true;
}

/* Swaps fresh in for target in one step where the kernel can (renameat2
 * RENAME_EXCHANGE); fresh then names the old tree, which goes. */
static bool
swap_in(struct diag_set *diags, const char *fresh, const char *target)
{
	if (renameat2(AT_FDCWD, fresh, AT_FDCWD, target, RENAME_EXCHANGE) == 0) {
		fswalk_remove_tree(fresh);
		return true;
	}
	if (errno != EINVAL && errno != ENOSYS)
		return io_error(diags, "replace", target);
	/* No exchange on this file system: two renames, a short window. */
	char *aside = malloc(strlen(fresh) + 5);
	if (!aside)
		return io_error(diags, "replace", target);
	sprintf(aside, "%s.old", fresh);
	bool set_aside = rename(target, aside) == 0;
	bool ok = set_aside && rename(fresh, target) == 0;
	int error = errno;
	if (ok)
		fswalk_remove_tree(aside);
	else if (set_aside)
		rename(aside, target); /* the old tree back in place */
	free(aside);
	errno = error;
	return ok || io_error(diags, "replace", target);
}

/* A new output appears in one step, and never over one made meanwhile. */
static bool
move_in(struct diag_set *diags, const char *fresh, const char *target)
{
	if (renameat2(AT_FDCWD, fresh, AT_FDCWD, target, RENAME_NOREPLACE) == 0)
		return true;
	if (errno == EEXIST)
		return report_changed(diags, target);
	if (errno != EINVAL && errno != ENOSYS)
		return io_error(diags, "create", target);
	return rename(fresh, target) == 0 || io_error(diags, "create", target);
}

/* Whether the compile of that PID may still be at work (its tree is then
 * not a leftover). */
static bool
compile_running(long pid)
{
	return pid > 0 && pid != getpid() && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

/* A compile killed mid-way leaves its new tree beside the output
 * (.NAME.vendorc-new.PID): ours by name, so it goes. One killed between
 * the two renames of the fallback swap leaves the old tree too (.old) and
 * no output: that is put back, so the hand-written files in it survive. */
static void
clean_leftovers(struct arena *arena, const char *target)
{
	const char *slash = strrchr(target, '/');
	const char *parent = slash ? arena_strndup(arena, target, slash > target ? (size_t)(slash - target) : 1) : ".";
	const char *prefix = arena_printf(arena, ".%s.vendorc-new.", slash ? slash + 1 : target);
	size_t prefix_len = strlen(prefix);
	DIR *dir = opendir(parent);
	struct dirent *entry;
	while (dir && (entry = readdir(dir))) {
		if (strncmp(entry->d_name, prefix, prefix_len) != 0)
			continue;
		char *end;
		long pid = strtol(entry->d_name + prefix_len, &end, 10);
		bool old = strcmp(end, ".old") == 0;
		if ((*end && !old) || compile_running(pid))
			continue;
		const char *path = arena_printf(arena, "%s/%s", parent, entry->d_name);
		struct stat st;
		if (old && lstat(target, &st) != 0 && errno == ENOENT && rename(path, target) == 0)
			continue;
		fswalk_remove_tree(path);
	}
	if (dir)
		closedir(dir);
}

/* The directory an existing output names: through a link, or as "." or
 * "..", it is the directory itself that is replaced (the link stays),
 * beside it in its own parent. Its leftovers are cleaned there too. */
static char *
resolve_output(struct arena *arena, struct diag_set *diags, const char *target)
{
	char *real = realpath(target, NULL);
	if (!real) {
		io_error(diags, "read", target);
		return NULL;
	}
	char *resolved = arena_strdup(arena, real);
	free(real);
	if (strcmp(resolved, target) != 0)
		clean_leftovers(arena, resolved);
	return resolved;
}

struct outdir_writer *
outdir_begin(struct arena *arena, struct diag_set *diags, const struct project_path *output)
{
	struct outdir_writer *w = arena_alloc(arena, sizeof(*w));
	*w = (struct outdir_writer){ arena, diags, output, arena_strdup(arena, output->fs),
		.survey.dir = -1, .fresh_dir = -1 };
	pthread_mutex_init(&w->lock, NULL);
	char *target = w->target;
	for (size_t len = strlen(target); len > 1 && target[len - 1] == '/'; len--)
		target[len - 1] = '\0';
	clean_leftovers(arena, target);
	struct stat st;
	w->exists = lstat(target, &st) == 0;
	if (w->exists && !(target = resolve_output(arena, diags, target))) {
		outdir_finish(w, NULL, false);
		return NULL;
	}
	w->target = target;
	char *slash = strrchr(target, '/');
	w->fresh = slash
		? arena_printf(arena, "%.*s/.%s.vendorc-new.%d", (int)(slash - target), target, slash + 1, (int)getpid())
		: arena_printf(arena, ".%s.vendorc-new.%d", target, (int)getpid());
	w->mode = w->exists && stat(target, &st) == 0 ? st.st_mode & 07777 : 0755;
	bool ready = w->exists ? survey_begin(arena, &w->survey, target) || io_error(diags, "read", target)
		: make_parents(w, target) && make_fresh(w);
	if (ready)
		return w;
	outdir_finish(w, NULL, false);
	return NULL;
}

/* Entries added, removed or renamed in the output since the survey: what
 * the new tree carries over may be out of date, so nothing is swapped in. */
static bool
unchanged_since(const struct outdir_writer *w)
{
	return same_version(version_of(w->target), w->survey.version)
		|| report_changed(w->diags, w->output->display);
}

static bool
replace_output(struct outdir_writer *w, const struct vec *files)
{
	struct survey *survey = &w->survey;
	parallel_run(w->arena, survey->names.len, compare_unseen, survey);
	/* An entry gone since the listing would look hand-written, and a
	 * directory renamed away would look up to date. */
	if (!unchanged_since(w))
		return false;
	unsigned char *by_file = arena_array(w->arena, files->len, 1);
	for (size_t i = 0; i < files->len; i++) {
		size_t at = entry_named(survey, ((const struct backend_file *)vec_at(files, i))->name);
		by_file[i] = at == SIZE_MAX ? ENTRY_UNSEEN : survey->states[at];
	}
	if (!report_entries(w->arena, w->diags, w->output, files, by_file))
		return false;
	if (up_to_date(survey, files))
		return true;
	return make_fresh(w) && fill_new_tree(w, files) && unchanged_since(w)
		&& give_mode(w) && swap_in(w->diags, w->fresh, w->target);
}

bool
outdir_finish(struct outdir_writer *writer, const struct vec *files, bool made)
{
	bool ok = made && (writer->exists ? replace_output(writer, files)
		: report_failure(writer) && sync_tree(writer->diags, writer->fresh)
			&& move_in(writer->diags, writer->fresh, writer->target));
	if (writer->fresh_dir >= 0)
		close(writer->fresh_dir);
	if (writer->survey.dir >= 0)
		close(writer->survey.dir);
	if (!ok && writer->fresh)
		fswalk_remove_tree(writer->fresh);
	for (size_t i = writer->made_parents.len; !ok && i > 0; i--)
		rmdir(vec_at(&writer->made_parents, i - 1));
	pthread_mutex_destroy(&writer->lock);
	return ok;
}
