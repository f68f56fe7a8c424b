/* main.c - test component that does what its config says, step by step */

#include <base/env.h>
#include <base/log.h>
#include <base/parent.h>
#include <base/root.h>
#include <session/log/log.h>
#include <session/rom/rom.h>
#include <util/xml.h>

#include <stdio.h>
#include <string.h>

/*
 * Config: a sequence of steps, executed in document order:
 *   <log string="text"/>                 print text
 *   <log_service/>                       provide a LOG service
 *   <create_log_connections count="N" ram_quota="8K" label="l" string="s"/>
 *                                        open N LOG sessions (and write s)
 *   <alloc_ram size="1M"/>               allocate from the heap
 *   <crash/>                             dereference a null pointer
 *   <exit code="N"/>                     exit with value N
 * After the last step the component stays idle, serving its services.
 */

static cairn_env *env;

/* ------------------------------------------------------------ LOG service */

struct log_session {
	cairn_rpc_obj obj;
	char          label[160];
};

static int log_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	struct log_session *s = obj->data;
	char text[CAIRN_LOG_MAX];
	if (req->code != CAIRN_LOG_WRITE) { reply->code = CAIRN_ERR_OPCODE; return CAIRN_RPC_REPLY; }
	if (!cairn_msg_get_str(req, text, sizeof(text))) { reply->code = CAIRN_ERR_MSG; return CAIRN_RPC_REPLY; }
	size_t n = strlen(text);
	while (n && text[n - 1] == '\n') text[--n] = 0;
	cairn_log("[%s] %s", s->label, text);
	cairn_msg_put_u32(reply, (uint32_t)n);
	return CAIRN_RPC_REPLY;
}

static int log_create(cairn_root *root, const char *args, const char *label,
                      cairn_heap *heap, cairn_rpc_obj **obj)
{
	int err;
	struct log_session *s = cairn_root_session_alloc(root, heap, sizeof(*s), log_dispatch, &err);
	if (!s) return err;
	snprintf(s->label, sizeof(s->label), "%s", label);
	*obj = &s->obj;
	return CAIRN_OK;
}

static const cairn_root_ops log_ops = {
	.session_size = sizeof(struct log_session),
	.create       = log_create,
};

static cairn_root log_root;

/* ------------------------------------------------------------ steps */

static void create_log_connections(const struct xml_node *n)
{
	unsigned long count = xml_attr_ulong(n, "count", 1);
	size_t quota = xml_attr_size(n, "ram_quota", CAIRN_LOG_RAM);
	char label[64], text[256];
	xml_attr_string(n, "label", label, sizeof(label), "");
	xml_attr_string(n, "string", text, sizeof(text), "");
	for (unsigned long i = 0; i < count; i++) {
		cairn_cap log;
		int r = cairn_session(env, "LOG", &log, "ram_quota=%zu, label=\"%s\"", quota, label);
		if (r != CAIRN_OK) {
			cairn_log("LOG connection %lu failed: %s", i + 1, cairn_err_str(r));
			return;
		}
		if (text[0]) {
			r = cairn_log_write(log, text);
			if (r < 0) cairn_log("LOG write failed: %s", cairn_err_str(r));
		}
	}
	cairn_log("created %lu LOG connection%s", count, count == 1 ? "" : "s");
}

static void step(const struct xml_node *n)
{
	char buf[512];
	if (xml_has_type(n, "log")) {
		xml_attr_string(n, "string", buf, sizeof(buf), "");
		cairn_log("%s", buf);
	} else if (xml_has_type(n, "exit")) {
		cairn_env_exit(env, (int)xml_attr_long(n, "code", 0));
	} else if (xml_has_type(n, "crash")) {
		cairn_log("going to crash");
		*(volatile int *)0 = 1;
	} else if (xml_has_type(n, "log_service")) {
		int r = cairn_root_announce(&log_root, env, "LOG", &log_ops, 0);
		if (r != CAIRN_OK) cairn_error("could not announce LOG service: %s", cairn_err_str(r));
	} else if (xml_has_type(n, "create_log_connections")) {
		create_log_connections(n);
	} else if (xml_has_type(n, "alloc_ram")) {
		size_t size = xml_attr_size(n, "size", 0);
		void *p = cairn_heap_alloc(env->heap, size);
		if (p) { memset(p, 1, size); cairn_log("allocated %zu bytes", size); }
		else cairn_log("allocation of %zu bytes failed", size);
	}
}

void cairn_component_construct(cairn_env *e)
{
	env = e;
	cairn_attached_rom config;
	if (cairn_attached_rom_open(&config, env, "config") != CAIRN_OK) {
		cairn_error("no config");
		return;
	}
	struct xml_node root, n;
	struct xml_parse_result pr = xml_parse(config.data, strnlen(config.data, config.size), &root);
	if (pr.error) {
		cairn_error("config: %s at byte %zu", xml_error_str(pr.error), pr.offset);
		return;
	}
	struct xml_iter it;
	xml_iter_init(&it, &root, 0);
	while (xml_iter_next(&it, &n)) step(&n);
}
