/* main.c - functional test of a File_system server built on the VFS (vfs server) */

#include <base/env.h>
#include <base/log.h>
#include <base/parent.h>
#include <session/file_system/file_system.h>
#include <session/rom/rom.h>
#include <util/xml.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Runs against the vfs server configured in run/vfs.run and logs one line
 * per step ("what: result"), so the run script compares the dialogue
 * line by line. Every unexpected result is also counted; the exit value
 * is the number of them.
 */
static cairn_env *env;
static cairn_fs   fs;
static unsigned   failures;

static void expect(const char *what, int r, int want)
{
	cairn_log("%s: %s", what, cairn_fs_err_str(r));
	if (r != want) {
		cairn_error("%s: expected %s", what, cairn_fs_err_str(want));
		failures++;
	}
}

static void check(const char *what, bool ok)
{
	cairn_log("%s: %s", what, ok ? "ok" : "wrong");
	if (!ok) failures++;
}

static cairn_fs_handle dir(cairn_fs *f, const char *path, bool create)
{
	cairn_fs_handle h = CAIRN_FS_INVALID_HANDLE;
	int r = cairn_fs_dir(f, path, create, &h);
	if (r != CAIRN_OK) { cairn_error("dir %s: %s", path, cairn_fs_err_str(r)); failures++; }
	return h;
}

static cairn_fs_handle file(cairn_fs *f, cairn_fs_handle d, const char *name, unsigned mode, bool create)
{
	cairn_fs_handle h = CAIRN_FS_INVALID_HANDLE;
	int r = cairn_fs_file(f, d, name, mode, create, &h);
	if (r != CAIRN_OK) { cairn_error("file %s: %s", name, cairn_fs_err_str(r)); failures++; }
	return h;
}

/* "name1 name2 ..." of a directory, read through packets */
static void list(cairn_fs *f, const char *path)
{
	cairn_fs_handle d = dir(f, path, false);
	char line[1024] = "";
	struct cairn_fs_dirent e;
	size_t n;
	for (uint64_t i = 0; cairn_fs_read(f, d, i * sizeof(e), &e, sizeof(e), &n) == CAIRN_OK && n == sizeof(e); i++) {
		e.name[sizeof(e.name) - 1] = 0;
		size_t l = strlen(line);
		snprintf(line + l, sizeof(line) - l, "%s%s%s", l ? " " : "", e.name,
		         e.type == CAIRN_FS_TYPE_DIRECTORY ? "/" : e.type == CAIRN_FS_TYPE_SYMLINK ? "@" : "");
	}
	struct cairn_fs_status st;
	if (cairn_fs_status(f, d, &st) != CAIRN_OK) failures++;
	cairn_log("list %s: %s (%llu entries)", path, line,
	          (unsigned long long)(st.size / sizeof(struct cairn_fs_dirent)));
	(void)cairn_fs_close(f, d);
}

static void read_text(cairn_fs *f, const char *what, cairn_fs_handle h, uint64_t pos, size_t len)
{
	char buf[512];
	size_t n = 0;
	int r = cairn_fs_read(f, h, pos, buf, len < sizeof(buf) - 1 ? len : sizeof(buf) - 1, &n);
	buf[n] = 0;
	while (n && buf[n - 1] == '\n') buf[--n] = 0;
	if (r != CAIRN_OK) { cairn_log("%s: %s", what, cairn_fs_err_str(r)); failures++; return; }
	cairn_log("%s: \"%s\" (%zu bytes)", what, buf, n);
}

/* ---------------------------------------------------------------- steps */

