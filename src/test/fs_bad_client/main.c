/* main.c - a malicious File_system client: malformed packets, bad ranges, foreign handles, bad RPCs */

#include <base/env.h>
#include <base/log.h>
#include <base/parent.h>
#include <session/file_system/file_system.h>

#include <stdio.h>
#include <string.h>

/*
 * Talks to a vfs server the way a well-behaved client never would, by
 * writing descriptors and queue indices of the packet stream directly
 * and by sending malformed requests. Every attack must end in an error
 * for this client only: refused packets come back with length 0, bad
 * requests with an error code, and the session keeps working (checked
 * after each attack with a normal read). A concurrently running normal
 * client (run/vfs_bad_client.run) checks that the server and others carry
 * on. Logs one line per attack; exit value = number of unexpected results.
 */
static cairn_env      *env;
static cairn_fs        fs;
static unsigned        unexpected;
static cairn_fs_handle file;    /* /bad/data, "0123456789" */

static void report(const char *what, bool ok, const char *result)
{
	cairn_log("%s: %s", what, result);
	if (!ok) { cairn_error("%s: unexpected", what); unexpected++; }
}

static void expect_rpc(const char *what, int r, int want)
{
	report(what, r == want, cairn_fs_err_str(r));
}

/* submit a raw descriptor and wait for its ack */
static struct cairn_fs_packet raw_packet(struct cairn_fs_packet p)
{
	struct cairn_fs_packet ack = { 0 };
	if (cairn_ps_tx_submit(&fs.tx, &p) != CAIRN_OK || cairn_ps_tx_get_acked(&fs.tx, &ack) != CAIRN_OK)
		cairn_fatal("packet stream broken");
	return ack;
}

static void expect_refused(const char *what, struct cairn_fs_packet p)
{
	struct cairn_fs_packet a = raw_packet(p);
	char res[64];
	snprintf(res, sizeof(res), "acked with length %llu, succeeded %u", (unsigned long long)a.length, a.succeeded);
	report(what, a.length == 0 && !a.succeeded, res);
}

/* the session still works: a normal read of the test file */
static void still_works(void)
{
	char buf[16];
	size_t n;
	int r = cairn_fs_read(&fs, file, 0, buf, 10, &n);
	if (r != CAIRN_OK || n != 10 || memcmp(buf, "0123456789", 10)) {
		cairn_error("the session stopped working");
		unexpected++;
	}
}

static struct cairn_fs_packet valid(uint32_t handle, uint32_t op, uint64_t pos, uint64_t len)
{
	struct cairn_fs_packet p = { .handle = handle, .opcode = op, .position = pos, .length = len };
	if (ps_source_alloc(&fs.tx.source, len, 3, &p.base) != PS_OK) cairn_fatal("alloc");
	return p;
}

