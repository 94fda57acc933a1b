#include "vendorc/git.h"

#include "vendorc/arena.h"
#include "vendorc/diag.h"
#include "vendorc/fswalk.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Before every command's own arguments. */
static const char *const pinned[] = {
	"--no-pager", "--literal-pathspecs",
	"-c", "core.quotepath=off",
	"-c", "color.ui=never",
	"-c", "log.showSignature=false",
	"-c", "log.showRoot=true",
	"-c", "i18n.logOutputEncoding=UTF-8",
};
enum { PINNED = sizeof(pinned) / sizeof(*pinned) };

static bool
io_failed(const struct git *git, const char *what, const char *path)
{
	diag_report(git->diags, DIAG_IO_ERROR, NULL, "cannot %s%s%s%s: %s", what, path ? " \"" : "",
		path ? path : "", path ? "\"" : "", strerror(errno));
	return false;
}

/* git's standard streams are files in memory, not pipes: nothing has to be
 * kept flowing while git runs, so a blob batch of any size can neither
 * deadlock on a full pipe nor end vendorc with SIGPIPE. */
static int
memory_file(const char *data, size_t len)
{
	int fd = memfd_create("vendorc-git", MFD_CLOEXEC);
	if (fd >= 0 && (!fswalk_write_all(fd, data, len) || lseek(fd, 0, SEEK_SET) != 0)) {
		int error = errno;
		close(fd);
		errno = error;
		return -1;
	}
	return fd;
}

/* The whole of a memory file, in the arena, NUL-terminated at *len. */
static char *
read_memory_file(struct arena *arena, int fd, size_t *len)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || lseek(fd, 0, SEEK_SET) != 0)
		return NULL;
	char *data = arena_alloc_bytes(arena, (size_t)st.st_size + 1);
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, data + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return NULL;
		got += (size_t)n;
	}
	data[got] = '\0';
	*len = got;
	return data;
}

/* git -C top, the pinned options, then args. */
static const char **
git_argv(const struct git *git, const char *const *args)
{
	size_t count = 0;
	while (args[count])
		count++;
	const char **argv = arena_array(git->arena, 3 + PINNED + count + 1, sizeof(*argv));
	argv[0] = "git";
	argv[1] = "-C";
	argv[2] = git->top;
	copy_items(argv + 3, pinned, PINNED, sizeof(*argv));
	copy_items(argv + 3 + PINNED, args, count + 1, sizeof(*argv));
	return argv;
}

/* Runs argv with fds as its standard input, output and error; *status as
 * waitpid gives it. errno says why not. */