static void devices(void)
{
	cairn_fs_handle dev = dir(&fs, "/dev", false);
	cairn_fs_handle h = file(&fs, dev, "null", CAIRN_FS_READ_WRITE, false);
	size_t n;
	char buf[64];
	int r = cairn_fs_write(&fs, h, 0, "discarded", 9, &n);
	check("write /dev/null", r == CAIRN_OK && n == 9);
	r = cairn_fs_read(&fs, h, 0, buf, sizeof(buf), &n);
	check("read /dev/null gives nothing", r == CAIRN_OK && n == 0);
	(void)cairn_fs_close(&fs, h);

	h = file(&fs, dev, "zero", CAIRN_FS_READ_ONLY, false);
	memset(buf, 1, sizeof(buf));
	r = cairn_fs_read(&fs, h, 0, buf, 16, &n);
	bool zeros = r == CAIRN_OK && n == 16;
	for (unsigned i = 0; i < 16; i++) zeros &= buf[i] == 0;
	check("read /dev/zero", zeros);
	(void)cairn_fs_close(&fs, h);

	h = file(&fs, dev, "random", CAIRN_FS_READ_ONLY, false);
	char a[32], b[32];
	size_t na, nb;
	r = cairn_fs_read(&fs, h, 0, a, sizeof(a), &na);
	int r2 = cairn_fs_read(&fs, h, 0, b, sizeof(b), &nb);
	check("read /dev/random twice, different bytes",
	      r == CAIRN_OK && r2 == CAIRN_OK && na == 32 && nb == 32 && memcmp(a, b, 32) != 0);
	(void)cairn_fs_close(&fs, h);

	h = file(&fs, dev, "log", CAIRN_FS_WRITE_ONLY, false);
	const char *msg = "hello through /dev/log\n";
	r = cairn_fs_write(&fs, h, 0, msg, strlen(msg), &n);
	check("write /dev/log", r == CAIRN_OK && n == strlen(msg));
	(void)cairn_fs_close(&fs, h);

	h = file(&fs, dev, "rtc", CAIRN_FS_READ_ONLY, false);
	r = cairn_fs_read(&fs, h, 0, buf, sizeof(buf), &n);
	bool fmt = r == CAIRN_OK && n == 17 && buf[4] == '-' && buf[7] == '-' && buf[10] == ' '
	        && buf[13] == ':' && buf[16] == '\n';
	check("read /dev/rtc: YYYY-MM-DD HH:MM", fmt);
	(void)cairn_fs_close(&fs, h);
	(void)cairn_fs_close(&fs, dev);
}

static void read_only_nodes(void)
{
	cairn_fs_handle etc = dir(&fs, "/etc", false), h;
	list(&fs, "/etc");
	h = file(&fs, etc, "motd", CAIRN_FS_READ_ONLY, false);
	read_text(&fs, "read /etc/motd", h, 0, 100);
	read_text(&fs, "read /etc/motd from position 6", h, 6, 4);
	(void)cairn_fs_close(&fs, h);
	expect("open /etc/motd for writing", cairn_fs_file(&fs, etc, "motd", CAIRN_FS_READ_WRITE, false, &h),
	       CAIRN_FS_ERR_PERMISSION_DENIED);
	expect("create /etc/new", cairn_fs_file(&fs, etc, "new", CAIRN_FS_READ_WRITE, true, &h),
	       CAIRN_FS_ERR_PERMISSION_DENIED);

	h = file(&fs, etc, "test.config", CAIRN_FS_READ_ONLY, false);
	read_text(&fs, "read /etc/test.config (rom)", h, 0, 100);
	(void)cairn_fs_close(&fs, h);

	cairn_fs_handle l;
	int r = cairn_fs_symlink(&fs, etc, "link", false, &l);
	expect("open symlink /etc/link", r, CAIRN_OK);
	read_text(&fs, "read /etc/link", l, 0, 100);
	(void)cairn_fs_close(&fs, l);
	expect("open symlink /etc/link as file", cairn_fs_file(&fs, etc, "link", CAIRN_FS_READ_ONLY, false, &h),
	       CAIRN_FS_ERR_LOOKUP_FAILED);
	(void)cairn_fs_close(&fs, etc);

	list(&fs, "/data");
	list(&fs, "/data/sub");
	cairn_fs_handle sub = dir(&fs, "/data/sub", false);
	h = file(&fs, sub, "nested.txt", CAIRN_FS_READ_ONLY, false);
	read_text(&fs, "read /data/sub/nested.txt (tar)", h, 0, 100);
	(void)cairn_fs_close(&fs, h);
	(void)cairn_fs_close(&fs, sub);
	cairn_fs_handle data = dir(&fs, "/data", false);
	cairn_fs_handle t;
	expect("create /data/x (tar is read-only)", cairn_fs_file(&fs, data, "x", CAIRN_FS_READ_WRITE, true, &t),
	       CAIRN_FS_ERR_PERMISSION_DENIED);
	expect("unlink /data/hello.txt", cairn_fs_unlink(&fs, data, "hello.txt"), CAIRN_FS_ERR_PERMISSION_DENIED);
	(void)cairn_fs_close(&fs, data);
	cairn_fs_handle longdir = dir(&fs, "/data/a_directory_with_a_rather_long_name_that_makes_the_path_exceed_one_hundred_characters", false);
	h = file(&fs, longdir, "file_with_long_path.txt", CAIRN_FS_READ_ONLY, false);
	read_text(&fs, "read a tar file with a path of more than 100 characters", h, 0, 100);
	(void)cairn_fs_close(&fs, h);
	(void)cairn_fs_close(&fs, longdir);
}

