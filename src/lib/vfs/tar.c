/* tar.c - the `tar` plugin: the content of a tar archive (ROM module), read-only */

#include <base/log.h>
#include <session/rom/rom.h>
#include <vfs/plugin.h>

#include <stdio.h>
#include <string.h>

/*
 * The archive stays in its ROM dataspace; the plugin indexes it once:
 * ustar headers (name with prefix), GNU long names ('L', 'K'), regular
 * files, directories and symlinks; hard links become files with the
 * content of their target; other entries are skipped. Directories that
 * only appear as parts of paths are added. A later entry replaces an
 * earlier one of the same path. Everything read from the archive is
 * checked against its size: a malformed archive yields fewer entries,
 * never a read outside it.
 */
struct tar_entry {
	char       *path;     /* without leading "/" or "./", no trailing "/" */
	const char *data;
	uint64_t    size;
	char       *link;     /* symlink target */
	uint32_t    type;     /* CAIRN_FS_TYPE_* */
	int         parent;   /* index, -1: the archive's root */
};

struct tar_fs {
	struct vfs_fs      base;
	cairn_attached_rom rom;
	struct tar_entry  *e;
	unsigned           n, cap;
	int               *hash;     /* open addressing over paths, -1 empty */
	unsigned           hash_size;
};

enum { BLOCK = 512, LOOKUP = CAIRN_FS_ERR_LOOKUP_FAILED, DENIED = CAIRN_FS_ERR_PERMISSION_DENIED };

static cairn_heap *heap(struct tar_fs *t) { return t->base.env->heap; }

/* ---------------------------------------------------------------- index */

static uint64_t hash_of(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < len; i++) h = (h ^ (uint8_t)s[i]) * 1099511628211ull;
	return h;
}

static int find(struct tar_fs *t, const char *path, size_t len)
{
	if (!t->hash_size) {
		for (unsigned i = 0; i < t->n; i++)
			if (strncmp(t->e[i].path, path, len) == 0 && !t->e[i].path[len]) return (int)i;
		return -1;
	}
	for (uint64_t h = hash_of(path, len);; h++) {
		int i = t->hash[h & (t->hash_size - 1)];
		if (i < 0) return -1;
		if (strncmp(t->e[i].path, path, len) == 0 && !t->e[i].path[len]) return i;
	}
}

static bool rehash(struct tar_fs *t);

static void hash_insert(struct tar_fs *t, int i)
{
	uint64_t k = hash_of(t->e[i].path, strlen(t->e[i].path));
	while (t->hash[k & (t->hash_size - 1)] >= 0) k++;
	t->hash[k & (t->hash_size - 1)] = i;
}

static char *dup_n(struct tar_fs *t, const char *s, size_t len)
{
	char *d = cairn_heap_alloc(heap(t), len + 1);
	if (d) { memcpy(d, s, len); d[len] = 0; }
	return d;
}

/* add (or replace) an entry; false when out of memory */
static bool add(struct tar_fs *t, const char *path, size_t len, uint32_t type,
                const char *data, uint64_t size, const char *link, size_t link_len)
{
	int i = find(t, path, len);
	if (i < 0) {
		if (t->n == t->cap) {
			unsigned cap = t->cap ? t->cap * 2 : 64;
			struct tar_entry *e = cairn_heap_calloc(heap(t), cap, sizeof(*e));
			if (!e) return false;
			if (t->e) { memcpy(e, t->e, t->n * sizeof(*e)); cairn_heap_free(heap(t), t->e); }
			t->e = e;
			t->cap = cap;
		}
		i = (int)t->n++;
		t->e[i] = (struct tar_entry){ .path = dup_n(t, path, len) };
		if (!t->e[i].path) { t->n--; return false; }
		/* the hash (once there are enough entries) stays at most half full */
		if (t->n > 64 && 2 * t->n > t->hash_size) { if (!rehash(t)) return false; }
		else if (t->hash_size) hash_insert(t, i);
	}
	struct tar_entry *e = &t->e[i];
	if (e->link) cairn_heap_free(heap(t), e->link);
	e->type = type;
	e->data = data;
	e->size = size;
	e->link = link ? dup_n(t, link, link_len) : 0;
	return !link || e->link;
}

static bool rehash(struct tar_fs *t)
{
	unsigned size = 16;
	while (size < 2 * t->n) size *= 2;
	int *h = cairn_heap_alloc(heap(t), size * sizeof(int));
	if (!h) return false;
	for (unsigned i = 0; i < size; i++) h[i] = -1;
	if (t->hash) cairn_heap_free(heap(t), t->hash);
	t->hash = h;
	t->hash_size = size;
	for (unsigned i = 0; i < t->n; i++) hash_insert(t, (int)i);
	return true;
}

