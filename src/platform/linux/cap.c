/* cap.c - the process-local capability table: names for kernel descriptors */

#include <plat.h>
#include "internal.h"
#include "inohash.h"

#include <pthread.h>
#include <string.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * A capability name indexes this table. Each entry owns the descriptor of
 * the object's socket (its identity: the inode) and refers to an entry of
 * the entrypoint table (the socket that reaches the object's server). The
 * same object received twice shares one entry; a generation count makes
 * stale names of freed entries invalid.
 */
enum { CAP_MAX = 1 << 15, EP_MAX = EPT_MAX };

struct cap_slot {
	int      obj_fd;
	int      ep;       /* index into ep table */
	uint64_t ino;
	uint32_t refs;
	uint16_t gen;
};

struct ep_slot {
	int      fd;
	uint64_t ino;
	uint32_t refs;
};

static struct cap_slot *caps;
static struct ep_slot  *eps;
static uint32_t         cap_free_hint = 1, ep_free_hint = 1;
static pthread_mutex_t  lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t cap_key(uint32_t i) { return caps[i].ino; }
static uint64_t ep_key(uint32_t i)  { return eps[i].ino; }
static struct inohash ep_hash;
static struct inohash cap_hash;

static void *zalloc_pages(size_t size)
{
	void *p = mmap(0, size, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) plat_die("cannot map capability table");
	return p;
}

void plat_cap_init(void)
{
	if (caps) return;
	caps     = zalloc_pages(sizeof(*caps) * CAP_MAX);
	eps      = zalloc_pages(sizeof(*eps) * EP_MAX);
	inohash_init(&cap_hash, 16, cap_key);
	inohash_init(&ep_hash, 13, ep_key);
}

uint64_t plat_fd_ino(int fd)
{
	struct stat st;
	if (fstat(fd, &st) < 0) return 0;
	return (uint64_t)st.st_ino ^ ((uint64_t)st.st_dev << 48);
}

static uint32_t make_id(uint32_t idx) { return ((uint32_t)caps[idx].gen << 16) | idx; }

static struct cap_slot *slot_of(cairn_cap c, uint32_t *idx)
{
	uint32_t i = c.id & 0xffff;
	if (!c.id || i == 0 || i >= CAP_MAX || !caps) return 0;
	if (!caps[i].refs || caps[i].gen != (c.id >> 16)) return 0;
	if (idx) *idx = i;
	return &caps[i];
}

/* an entrypoint's slot; takes `fd` over if `own`, else duplicates it when the slot is new */
static int ep_install_locked(int fd, uint64_t ino, bool own)
{
	uint32_t known = inohash_find(&ep_hash, ino);
	if (known) {
		if (own && eps[known].fd != fd) close(fd);
		eps[known].refs++;
		return (int)known;
	}
	if (!own && (fd = fcntl(fd, F_DUPFD_CLOEXEC, PLAT_FD_FIRST_FREE)) < 0) return -1;
	for (uint32_t n = 1; n < EP_MAX; n++) {
		uint32_t i = (ep_free_hint + n - 1) % (EP_MAX - 1) + 1;
		if (!eps[i].refs) {
			eps[i] = (struct ep_slot){ .fd = fd, .ino = ino, .refs = 1 };
			ep_free_hint = i + 1;
			inohash_insert(&ep_hash, i);
			return (int)i;
		}
	}
	close(fd);
	return -1;
}

static void ep_release_locked(int i)
{
	if (i <= 0 || !eps[i].refs) return;
	if (--eps[i].refs == 0) {
		inohash_remove(&ep_hash, (uint32_t)i);
		close(eps[i].fd);
		eps[i].fd = -1;
	}
}

/*
 * The table entry of an object descriptor (taken over) with inode `ino`.
 * The entrypoint descriptor is taken over if `own_ep`; its inode is looked
 * up only when the object is new here.
 */
static cairn_cap install(int obj_fd, uint64_t ino, int ep_fd, uint64_t ep_ino, bool own_ep)
{
	pthread_mutex_lock(&lock);
	uint32_t i = inohash_find(&cap_hash, ino);
	if (i) {
		caps[i].refs++;
		pthread_mutex_unlock(&lock);
		close(obj_fd);
		/* the entrypoint descriptor is known through the entry already */
		if (own_ep && ep_fd != eps[caps[i].ep].fd) close(ep_fd);
		return (cairn_cap){ make_id(i) };
	}
	int ep = ep_install_locked(ep_fd, ep_ino ? ep_ino : plat_fd_ino(ep_fd), own_ep);
	if (ep < 0) { pthread_mutex_unlock(&lock); close(obj_fd); return CAIRN_CAP_INVALID; }
	for (uint32_t n = 1; n < CAP_MAX; n++) {
		i = (cap_free_hint + n - 1) % (CAP_MAX - 1) + 1;
		if (caps[i].refs) continue;
		caps[i].obj_fd = obj_fd;
		caps[i].ep     = ep;
		caps[i].ino    = ino;
		caps[i].refs   = 1;
		caps[i].gen    = (uint16_t)(caps[i].gen + 1) ? (uint16_t)(caps[i].gen + 1) : 1;
		cap_free_hint  = i + 1;
		inohash_insert(&cap_hash, i);
		pthread_mutex_unlock(&lock);
		return (cairn_cap){ make_id(i) };
	}
	ep_release_locked(ep);
	pthread_mutex_unlock(&lock);
	close(obj_fd);
	return CAIRN_CAP_INVALID;
}

cairn_cap plat_cap_install(int obj_fd, int ep_fd)
{
	if (obj_fd < 0 || ep_fd < 0) {
		if (obj_fd >= 0) close(obj_fd);
		if (ep_fd >= 0) close(ep_fd);
		return CAIRN_CAP_INVALID;
	}
	return install(obj_fd, plat_fd_ino(obj_fd), ep_fd, 0, true);
}

cairn_cap plat_cap_install_local(int obj_fd, uint64_t obj_ino, int ep_fd, uint64_t ep_ino)
{
	return install(obj_fd, obj_ino, ep_fd, ep_ino, false);
}

bool plat_cap_fds(cairn_cap c, int *obj_fd, int *ep_fd)
{
	pthread_mutex_lock(&lock);
	struct cap_slot *s = slot_of(c, 0);
	if (s) { *obj_fd = s->obj_fd; *ep_fd = eps[s->ep].fd; }
	pthread_mutex_unlock(&lock);
	return s != 0;
}

uint64_t plat_cap_ep_ino(cairn_cap c)
{
	pthread_mutex_lock(&lock);
	struct cap_slot *s = slot_of(c, 0);
	uint64_t ino = s ? eps[s->ep].ino : 0;
	pthread_mutex_unlock(&lock);
	return ino;
}

int plat_cap_ep_index(cairn_cap c)
{
	pthread_mutex_lock(&lock);
	struct cap_slot *s = slot_of(c, 0);
	int ep = s ? s->ep : -1;
	pthread_mutex_unlock(&lock);
	return ep;
}

uint64_t plat_cap_ino(cairn_cap c)
{
	pthread_mutex_lock(&lock);
	struct cap_slot *s = slot_of(c, 0);
	uint64_t ino = s ? s->ino : 0;
	pthread_mutex_unlock(&lock);
	return ino;
}

/* a channel to the entrypoint keeps its slot (and descriptor) alive */
void plat_ep_ref(int ep)
{
	pthread_mutex_lock(&lock);
	if (ep > 0 && ep < EP_MAX && eps[ep].refs) eps[ep].refs++;
	pthread_mutex_unlock(&lock);
}

void plat_ep_unref(int ep)
{
	pthread_mutex_lock(&lock);
	if (ep > 0 && ep < EP_MAX) ep_release_locked(ep);
	pthread_mutex_unlock(&lock);
}

int plat_ep_fd(int ep)
{
	pthread_mutex_lock(&lock);
	int fd = (ep > 0 && ep < EP_MAX && eps[ep].refs) ? eps[ep].fd : -1;
	pthread_mutex_unlock(&lock);
	return fd;
}

bool cairn_cap_same(cairn_cap a, cairn_cap b)
{
	if (!cairn_cap_valid(a) || !cairn_cap_valid(b)) return false;
	if (a.id == b.id) return slot_of(a, 0) != 0;
	uint64_t x = plat_cap_ino(a), y = plat_cap_ino(b);
	return x && x == y;
}

bool cairn_cap_same_server(cairn_cap a, cairn_cap b)
{
	uint64_t x = plat_cap_ep_ino(a), y = plat_cap_ep_ino(b);
	return x && x == y;
}

cairn_cap cairn_cap_ref(cairn_cap c)
{
	pthread_mutex_lock(&lock);
	struct cap_slot *s = slot_of(c, 0);
	if (s) s->refs++;
	pthread_mutex_unlock(&lock);
	return s ? c : CAIRN_CAP_INVALID;
}

void cairn_cap_release(cairn_cap c)
{
	uint32_t i;
	pthread_mutex_lock(&lock);
	struct cap_slot *s = slot_of(c, &i);
	if (s && --s->refs == 0) {
		inohash_remove(&cap_hash, i);
		close(s->obj_fd);
		s->obj_fd = -1;
		ep_release_locked(s->ep);
	}
	pthread_mutex_unlock(&lock);
}