static void ram_files(void)
{
	cairn_fs_handle tmp = dir(&fs, "/tmp", false), d, h, h2;
	size_t n;
	expect("mkdir /tmp/work", cairn_fs_dir(&fs, "/tmp/work", true, &d), CAIRN_OK);
	expect("mkdir /tmp/work again", cairn_fs_dir(&fs, "/tmp/work", true, &h), CAIRN_FS_ERR_NODE_ALREADY_EXISTS);
	expect("mkdir /tmp/no/such", cairn_fs_dir(&fs, "/tmp/no/such", true, &h), CAIRN_FS_ERR_LOOKUP_FAILED);

	h = file(&fs, d, "a.txt", CAIRN_FS_READ_WRITE, true);
	expect("write 'hello world'", cairn_fs_write(&fs, h, 0, "hello world", 11, &n), CAIRN_OK);
	expect("append ', appended'", cairn_fs_write(&fs, h, CAIRN_FS_SEEK_TAIL, ", appended", 10, &n), CAIRN_OK);
	read_text(&fs, "read a.txt", h, 0, 100);
	read_text(&fs, "read the last 8 bytes (SEEK_TAIL)", h, CAIRN_FS_SEEK_TAIL, 8);
	expect("overwrite at 6", cairn_fs_write(&fs, h, 6, "WORLD", 5, &n), CAIRN_OK);
	read_text(&fs, "read a.txt", h, 0, 100);
	expect("write at 30 (a hole)", cairn_fs_write(&fs, h, 30, "!", 1, &n), CAIRN_OK);
	struct cairn_fs_status st;
	expect("status a.txt", cairn_fs_status(&fs, h, &st), CAIRN_OK);
	check("size 31, a file", st.size == 31 && st.mode == CAIRN_FS_MODE_FILE);
	expect("truncate to 5", cairn_fs_truncate(&fs, h, 5), CAIRN_OK);
	read_text(&fs, "read a.txt", h, 0, 100);
	expect("create a.txt again", cairn_fs_file(&fs, d, "a.txt", CAIRN_FS_READ_WRITE, true, &h2),
	       CAIRN_FS_ERR_NODE_ALREADY_EXISTS);
	expect("open missing b.txt", cairn_fs_file(&fs, d, "b.txt", CAIRN_FS_READ_ONLY, false, &h2),
	       CAIRN_FS_ERR_LOOKUP_FAILED);
	expect("file name with '/'", cairn_fs_file(&fs, d, "x/y", CAIRN_FS_READ_ONLY, true, &h2), CAIRN_FS_ERR_INVALID_NAME);
	expect("empty file name", cairn_fs_file(&fs, d, "", CAIRN_FS_READ_ONLY, true, &h2), CAIRN_FS_ERR_INVALID_NAME);
	expect("file name '..'", cairn_fs_file(&fs, d, "..", CAIRN_FS_READ_ONLY, false, &h2), CAIRN_FS_ERR_INVALID_NAME);
	char longname[300];
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	expect("file name of 299 characters", cairn_fs_file(&fs, d, longname, CAIRN_FS_READ_ONLY, true, &h2),
	       CAIRN_FS_ERR_INVALID_NAME);
	expect("file in a file handle", cairn_fs_file(&fs, h, "x", CAIRN_FS_READ_ONLY, true, &h2),
	       CAIRN_FS_ERR_INVALID_HANDLE);
	expect("file with mode 7", cairn_fs_file(&fs, d, "a.txt", 7, false, &h2), CAIRN_ERR_INVALID_ARGS);
	(void)cairn_fs_close(&fs, h);

	cairn_fs_handle l;
	expect("symlink /tmp/work/ln", cairn_fs_symlink(&fs, d, "ln", true, &l), CAIRN_OK);
	expect("write its target", cairn_fs_write(&fs, l, 0, "/tmp/work/a.txt", 15, &n), CAIRN_OK);
	read_text(&fs, "read it back", l, 0, 100);
	(void)cairn_fs_close(&fs, l);

	expect("move a.txt to c.txt", cairn_fs_move(&fs, d, "a.txt", d, "c.txt"), CAIRN_OK);
	expect("move a.txt again", cairn_fs_move(&fs, d, "a.txt", d, "d.txt"), CAIRN_FS_ERR_LOOKUP_FAILED);
	expect("move c.txt to /tmp", cairn_fs_move(&fs, d, "c.txt", tmp, "c.txt"), CAIRN_OK);
	list(&fs, "/tmp");
	list(&fs, "/tmp/work");
	expect("unlink /tmp/work (not empty)", cairn_fs_unlink(&fs, tmp, "work"), CAIRN_FS_ERR_NOT_EMPTY);
	expect("unlink /tmp/work/ln", cairn_fs_unlink(&fs, d, "ln"), CAIRN_OK);
	expect("unlink /tmp/work", cairn_fs_unlink(&fs, tmp, "work"), CAIRN_OK);
	expect("unlink it again", cairn_fs_unlink(&fs, tmp, "work"), CAIRN_FS_ERR_LOOKUP_FAILED);
	expect("status of the removed directory's handle", cairn_fs_status(&fs, d, &st), CAIRN_FS_ERR_LOOKUP_FAILED);
	(void)cairn_fs_close(&fs, d);

	/* an open file outlives its unlink */
	h = file(&fs, tmp, "c.txt", CAIRN_FS_READ_ONLY, false);
	expect("unlink the open c.txt", cairn_fs_unlink(&fs, tmp, "c.txt"), CAIRN_OK);
	read_text(&fs, "read the unlinked c.txt", h, 0, 100);
	(void)cairn_fs_close(&fs, h);
	(void)cairn_fs_close(&fs, tmp);

	/* stacking: a new file at the top goes to the <ram/> at the top */
	cairn_fs_handle root = dir(&fs, "/", false);
	h = file(&fs, root, "top.txt", CAIRN_FS_WRITE_ONLY, true);
	(void)cairn_fs_close(&fs, h);
	list(&fs, "/");
	tmp = dir(&fs, "/tmp", false);
	expect("move /top.txt into /tmp (another file system)", cairn_fs_move(&fs, root, "top.txt", tmp, "top.txt"),
	       CAIRN_FS_ERR_PERMISSION_DENIED);
	expect("move /top.txt onto /tmp (a node of another file system)",
	       cairn_fs_move(&fs, root, "top.txt", root, "tmp"), CAIRN_FS_ERR_PERMISSION_DENIED);
	expect("move /top.txt to /top2.txt", cairn_fs_move(&fs, root, "top.txt", root, "top2.txt"), CAIRN_OK);
	(void)cairn_fs_close(&fs, tmp);
	(void)cairn_fs_close(&fs, root);
}