static bool
spawn_wait(const char **argv, const int fds[3], int *status)
{
	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	for (int i = 0; i < 3; i++)
		posix_spawn_file_actions_adddup2(&actions, fds[i], i);
	pid_t pid;
	int error = posix_spawnp(&pid, argv[0], &actions, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	if (error != 0) {
		errno = error;
		return false;
	}
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			return false;
	return true;
}

/* Standard error's first line, as a diagnostic quotes git. */
static const char *
first_line(struct arena *arena, const char *text)
{
	if (strncmp(text, "fatal: ", 7) == 0)
		text += 7;
	return arena_strndup(arena, text, strcspn(text, "\n"));
}

bool
git_run(const struct git *git, const char *const *args, const char *input, size_t len,
	struct git_output *out)
{
	int fds[3] = { memory_file(input ? input : "", input ? len : 0), memory_file("", 0),
		memory_file("", 0) };
	int status = 0;
	size_t error_len = 0;
	char *error = NULL;
	bool ran = fds[0] >= 0 && fds[1] >= 0 && fds[2] >= 0
		&& spawn_wait(git_argv(git, args), fds, &status)
		&& (out->data = read_memory_file(git->arena, fds[1], &out->len))
		&& (error = read_memory_file(git->arena, fds[2], &error_len));
	int saved = errno;
	for (int i = 0; i < 3; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	errno = saved;
	if (!ran)
		return io_failed(git, "run git", NULL);
	out->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	out->error = first_line(git->arena, error);
	return true;
}

bool
git_open(struct arena *arena, struct diag_set *diags, const char *dir, const char *what,
	const struct loc *loc, struct git *out)
{
	*out = (struct git){ arena, diags, dir, "" };
	struct git_output rev;
	static const char *const args[] = { "rev-parse", "--show-toplevel", "--show-prefix", NULL };
	if (!git_run(out, args, NULL, 0, &rev))
		return false;
	char *prefix = strchr(rev.data, '\n');
	if (rev.status != 0 || !prefix) {
		struct diag *d = diag_report(diags, DIAG_HISTORY_UNAVAILABLE, loc,
			"%s is not in a git work tree, so it has no history", what);
		diag_hint(d, "git: %s", rev.error);
		return false;
	}
	*prefix++ = '\0';
	size_t len = strcspn(prefix, "\n");
	prefix[len - (len > 0 && prefix[len - 1] == '/')] = '\0';
	out->top = rev.data;
	out->prefix = prefix;
	return true;
}

/* git printed what it never prints: vendorc and git disagree. */
static bool
unreadable(const struct git *git, const char *command)
{
	diag_report(git->diags, DIAG_IO_ERROR, NULL, "cannot read what \"git %s\" printed", command);
	return false;
}

/* One answer of cat-file --batch at *at: "OID TYPE SIZE\n" and the bytes
 * and a line break, or "OID missing\n". The bytes are a blob's only when
 * TYPE is blob; they are NUL-terminated in place of the line break. */
static bool
read_batch_answer(char **at, char *end, struct git_blob *blob)
{
	char *line = *at, *line_end = memchr(line, '\n', (size_t)(end - line));
	if (!line_end)
		return false;
	*line_end = '\0';
	*at = line_end + 1;
	char *type = strchr(line, ' ');
	char *size_text = type ? strchr(type + 1, ' ') : NULL;
	blob->data = NULL;
	if (!size_text)
		return type != NULL;
	char *rest;
	unsigned long long size = strtoull(size_text + 1, &rest, 10);
	if (*rest || size >= (unsigned long long)(end - *at))
		return false;
	char *data = *at;
	*at += size + 1;
	data[size] = '\0';
	if (strncmp(type, " blob ", 6) == 0) {
		blob->data = data;
		blob->len = (size_t)size;
	}
	return true;
}

bool
git_read_blobs(const struct git *git, const struct vec *blobs)
{
	size_t size = 0;
	for (size_t i = 0; i < blobs->len; i++)
		size += strlen(((struct git_blob *)vec_at(blobs, i))->oid) + 1;
	char *input = arena_alloc_bytes(git->arena, size + 1), *end = input;
	for (size_t i = 0; i < blobs->len; i++) {
		end = stpcpy(end, ((struct git_blob *)vec_at(blobs, i))->oid);
		*end++ = '\n';
	}
	static const char *const args[] = { "cat-file", "--batch", NULL };
	struct git_output batch;
	if (!git_run(git, args, input, size, &batch))
		return false;
	char *at = batch.data;
	for (size_t i = 0; i < blobs->len; i++)
		if (batch.status != 0 || !read_batch_answer(&at, batch.data + batch.len, vec_at(blobs, i)))
			return unreadable(git, "cat-file --batch");
	return true;
}

/* A tree entry worth writing: a file or a symbolic link. */
struct tree_entry {
	const char *path;
	bool link;
	bool executable;
	struct git_blob *blob;
};

/* A path git could hold but the tree must not write: one that climbs out
 * of the directory or into a .git (a hostile tree; git itself refuses
 * to check them out). */
static bool
safe_path(const char *path)
{
	for (const char *part = path;; ) {
		size_t len = strcspn(part, "/");
		if (len == 0 || (len == 1 && part[0] == '.') || (len == 2 && strncmp(part, "..", 2) == 0)
			|| (len == 4 && strncasecmp(part, ".git", 4) == 0))
			return false;
		if (!part[len])
			return true;
		part += len + 1;
	}
}

/* A regular file, executable or not, or a link: a submodule is a commit
 * and has nothing to write. */
static bool
writable_mode(const char *line)
{
	return strncmp(line, "100644 blob ", 12) == 0 || strncmp(line, "100755 blob ", 12) == 0
		|| strncmp(line, "120000 blob ", 12) == 0;
}

/* "MODE TYPE OID\tPATH" of ls-tree -z, when it is worth writing; else NULL. */
static struct tree_entry *
read_tree_entry(struct arena *arena, char *line)
{
	char *tab = strchr(line, '\t');
	if (!tab || !writable_mode(line))
		return NULL;
	*tab = '\0';
	if (!safe_path(tab + 1))
		return NULL;
	struct tree_entry *entry = arena_alloc(arena, sizeof(*entry));
	struct git_blob *blob = arena_alloc(arena, sizeof(*blob));
	blob->oid = line + 12;
	*entry = (struct tree_entry){ tab + 1, line[1] == '2', line[3] == '7', blob };
	return entry;
}

/* Files before links: once the links are there nothing is written
 * through one. */
static bool
write_entry(const struct git *git, const char *dir, const struct tree_entry *entry)
{
	char *path = arena_printf(git->arena, "%s/%s", dir, entry->path);
	if (!entry->blob->data)
		return unreadable(git, "cat-file --batch");
	if (!fswalk_make_parents(path, strlen(dir) + 1))
		return io_failed(git, "create a directory for", path);
	if (entry->link)
		return symlink(entry->blob->data, path) == 0 || io_failed(git, "create", path);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		entry->executable ? 0755 : 0644);
	bool written = fd >= 0 && fswalk_write_all(fd, entry->blob->data, entry->blob->len);
	if (fd >= 0 && close(fd) != 0)
		written = false;
	return written || io_failed(git, "write", path);
}

static bool
write_tree(const struct git *git, const char *commit, const char *dir)
{
	const char *const args[] = { "ls-tree", "-r", "-z", "--full-tree", commit, NULL };
	struct git_output tree;
	if (!git_run(git, args, NULL, 0, &tree))
		return false;
	if (tree.status != 0)
		return unreadable(git, "ls-tree");
	struct vec entries = { 0 }, blobs = { 0 };
	for (char *line = tree.data; line < tree.data + tree.len; line += strlen(line) + 1) {
		struct tree_entry *entry = read_tree_entry(git->arena, line);
		if (entry) {
			vec_push(git->arena, &entries, entry);
			vec_push(git->arena, &blobs, entry->blob);
		}
	}
	if (!git_read_blobs(git, &blobs))
		return false;
	for (int links = 0; links < 2; links++)
		for (size_t i = 0; i < entries.len; i++) {
			const struct tree_entry *entry = vec_at(&entries, i);
			if (entry->link == links && !write_entry(git, dir, entry))
				return false;
		}
	return true;
}

/* ls-tree and cat-file, not `git archive | tar -x`: archive applies the
 * tree's export-ignore and export-subst attributes, which would drop or
 * rewrite committed files, and it needs tar and a pipe between the two.
 * These write exactly the committed bytes. */
const char *
git_export(const struct git *git, const char *commit)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = arena_printf(git->arena, "%s/vendorc-at-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		io_failed(git, "create", dir);
		return NULL;
	}
	if (!write_tree(git, commit, dir)) {
		git_export_remove(dir);
		return NULL;
	}
	return dir;
}

void
git_export_remove(const char *dir)
{
	if (dir)
		fswalk_remove_tree(dir);
}