static uint64_t octal(const char *f, size_t len)
{
	if ((uint8_t)f[0] & 0x80) {           /* base-256 (GNU) for large sizes */
		uint64_t v = (uint8_t)f[0] & 0x7f;
		for (size_t i = 1; i < len; i++) v = (v << 8) | (uint8_t)f[i];
		return v;
	}
	uint64_t v = 0;
	for (size_t i = 0; i < len && f[i] >= '0' && f[i] <= '7'; i++) v = v * 8 + (uint64_t)(f[i] - '0');
	return v;
}

/* normalise "./a/b/" to "a/b"; false if it is empty or has "." / ".." elements */
static bool normalise(char *p, size_t *len)
{
	size_t s = 0, n = *len;
	while (n > s && (p[s] == '/' || (p[s] == '.' && (s + 1 == n || p[s + 1] == '/')))) s++;
	while (n > s && p[n - 1] == '/') n--;
	memmove(p, p + s, n - s);
	n -= s;
	p[n] = 0;
	*len = n;
	if (!n) return false;
	for (char *q = p; q;) {
		char *e = strchr(q, '/');
		size_t l = e ? (size_t)(e - q) : strlen(q);
		if (!l || (l == 1 && q[0] == '.') || (l == 2 && q[0] == '.' && q[1] == '.')) return false;
		q = e ? e + 1 : 0;
	}
	return true;
}

static bool header_ok(const char *h)
{
	uint64_t sum = 0;
	for (int i = 0; i < BLOCK; i++) sum += (i >= 148 && i < 156) ? ' ' : (uint8_t)h[i];
	return sum == octal(h + 148, 8);
}

static bool index_archive(struct tar_fs *t)
{
	const char *a = t->rom.data;
	uint64_t size = t->rom.size;
	char name[CAIRN_FS_MAX_PATH_LEN], link[CAIRN_FS_MAX_PATH_LEN];
	bool long_name = false, long_link = false;
	for (uint64_t off = 0; size >= BLOCK && off <= size - BLOCK;) {
		const char *h = a + off;
		if (!h[0] || !header_ok(h)) break;
		uint64_t len = octal(h + 124, 12);
		uint64_t data = off + BLOCK;
		if (len > size - data) break;
		uint64_t next = data + ((len + BLOCK - 1) / BLOCK) * BLOCK;
		char type = h[156];
		if (type == 'L' || type == 'K') {
			char *dst = type == 'L' ? name : link;
			size_t n = len < CAIRN_FS_MAX_PATH_LEN ? (size_t)len : CAIRN_FS_MAX_PATH_LEN - 1;
			memcpy(dst, a + data, n);
			dst[n] = 0;
			if (type == 'L') long_name = true; else long_link = true;
			off = next;
			continue;
		}
		if (!long_name) {
			size_t pl = strnlen(h + 345, 155), nl = strnlen(h, 100);
			bool ustar = memcmp(h + 257, "ustar", 5) == 0;
			size_t k = 0;
			if (ustar && pl) { memcpy(name, h + 345, pl); k = pl; name[k++] = '/'; }
			memcpy(name + k, h, nl);
			name[k + nl] = 0;
		}
		if (!long_link) { size_t ll = strnlen(h + 157, 100); memcpy(link, h + 157, ll); link[ll] = 0; }
		long_name = long_link = false;
		size_t nlen = strlen(name);
		bool ok = true;
		if (normalise(name, &nlen)) {
			if (type == '0' || type == 0 || type == '7')
				ok = add(t, name, nlen, CAIRN_FS_TYPE_FILE, a + data, len, 0, 0);
			else if (type == '5')
				ok = add(t, name, nlen, CAIRN_FS_TYPE_DIRECTORY, 0, 0, 0, 0);
			else if (type == '2')
				ok = add(t, name, nlen, CAIRN_FS_TYPE_SYMLINK, 0, strlen(link), link, strlen(link));
			else if (type == '1') {
				size_t ll = strlen(link);
				int target = normalise(link, &ll) ? find(t, link, ll) : -1;
				if (target >= 0 && t->e[target].type == CAIRN_FS_TYPE_FILE)
					ok = add(t, name, nlen, CAIRN_FS_TYPE_FILE, t->e[target].data, t->e[target].size, 0, 0);
			}
		}
		if (!ok) return false;
		off = next;
	}
	return true;
}