static void paths(void)
{
	cairn_fs_handle h;
	expect("dir relative/path", cairn_fs_dir(&fs, "relative", false, &h), CAIRN_FS_ERR_LOOKUP_FAILED);
	expect("dir /tmp/../etc", cairn_fs_dir(&fs, "/tmp/../etc", false, &h), CAIRN_FS_ERR_LOOKUP_FAILED);
	expect("dir /nonexistent", cairn_fs_dir(&fs, "/nonexistent", false, &h), CAIRN_FS_ERR_LOOKUP_FAILED);
	expect("dir /etc/motd (a file)", cairn_fs_dir(&fs, "/etc/motd", false, &h), CAIRN_FS_ERR_LOOKUP_FAILED);
	expect("node /etc/motd", cairn_fs_node(&fs, "/etc/motd", &h), CAIRN_OK);
	struct cairn_fs_status st;
	expect("status of the node", cairn_fs_status(&fs, h, &st), CAIRN_OK);
	check("motd is a file of 17 bytes", st.mode == CAIRN_FS_MODE_FILE && st.size == 17);
	(void)cairn_fs_close(&fs, h);
	expect("status of a closed handle", cairn_fs_status(&fs, h, &st), CAIRN_FS_ERR_INVALID_HANDLE);
	expect("status of handle 4711", cairn_fs_status(&fs, 4711, &st), CAIRN_FS_ERR_INVALID_HANDLE);
	char deep[1100];
	memset(deep, 'd', sizeof(deep));
	deep[0] = '/';
	deep[sizeof(deep) - 1] = 0;
	expect("dir with a path of 1099 characters", cairn_fs_dir(&fs, deep, false, &h), CAIRN_FS_ERR_NAME_TOO_LONG);
}