static void packets(void)
{
	struct ps_layout *l = &fs.tx.source.l;
	struct cairn_fs_packet p;

	p = valid(4711, CAIRN_FS_PACKET_READ, 0, 10);
	expect_refused("read with handle 4711", p);
	(void)ps_source_release(&fs.tx.source, &p.base);
	still_works();

	p = valid(file, CAIRN_FS_PACKET_READ, 0, 10);
	p.base.offset = 0;   /* the submit queue itself */
	expect_refused("payload at offset 0 (the queues)", p);
	p.base.offset = l->bulk_off + l->bulk_size - 4;
	expect_refused("payload reaching past the buffer", p);
	p.base.offset = UINT64_MAX - 4;
	expect_refused("payload offset wrapping around", p);
	p.base = (struct ps_desc){ l->bulk_off, UINT64_MAX };
	expect_refused("payload of 2^64-1 bytes", p);
	still_works();

	p = valid(file, 77, 0, 10);
	expect_refused("opcode 77", p);
	(void)ps_source_release(&fs.tx.source, &p.base);

	p = valid(file, CAIRN_FS_PACKET_READ, 1ull << 62, 10);
	expect_refused("read at position 2^62", p);
	(void)ps_source_release(&fs.tx.source, &p.base);

	p = valid(file, CAIRN_FS_PACKET_WRITE, 1ull << 62, 10);
	expect_refused("write at position 2^62", p);
	(void)ps_source_release(&fs.tx.source, &p.base);

	cairn_fs_handle dir;
	if (cairn_fs_dir(&fs, "/bad", false, &dir) != CAIRN_OK) cairn_fatal("dir");
	p = valid(dir, CAIRN_FS_PACKET_WRITE, 0, 10);
	expect_refused("write to a directory handle", p);
	(void)ps_source_release(&fs.tx.source, &p.base);
	p = valid(dir, CAIRN_FS_PACKET_READ, 7, 300);
	expect_refused("directory read at an unaligned position", p);
	(void)ps_source_release(&fs.tx.source, &p.base);
	(void)cairn_fs_close(&fs, dir);

	/* a length beyond the payload is clamped to the payload */
	p = valid(file, CAIRN_FS_PACKET_READ, 0, 4);
	p.length = 1 << 20;
	struct cairn_fs_packet a = raw_packet(p);
	report("read with length 1M in a 4-byte payload", a.length == 4, a.length == 4 ? "clamped to 4" : "not clamped");
	(void)ps_source_release(&fs.tx.source, &p.base);
	still_works();
}

static void queues(void)
{
	/*
	 * Twice the queue: the server fills the ack queue with the first
	 * batch while we do not take acks, then must leave the second batch
	 * queued instead of waiting for us, and resume when we drain.
	 */
	enum { BATCH = CAIRN_FS_QUEUE_SIZE - 1 };
	struct cairn_fs_packet p = valid(file, CAIRN_FS_PACKET_READ, 0, 10), a;
	unsigned submitted = 0, acked = 0;
	while (submitted < 2 * BATCH && cairn_ps_tx_submit(&fs.tx, &p) == CAIRN_OK) submitted++;
	while (acked < submitted && cairn_ps_tx_get_acked(&fs.tx, &a) == CAIRN_OK && a.length == 10) acked++;
	(void)ps_source_release(&fs.tx.source, &p.base);
	report("30 packets queued while no ack is taken, then drained", acked == 2 * BATCH, "all 30 acked");
	still_works();

	/* a corrupted queue index: the server ignores the queue until it is sane again */
	struct ps_queue *q = &fs.tx.source.submit;
	atomic_store(&q->hdr->head, 0xdeadbeef);
	cairn_signal_submit(fs.tx.packet_avail, 1);
	atomic_store(&q->hdr->head, q->own);
	still_works();
	report("submit queue head set to 0xdeadbeef, then restored", true, "session works again");
}

static void rpcs(void)
{
	cairn_msg m;
	cairn_msg_init(&m, 99);
	expect_rpc("RPC opcode 99", cairn_rpc_call(fs.session, &m, &m), CAIRN_ERR_OPCODE);

	cairn_msg_init(&m, CAIRN_FS_FILE);   /* no arguments at all */
	expect_rpc("FILE without arguments", cairn_rpc_call(fs.session, &m, &m), CAIRN_FS_ERR_INVALID_HANDLE);

	cairn_msg_init(&m, CAIRN_FS_DIR);    /* a string whose length prefix lies */
	cairn_msg_put_u32(&m, 100000);
	cairn_msg_put(&m, "/bad", 4);
	expect_rpc("DIR with a lying string length", cairn_rpc_call(fs.session, &m, &m), CAIRN_FS_ERR_NAME_TOO_LONG);

	cairn_msg_init(&m, CAIRN_FS_DIR);    /* a NUL inside the path */
	cairn_msg_put_u32(&m, 6);
	cairn_msg_put(&m, "/b\0ad", 6);
	cairn_msg_put_u32(&m, 0);
	int r = cairn_rpc_call(fs.session, &m, &m);
	report("DIR with a NUL inside the path", r != CAIRN_OK, cairn_fs_err_str(r));

	cairn_fs_handle h;
	expect_rpc("FILE in handle 0xffffffff", cairn_fs_file(&fs, CAIRN_FS_INVALID_HANDLE, "x", 1, false, &h),
	           CAIRN_FS_ERR_INVALID_HANDLE);
	expect_rpc("TRUNCATE of handle 200", cairn_fs_truncate(&fs, 200, 0), CAIRN_FS_ERR_INVALID_HANDLE);
	expect_rpc("MOVE with handle 1000", cairn_fs_move(&fs, 1000, "a", 1000, "b"), CAIRN_FS_ERR_INVALID_HANDLE);
	expect_rpc("CLOSE of handle 3000000", cairn_fs_close(&fs, 3000000), CAIRN_OK);
	expect_rpc("SIGH with our own session capability", cairn_fs_sigh(&fs, file, fs.session), CAIRN_OK);
	expect_rpc("TRUNCATE of a read-only handle", cairn_fs_truncate(&fs, file, 0), CAIRN_FS_ERR_PERMISSION_DENIED);
	still_works();
}