/* add the directories that only appear within paths, then link parents */
static bool complete(struct tar_fs *t)
{
	for (unsigned i = 0; i < t->n; i++) {
		for (const char *s = strchr(t->e[i].path, '/'); s; s = strchr(s + 1, '/')) {
			size_t len = (size_t)(s - t->e[i].path);
			if (find(t, t->e[i].path, len) >= 0) continue;
			char dir[CAIRN_FS_MAX_PATH_LEN];
			memcpy(dir, t->e[i].path, len);   /* add() may move the array */
			if (!add(t, dir, len, CAIRN_FS_TYPE_DIRECTORY, 0, 0, 0, 0)) return false;
		}
	}
	if (!rehash(t)) return false;
	for (unsigned i = 0; i < t->n; i++) {
		const char *s = strrchr(t->e[i].path, '/');
		t->e[i].parent = s ? find(t, t->e[i].path, (size_t)(s - t->e[i].path)) : -1;
	}
	return true;
}

/* ---------------------------------------------------------------- plugin */

static void tar_destroy(struct vfs_fs *fs)
{
	struct tar_fs *t = (struct tar_fs *)fs;
	for (unsigned i = 0; i < t->n; i++) {
		cairn_heap_free(heap(t), t->e[i].path);
		if (t->e[i].link) cairn_heap_free(heap(t), t->e[i].link);
	}
	if (t->e) cairn_heap_free(heap(t), t->e);
	if (t->hash) cairn_heap_free(heap(t), t->hash);
	cairn_attached_rom_close(&t->rom, fs->env->env);
	cairn_heap_free(heap(t), t);
}

static int tar_create(struct vfs_env *env, const struct xml_node *node, struct vfs_fs **out)
{
	char name[160];
	if (!xml_attr_string(node, "name", name, sizeof(name), "")) return CAIRN_FS_ERR_INVALID_NAME;
	struct tar_fs *t = cairn_heap_calloc(env->heap, 1, sizeof(*t));
	if (!t) return CAIRN_ERR_NO_MEMORY;
	t->base.env = env;
	int r = cairn_attached_rom_open(&t->rom, env->env, name);
	if (r != CAIRN_OK) { cairn_heap_free(env->heap, t); return r; }
	cairn_log("tar archive '%s' local at %p, size is %zu", name, (const void *)t->rom.data, t->rom.size);
	if (!index_archive(t) || !complete(t)) { tar_destroy(&t->base); return CAIRN_ERR_NO_MEMORY; }
	*out = &t->base;
	return CAIRN_OK;
}

/* index of path ("/a/b"), -1 for the root, -2 if there is no such node */
static int entry_of(struct tar_fs *t, const char *path)
{
	if (strcmp(path, "/") == 0) return -1;
	int i = find(t, path + 1, strlen(path + 1));
	return i < 0 ? -2 : i;
}

static uint32_t mode_of(uint32_t type)
{
	return type == CAIRN_FS_TYPE_DIRECTORY ? CAIRN_FS_MODE_DIRECTORY
	     : type == CAIRN_FS_TYPE_SYMLINK   ? CAIRN_FS_MODE_SYMLINK : CAIRN_FS_MODE_FILE;
}

static int tar_stat(struct vfs_fs *fs, const char *path, struct vfs_stat *st)
{
	struct tar_fs *t = (struct tar_fs *)fs;
	int i = entry_of(t, path);
	if (i == -2) return LOOKUP;
	if (i == -1) {
		*st = (struct vfs_stat){ .mode = CAIRN_FS_MODE_DIRECTORY, .inode = vfs_inode(t, 0) };
		return CAIRN_OK;
	}
	*st = (struct vfs_stat){
		.size = t->e[i].size, .mode = mode_of(t->e[i].type), .inode = vfs_inode(t, (uint64_t)i + 1),
	};
	return CAIRN_OK;
}

static bool is_dir(struct tar_fs *t, int i)
{
	return i == -1 || (i >= 0 && t->e[i].type == CAIRN_FS_TYPE_DIRECTORY);
}

static uint64_t tar_num_dirent(struct vfs_fs *fs, const char *path)
{
	struct tar_fs *t = (struct tar_fs *)fs;
	int d = entry_of(t, path);
	if (!is_dir(t, d)) return 0;
	uint64_t n = 0;
	for (unsigned i = 0; i < t->n; i++) n += t->e[i].parent == d;
	return n;
}