static void handles_limit(void)
{
	cairn_fs_handle h[CAIRN_FS_MAX_HANDLES + 1];
	unsigned n = 0;
	int r = CAIRN_OK;
	while (n <= CAIRN_FS_MAX_HANDLES && (r = cairn_fs_node(&fs, "/etc", &h[n])) == CAIRN_OK) n++;
	cairn_log("opened %u handles, then: %s", n, cairn_fs_err_str(r));
	if (n != CAIRN_FS_MAX_HANDLES || r != CAIRN_ERR_METADATA) failures++;
	for (unsigned i = 0; i < n; i++) (void)cairn_fs_close(&fs, h[i]);
	expect("a handle after closing them", cairn_fs_node(&fs, "/etc", &h[0]), CAIRN_OK);
	(void)cairn_fs_close(&fs, h[0]);
}

static void notification(void)
{
	cairn_signal_handler sh;
	cairn_cap c = cairn_signal_handler_init(&sh, env->ep, 0, 0);
	cairn_fs_handle tmp = dir(&fs, "/tmp", false), w, watched;
	w = file(&fs, tmp, "watched", CAIRN_FS_WRITE_ONLY, true);
	(void)cairn_fs_close(&fs, w);
	watched = file(&fs, tmp, "watched", CAIRN_FS_READ_ONLY, false);
	expect("sigh on /tmp/watched", cairn_fs_sigh(&fs, watched, c), CAIRN_OK);
	expect("sigh on handle 99", cairn_fs_sigh(&fs, 99, c), CAIRN_FS_ERR_INVALID_HANDLE);
	w = file(&fs, tmp, "watched", CAIRN_FS_WRITE_ONLY, false);
	size_t n;
	expect("write /tmp/watched", cairn_fs_write(&fs, w, 0, "v2", 2, &n), CAIRN_OK);
	(void)cairn_fs_close(&fs, w);
	(void)cairn_ep_wait_signal(env->ep, &sh.obj);
	cairn_log("change of /tmp/watched signalled");
	read_text(&fs, "read /tmp/watched", watched, 0, 10);

	cairn_fs_handle dir_watch = dir(&fs, "/tmp", false);
	expect("sigh on /tmp", cairn_fs_sigh(&fs, dir_watch, c), CAIRN_OK);
	w = file(&fs, tmp, "new_entry", CAIRN_FS_WRITE_ONLY, true);
	(void)cairn_ep_wait_signal(env->ep, &sh.obj);
	cairn_log("new entry in /tmp signalled");
	(void)cairn_fs_close(&fs, w);
	(void)cairn_fs_close(&fs, dir_watch);
	(void)cairn_fs_close(&fs, watched);
	(void)cairn_fs_close(&fs, tmp);
	cairn_signal_handler_fini(&sh, env->ep);
}

