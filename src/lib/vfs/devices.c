/* devices.c - plugins of one node backed by a session: log, rtc, rom */

#include "single.h"

#include <base/parent.h>
#include <session/log/log.h>
#include <session/rom/rom.h>
#include <session/rtc/rtc.h>

#include <stdio.h>
#include <string.h>

/* ---------------------------------------------------------------- log */

/* a character device: writes go to a LOG session (label attribute), reads yield nothing */
struct log_fs {
	struct single_fs s;
	cairn_cap        log;
};

static int log_create(struct vfs_env *env, const struct xml_node *n, struct vfs_fs **out)
{
	struct log_fs *f = single_create(env, n, "log", sizeof(*f), CAIRN_FS_MODE_FILE, true);
	if (!f) return CAIRN_FS_ERR_INVALID_NAME;
	char label[160];
	xml_attr_string(n, "label", label, sizeof(label), "");
	int r = cairn_session(env->env, "LOG", &f->log, "ram_quota=%d, label=\"%s\"", CAIRN_LOG_RAM, label);
	if (r != CAIRN_OK) { single_destroy(&f->s.base); return r; }
	*out = &f->s.base;
	return CAIRN_OK;
}

static void log_destroy(struct vfs_fs *fs)
{
	struct log_fs *f = (struct log_fs *)fs;
	(void)cairn_parent_close(fs->env->env->parent, f->log);
	cairn_cap_release(f->log);
	single_destroy(fs);
}

static int log_read(struct vfs_handle *h, uint64_t pos, void *buf, size_t len, size_t *out)
{
	(void)h; (void)pos; (void)buf; (void)len;
	*out = 0;
	return CAIRN_OK;
}

static int log_write(struct vfs_handle *h, uint64_t pos, const void *buf, size_t len, size_t *out)
{
	(void)pos;
	struct log_fs *f = (struct log_fs *)h->fs;
	char chunk[CAIRN_LOG_MAX];
	for (size_t done = 0; done < len;) {
		size_t n = len - done < sizeof(chunk) - 1 ? len - done : sizeof(chunk) - 1;
		memcpy(chunk, (const char *)buf + done, n);
		chunk[n] = 0;
		/* a NUL inside the data ends the text of this chunk */
		(void)cairn_log_write(f->log, chunk);
		done += n;
	}
	*out = len;
	return CAIRN_OK;
}

static int log_truncate(struct vfs_handle *h, uint64_t len) { (void)h; (void)len; return CAIRN_OK; }

const struct vfs_fs_ops vfs_log_ops = {
	.type = "log", .create = log_create, .destroy = log_destroy, SINGLE_OPS, .open = single_open,
	.read = log_read, .write = log_write, .ftruncate = log_truncate,
};

/* ---------------------------------------------------------------- rtc */

/* read-only; every read yields "YYYY-MM-DD HH:MM\n" from an Rtc session */
enum { RTC_TEXT = 17 };

struct rtc_fs {
	struct single_fs s;
	cairn_cap        rtc;
};

static uint64_t rtc_size(struct single_fs *s) { (void)s; return RTC_TEXT; }

static int rtc_create(struct vfs_env *env, const struct xml_node *n, struct vfs_fs **out)
{
	struct rtc_fs *f = single_create(env, n, "rtc", sizeof(*f), CAIRN_FS_MODE_FILE, false);
	if (!f) return CAIRN_FS_ERR_INVALID_NAME;
	int r = cairn_session(env->env, "Rtc", &f->rtc, "ram_quota=%d", CAIRN_RTC_RAM);
	if (r != CAIRN_OK) { single_destroy(&f->s.base); return r; }
	f->s.size = rtc_size;
	*out = &f->s.base;
	return CAIRN_OK;
}

static void rtc_destroy(struct vfs_fs *fs)
{
	struct rtc_fs *f = (struct rtc_fs *)fs;
	(void)cairn_parent_close(fs->env->env->parent, f->rtc);
	cairn_cap_release(f->rtc);
	single_destroy(fs);
}

static int rtc_read(struct vfs_handle *h, uint64_t pos, void *buf, size_t len, size_t *out)
{
	struct rtc_fs *f = (struct rtc_fs *)h->fs;
	cairn_rtc_timestamp t;
	int r = cairn_rtc_current_time(f->rtc, &t);
	if (r != CAIRN_OK) { *out = 0; return CAIRN_OK; }
	char text[RTC_TEXT + 16];
	snprintf(text, sizeof(text), "%04u-%02u-%02u %02u:%02u\n", t.year % 10000, t.month % 100,
	         t.day % 100, t.hour % 100, t.minute % 100);
	vfs_read_range(text, RTC_TEXT, pos, buf, len, out);
	return CAIRN_OK;
}

const struct vfs_fs_ops vfs_rtc_ops = {
	.type = "rtc", .create = rtc_create, .destroy = rtc_destroy, SINGLE_OPS,
	.open = single_open, .read = rtc_read,
};

/* ---------------------------------------------------------------- rom */

/*
 * A read-only file with the content of a ROM module (`label`, default the
 * name). The ROM is brought up to date whenever the file is opened, so a
 * dynamic ROM shows its latest version to every new reader.
 */
struct rom_fs {
	struct single_fs   s;
	cairn_attached_rom rom;
	bool               attached;
};

static uint64_t rom_size(struct single_fs *s)
{
	struct rom_fs *f = (struct rom_fs *)s;
	return f->attached ? f->rom.size : 0;
}

static int rom_create(struct vfs_env *env, const struct xml_node *n, struct vfs_fs **out)
{
	struct rom_fs *f = single_create(env, n, "", sizeof(*f), CAIRN_FS_MODE_FILE, false);
	if (!f) return CAIRN_FS_ERR_INVALID_NAME;
	char label[160];
	xml_attr_string(n, "label", label, sizeof(label), f->s.name);
	int r = cairn_attached_rom_open(&f->rom, env->env, label);
	if (r != CAIRN_OK) { single_destroy(&f->s.base); return r; }
	f->attached = true;
	f->s.size   = rom_size;
	*out = &f->s.base;
	return CAIRN_OK;
}

static void rom_destroy(struct vfs_fs *fs)
{
	struct rom_fs *f = (struct rom_fs *)fs;
	cairn_attached_rom_close(&f->rom, fs->env->env);
	single_destroy(fs);
}

static int rom_open(struct vfs_fs *fs, const char *path, unsigned mode, bool create,
                    cairn_heap *alloc, struct vfs_handle **out)
{
	int r = single_open(fs, path, mode, create, alloc, out);
	struct rom_fs *f = (struct rom_fs *)fs;
	if (r == CAIRN_OK) f->attached = cairn_attached_rom_update(&f->rom) == CAIRN_OK;
	return r;
}

static int rom_read(struct vfs_handle *h, uint64_t pos, void *buf, size_t len, size_t *out)
{
	struct rom_fs *f = (struct rom_fs *)h->fs;
	*out = 0;
	if (f->attached) vfs_read_range(f->rom.data, f->rom.size, pos, buf, len, out);
	return CAIRN_OK;
}

const struct vfs_fs_ops vfs_rom_ops = {
	.type = "rom", .create = rom_create, .destroy = rom_destroy, SINGLE_OPS,
	.open = rom_open, .read = rom_read,
};