static int tar_dirent(struct vfs_fs *fs, const char *path, uint64_t index, struct vfs_dirent *de)
{
	struct tar_fs *t = (struct tar_fs *)fs;
	int d = entry_of(t, path);
	*de = (struct vfs_dirent){ .type = VFS_DIRENT_END };
	if (!is_dir(t, d)) return LOOKUP;
	for (unsigned i = 0; i < t->n; i++) {
		if (t->e[i].parent != d || index--) continue;
		const char *s = strrchr(t->e[i].path, '/');
		de->inode = vfs_inode(t, (uint64_t)i + 1);
		de->type  = t->e[i].type;
		snprintf(de->name, sizeof(de->name), "%s", s ? s + 1 : t->e[i].path);
		return CAIRN_OK;
	}
	return CAIRN_OK;
}

/* changes: refused where the archive has the node or its directory */
static int refuse(struct vfs_fs *fs, const char *path)
{
	struct tar_fs *t = (struct tar_fs *)fs;
	if (entry_of(t, path) != -2) return DENIED;
	char dir[CAIRN_FS_MAX_PATH_LEN];
	const char *s = strrchr(path, '/');
	size_t n = s && s != path ? (size_t)(s - path) : 1;
	memcpy(dir, path, n);
	dir[n] = 0;
	return is_dir(t, entry_of(t, dir)) ? DENIED : LOOKUP;
}

static int tar_mkdir(struct vfs_fs *fs, const char *path) { return refuse(fs, path); }
static int tar_unlink(struct vfs_fs *fs, const char *path)
{
	return entry_of((struct tar_fs *)fs, path) == -2 ? LOOKUP : DENIED;
}

static int tar_rename(struct vfs_fs *fs, const char *from, const char *to)
{
	(void)to;
	return tar_unlink(fs, from);
}

static int tar_symlink(struct vfs_fs *fs, const char *path, const char *target, bool create)
{
	(void)target; (void)create;
	return refuse(fs, path);
}

static int tar_readlink(struct vfs_fs *fs, const char *path, char *buf, size_t size, size_t *out)
{
	struct tar_fs *t = (struct tar_fs *)fs;
	int i = entry_of(t, path);
	if (i < 0 || t->e[i].type != CAIRN_FS_TYPE_SYMLINK) return LOOKUP;
	vfs_read_range(t->e[i].link, strlen(t->e[i].link), 0, buf, size, out);
	return CAIRN_OK;
}

struct tar_handle {
	struct vfs_handle base;
	int               entry;
};

static int tar_open(struct vfs_fs *fs, const char *path, unsigned mode, bool create,
                    cairn_heap *alloc, struct vfs_handle **out)
{
	struct tar_fs *t = (struct tar_fs *)fs;
	int i = entry_of(t, path);
	if (create) return i != -2 ? CAIRN_FS_ERR_NODE_ALREADY_EXISTS : refuse(fs, path);
	if (i < 0 || t->e[i].type != CAIRN_FS_TYPE_FILE) return LOOKUP;
	if (mode != CAIRN_FS_READ_ONLY && mode != CAIRN_FS_STAT_ONLY) return DENIED;
	struct tar_handle *h = vfs_handle_alloc(fs, alloc, sizeof(*h), mode);
	if (!h) return CAIRN_ERR_METADATA;
	h->entry = i;
	*out = &h->base;
	return CAIRN_OK;
}

static int tar_read(struct vfs_handle *vh, uint64_t pos, void *buf, size_t len, size_t *out)
{
	struct tar_fs *t = (struct tar_fs *)vh->fs;
	struct tar_entry *e = &t->e[((struct tar_handle *)vh)->entry];
	vfs_read_range(e->data, e->size, pos, buf, len, out);
	return CAIRN_OK;
}

static int tar_fstat(struct vfs_handle *vh, struct vfs_stat *st)
{
	struct tar_fs *t = (struct tar_fs *)vh->fs;
	int i = ((struct tar_handle *)vh)->entry;
	*st = (struct vfs_stat){
		.size = t->e[i].size, .mode = CAIRN_FS_MODE_FILE, .inode = vfs_inode(t, (uint64_t)i + 1),
	};
	return CAIRN_OK;
}

const struct vfs_fs_ops vfs_tar_ops = {
	.type       = "tar",
	.create     = tar_create,
	.destroy    = tar_destroy,
	.stat       = tar_stat,
	.dirent     = tar_dirent,
	.num_dirent = tar_num_dirent,
	.mkdir      = tar_mkdir,
	.unlink     = tar_unlink,
	.rename     = tar_rename,
	.symlink    = tar_symlink,
	.readlink   = tar_readlink,
	.open       = tar_open,
	.read       = tar_read,
	.fstat      = tar_fstat,
};