/*
 * A session whose donation leaves little room for metadata: handles of
 * long paths exhaust it (Out_of_metadata) before the handle limit; an
 * upgrade buys more.
 */
static void tight_session(void)
{
	/* a deep path of long names, made through the roomy session */
	char path[CAIRN_FS_MAX_PATH_LEN] = "/tmp";
	for (unsigned i = 0; i < 4; i++) {
		size_t l = strlen(path);
		path[l] = '/';
		memset(path + l + 1, (char)('a' + i), 200);
		path[l + 201] = 0;
		cairn_fs_handle h;
		if (cairn_fs_dir(&fs, path, true, &h) != CAIRN_OK) { failures++; return; }
		(void)cairn_fs_close(&fs, h);
	}
	size_t cost = cairn_ps_tx_sink_cost(4096, CAIRN_FS_QUEUE_SIZE, sizeof(struct cairn_fs_packet));
	char args[160];
	snprintf(args, sizeof(args), "ram_quota=%zu, tx_buf_size=4096, label=\"tight\"", cost + 10 * 1024);
	cairn_fs t = { .env = env, .tx_buf_size = 4096 };
	int r = cairn_parent_session(env->parent, "File_system", args, &t.session);
	if (r == CAIRN_OK) r = cairn_ps_tx_source_init(&t.tx, env, t.session, CAIRN_FS_QUEUE_SIZE,
	                                               sizeof(struct cairn_fs_packet), CAIRN_FS_QUEUE_SIZE);
	expect("session with little room for metadata", r, CAIRN_OK);
	if (r != CAIRN_OK) return;
	cairn_fs_handle h;
	unsigned n1 = 0, n2 = 0;
	while ((r = cairn_fs_node(&t, path, &h)) == CAIRN_OK) n1++;
	cairn_log("handles of a %zu-character path: some, then %s", strlen(path), cairn_fs_err_str(r));
	if (r != CAIRN_ERR_METADATA || n1 == 0 || n1 >= CAIRN_FS_MAX_HANDLES) failures++;
	expect("upgrade by 16K", cairn_parent_upgrade(env->parent, t.session, "ram_quota=16K"), CAIRN_OK);
	while ((r = cairn_fs_node(&t, path, &h)) == CAIRN_OK) n2++;
	check("more handles after the upgrade", r == CAIRN_ERR_METADATA && n2 > n1);
	cairn_fs_disconnect(&t);
}