static void foreign_handles(void)
{
	/* a second session's handle means nothing in the first, and vice versa */
	cairn_fs other;
	if (cairn_fs_connect(&other, env, "other", 0, true, 4096) != CAIRN_OK) cairn_fatal("second session");
	cairn_fs_handle d, mine, pad[3];
	for (unsigned i = 0; i < 3; i++)   /* so that its handle numbers differ from ours */
		if (cairn_fs_node(&other, "/", &pad[i]) != CAIRN_OK) cairn_fatal("node");
	if (cairn_fs_dir(&other, "/bad", false, &d) != CAIRN_OK ||
	    cairn_fs_file(&other, d, "other", CAIRN_FS_READ_WRITE, true, &mine) != CAIRN_OK)
		cairn_fatal("second session's file");
	/* the first session has only `file` open: the other's handle numbers are unknown or its own */
	struct cairn_fs_status st;
	int r = cairn_fs_status(&fs, mine, &st);
	report("STATUS of the other session's handle", mine == file ? r == CAIRN_OK : r == CAIRN_FS_ERR_INVALID_HANDLE,
	       mine == file ? "names our own node" : cairn_fs_err_str(r));
	struct cairn_fs_packet p = valid(d, CAIRN_FS_PACKET_READ, 0, sizeof(struct cairn_fs_dirent));
	expect_refused("packet with the other session's directory handle", p);
	(void)ps_source_release(&fs.tx.source, &p.base);
	cairn_fs_disconnect(&other);
}

void cairn_component_construct(cairn_env *e)
{
	env = e;
	int r = cairn_fs_connect(&fs, env, "", 0, true, 4096);
	if (r != CAIRN_OK) cairn_fatal("connect: %s", cairn_fs_err_str(r));
	cairn_fs_handle d, w;
	size_t n;
	if (cairn_fs_dir(&fs, "/bad", true, &d) != CAIRN_OK ||
	    cairn_fs_file(&fs, d, "data", CAIRN_FS_WRITE_ONLY, true, &w) != CAIRN_OK ||
	    cairn_fs_write(&fs, w, 0, "0123456789", 10, &n) != CAIRN_OK)
		cairn_fatal("cannot set up /bad/data");
	(void)cairn_fs_close(&fs, w);
	if (cairn_fs_file(&fs, d, "data", CAIRN_FS_READ_ONLY, false, &file) != CAIRN_OK) cairn_fatal("open /bad/data");
	(void)cairn_fs_close(&fs, d);

	cairn_log("--- bad client ---");
	packets();
	queues();
	rpcs();
	foreign_handles();
	cairn_log("--- bad client done (%u unexpected) ---", unexpected);

	/* leave with packets in flight and the session open: the server cleans up */
	struct cairn_fs_packet p = valid(file, CAIRN_FS_PACKET_READ, 0, 10);
	if (cairn_ps_tx_submit(&fs.tx, &p) != CAIRN_OK) unexpected++;
	cairn_env_exit(env, unexpected ? 1 : 0);
}
