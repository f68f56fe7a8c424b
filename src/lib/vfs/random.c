/* random.c - the `jitterentropy` plugin: random bytes from CPU timing jitter */

#include "single.h"

#include <string.h>
#include <time.h>

/*
 * In the role of the original's jitterentropy plugin (14.08): a file
 * whose reads return random bytes, with the entropy taken from the
 * jitter of the CPU's execution time, so no host entropy source is
 * needed. Each read gathers timing deltas of a memory-walking loop
 * (clock_gettime, the vDSO's counter), mixes them into a ChaCha20 key,
 * and emits ChaCha20 key stream, so that output never repeats even if
 * the jitter were poor. It is a small re-creation, not the audited
 * jitterentropy library: adequate for seeds and nonces in tests, not
 * reviewed for cryptographic use.
 */
struct random_fs {
	struct single_fs s;
	uint32_t         key[8];
	uint64_t         counter;
	uint8_t          pool[4096];
};

static uint32_t rotl(uint32_t v, int n) { return (v << n) | (v >> (32 - n)); }

#define QR(a, b, c, d) \
	a += b; d ^= a; d = rotl(d, 16); c += d; b ^= c; b = rotl(b, 12); \
	a += b; d ^= a; d = rotl(d, 8);  c += d; b ^= c; b = rotl(b, 7)

static void chacha_block(const uint32_t key[8], uint64_t counter, uint32_t out[16])
{
	uint32_t x[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574,
	                   key[0], key[1], key[2], key[3], key[4], key[5], key[6], key[7],
	                   (uint32_t)counter, (uint32_t)(counter >> 32), 0x4a697474, 0x6572456e };
	uint32_t in[16];
	memcpy(in, x, sizeof(in));
	for (int i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]); QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]); QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]); QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]); QR(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++) out[i] = x[i] + in[i];
}

static uint64_t ticks(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* fold 64 jitter samples into the key (each sample: a timed walk over the pool) */
static void gather(struct random_fs *f)
{
	uint32_t mix[16];
	for (unsigned i = 0; i < 64; i++) {
		uint64_t t0 = ticks();
		for (unsigned j = 0; j < sizeof(f->pool); j += 64)
			f->pool[(j * 7 + i * 13) % sizeof(f->pool)] += (uint8_t)(t0 >> (j % 8));
		uint64_t d = ticks() - t0;
		f->key[i % 8] ^= (uint32_t)d ^ rotl((uint32_t)(d >> 32), (int)(i % 31) + 1);
		if (i % 8 == 7) {
			chacha_block(f->key, ~f->counter, mix);
			for (unsigned k = 0; k < 8; k++) f->key[k] ^= mix[k];
		}
	}
}

static int random_create(struct vfs_env *env, const struct xml_node *n, struct vfs_fs **out)
{
	struct random_fs *f = single_create(env, n, "jitterentropy", sizeof(*f), CAIRN_FS_MODE_FILE, false);
	if (!f) return CAIRN_FS_ERR_INVALID_NAME;
	gather(f);
	*out = &f->s.base;
	return CAIRN_OK;
}

static int random_read(struct vfs_handle *h, uint64_t pos, void *buf, size_t len, size_t *out)
{
	(void)pos;
	struct random_fs *f = (struct random_fs *)h->fs;
	gather(f);
	uint32_t block[16];
	for (size_t done = 0; done < len; done += sizeof(block)) {
		chacha_block(f->key, f->counter++, block);
		size_t n = len - done < sizeof(block) ? len - done : sizeof(block);
		memcpy((char *)buf + done, block, n);
	}
	/* forward secrecy: the next key is fresh key stream */
	chacha_block(f->key, f->counter++, block);
	memcpy(f->key, block, sizeof(f->key));
	*out = len;
	return CAIRN_OK;
}

const struct vfs_fs_ops vfs_jitterentropy_ops = {
	.type = "jitterentropy", .create = random_create, .destroy = single_destroy, SINGLE_OPS,
	.open = single_open, .read = random_read,
};