static void sessions(void)
{
	cairn_fs ro;
	int r = cairn_fs_connect(&ro, env, "ro", 0, true, 4096);
	expect("session \"ro\" (policy: root /etc, read-only)", r, CAIRN_OK);
	if (r == CAIRN_OK) {
		list(&ro, "/");
		cairn_fs_handle d = dir(&ro, "/", false), h;
		expect("create a file in \"ro\"", cairn_fs_file(&ro, d, "x", CAIRN_FS_WRITE_ONLY, true, &h),
		       CAIRN_FS_ERR_PERMISSION_DENIED);
		expect("mkdir in \"ro\"", cairn_fs_dir(&ro, "/sub", true, &h), CAIRN_FS_ERR_PERMISSION_DENIED);
		h = file(&ro, d, "motd", CAIRN_FS_READ_ONLY, false);
		read_text(&ro, "read /motd in \"ro\"", h, 0, 100);
		(void)cairn_fs_close(&ro, h);
		cairn_fs_disconnect(&ro);
	}

	cairn_fs sub;
	r = cairn_fs_connect(&sub, env, "sub", "/tmp", true, 4096);
	expect("session with root=\"/tmp\"", r, CAIRN_OK);
	if (r == CAIRN_OK) {
		list(&sub, "/");
		cairn_fs_handle h;
		expect("dir /.. in it", cairn_fs_dir(&sub, "/..", false, &h), CAIRN_FS_ERR_LOOKUP_FAILED);
		cairn_fs_disconnect(&sub);
	}

	cairn_fs nowrite;
	r = cairn_fs_connect(&nowrite, env, "nowrite", 0, false, 4096);
	if (r == CAIRN_OK) {
		cairn_fs_handle h;
		expect("mkdir with writeable=no", cairn_fs_dir(&nowrite, "/tmp/x", true, &h), CAIRN_FS_ERR_PERMISSION_DENIED);
		cairn_fs_disconnect(&nowrite);
	}

	cairn_fs bad;
	expect("session with root=\"/nonexistent\"", cairn_fs_connect(&bad, env, "badroot", "/nonexistent", true, 4096),
	       CAIRN_ERR_DENIED);
	cairn_cap s;
	/* the server refuses with Invalid_args, which init reports as Service_denied */
	expect("session with tx_buf_size=0",
	       cairn_parent_session(env->parent, "File_system", "ram_quota=80K, tx_buf_size=0, label=\"zero\"", &s),
	       CAIRN_ERR_DENIED);
	expect("session with ram_quota=8K and tx_buf_size=64K",
	       cairn_parent_session(env->parent, "File_system", "ram_quota=8K, tx_buf_size=64K, label=\"poor\"", &s),
	       CAIRN_ERR_QUOTA);
}

/* ---------------------------------------------------------------- dump mode */

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct cairn_fs_dirent *)a)->name, ((const struct cairn_fs_dirent *)b)->name);
}

/* print every file below path with its content, one line per line, in name order */
static void dump(const char *path)
{
	enum { MAX = 64 };
	static struct cairn_fs_dirent entries[8][MAX];   /* per depth */
	static unsigned depth;
	cairn_fs_handle d;
	if (depth == 8 || cairn_fs_dir(&fs, path, false, &d) != CAIRN_OK) { cairn_log("%s: not a directory", path); return; }
	struct cairn_fs_dirent *e = entries[depth];
	unsigned count = 0;
	size_t n;
	while (count < MAX && cairn_fs_read(&fs, d, count * sizeof(*e), &e[count], sizeof(*e), &n) == CAIRN_OK
	       && n == sizeof(*e)) {
		e[count].name[sizeof(e[count].name) - 1] = 0;
		count++;
	}
	qsort(e, count, sizeof(*e), by_name);
	depth++;
	for (unsigned i = 0; i < count; i++) {
		char child[CAIRN_FS_MAX_PATH_LEN];
		snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ? path : "", e[i].name);
		if (e[i].type == CAIRN_FS_TYPE_DIRECTORY) { dump(child); continue; }
		cairn_log("%s:", child);
		cairn_fs_handle f;
		if (cairn_fs_file(&fs, d, e[i].name, CAIRN_FS_READ_ONLY, false, &f) != CAIRN_OK) continue;
		static char buf[16384];
		size_t len = 0;
		if (cairn_fs_read(&fs, f, 0, buf, sizeof(buf) - 1, &len) != CAIRN_OK) len = 0;
		buf[len] = 0;
		for (char *line = buf, *nl; line && *line; line = nl ? nl + 1 : 0) {
			nl = strchr(line, '\n');
			if (nl) *nl = 0;
			cairn_log("  %s", line);
		}
		(void)cairn_fs_close(&fs, f);
	}
	depth--;
	(void)cairn_fs_close(&fs, d);
}

static void connect(const struct xml_node *n, bool *connected)
{
	char label[64], root[CAIRN_FS_MAX_PATH_LEN];
	xml_attr_string(n, "label", label, sizeof(label), "");
	xml_attr_string(n, "root", root, sizeof(root), "");
	bool writeable = xml_attr_bool(n, "writeable", false);
	if (*connected) cairn_fs_disconnect(&fs);
	int r = cairn_fs_connect(&fs, env, label, root, writeable, 16 * 1024);
	*connected = r == CAIRN_OK;
	cairn_log("connect \"%s\"%s%s: %s", label, root[0] ? " root=" : "", root, cairn_fs_err_str(r));
}

static void write_step(const struct xml_node *n)
{
	char path[CAIRN_FS_MAX_PATH_LEN], text[256];
	xml_attr_string(n, "path", path, sizeof(path), "");
	xml_attr_string(n, "text", text, sizeof(text), "");
	char *slash = strrchr(path, '/');
	if (!slash) return;
	*slash = 0;
	cairn_fs_handle d, f;
	size_t len;
	int r = cairn_fs_dir(&fs, path[0] ? path : "/", false, &d);
	if (r == CAIRN_OK) {
		r = cairn_fs_file(&fs, d, slash + 1, CAIRN_FS_WRITE_ONLY, true, &f);
		(void)cairn_fs_close(&fs, d);
	}
	if (r == CAIRN_OK) {
		r = cairn_fs_write(&fs, f, 0, text, strlen(text), &len);
		(void)cairn_fs_close(&fs, f);
	}
	*slash = '/';
	cairn_log("write %s: %s", path, cairn_fs_err_str(r));
}

/*
 * Script mode, a config of steps in order:
 *   <barrier label="x"/>   open (and close) a LOG session with that label;
 *                          routed to a component that announces LOG when
 *                          it is done, this waits for it
 *   <connect label="l" root="/r" writeable="yes"/>   (re)connect, log the result
 *   <write path="/a/b" text="t"/>                   create and write a file
 *   <dump path="/"/>       print the files below path with their content
 * then exit.
 */
static bool script_mode(void)
{
	cairn_attached_rom config;
	if (cairn_attached_rom_open(&config, env, "config") != CAIRN_OK) return false;
	struct xml_node cfg, n;
	bool any = false, connected = false;
	struct xml_iter it;
	if (!xml_parse(config.data, strnlen(config.data, config.size), &cfg).error) {
		xml_iter_init(&it, &cfg, 0);
		while (xml_iter_next(&it, &n)) {
			any = true;
			if (xml_has_type(&n, "barrier")) {
				char label[64];
				cairn_cap log;
				xml_attr_string(&n, "label", label, sizeof(label), "");
				if (cairn_session(env, "LOG", &log, "ram_quota=8192, label=\"%s\"", label) == CAIRN_OK) {
					(void)cairn_parent_close(env->parent, log);
					cairn_cap_release(log);
				}
			} else if (xml_has_type(&n, "connect")) {
				connect(&n, &connected);
			} else if (!connected) {
				cairn_log("no File_system session for <%.*s>", (int)xml_type(&n).len, xml_type(&n).ptr);
			} else if (xml_has_type(&n, "write")) {
				write_step(&n);
			} else if (xml_has_type(&n, "dump")) {
				char path[CAIRN_FS_MAX_PATH_LEN];
				xml_attr_string(&n, "path", path, sizeof(path), "/");
				dump(path);
			}
		}
	}
	if (connected) cairn_fs_disconnect(&fs);
	cairn_attached_rom_close(&config, env);
	return any;
}

void cairn_component_construct(cairn_env *e)
{
	env = e;
	if (script_mode()) cairn_env_exit(env, 0);
	int r = cairn_fs_connect(&fs, env, "", 0, true, 16 * 1024);
	if (r != CAIRN_OK) cairn_fatal("cannot connect to the File_system: %s", cairn_fs_err_str(r));
	cairn_log("--- VFS test ---");
	list(&fs, "/");
	list(&fs, "/dev");
	devices();
	read_only_nodes();
	ram_files();
	paths();
	handles_limit();
	notification();
	tight_session();
	sessions();
	cairn_fs_disconnect(&fs);
	cairn_log("--- VFS test finished (%u unexpected results) ---", failures);
	cairn_env_exit(env, failures ? 1 : 0);
}
