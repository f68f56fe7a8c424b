/* report_session.c - Report sessions of servers: shared buffer, checked submits */

#include <base/entrypoint.h>
#include <base/heap.h>
#include <base/log.h>
#include <rom/server.h>
#include <session/report/report.h>
#include <util/args.h>
#include <util/xml.h>

#include <string.h>

enum { BUFFER_SIZE_MAX = 64 * 1024 * 1024 };

static int submit(report_session *s, cairn_msg *req)
{
	uint64_t len = cairn_msg_get_u64(req);
	if (req->err)
		return CAIRN_ERR_MSG;
	if (len > s->buffer_size) {
		cairn_warning("report '%s': %llu bytes exceed the buffer of %zu bytes", s->label,
		              (unsigned long long)len, s->buffer_size);
		return CAIRN_ERR_INVALID_ARGS;
	}
	/* look only at our own copy: the client may scribble on the buffer meanwhile */
	memcpy(s->stage.addr, s->shared.addr, len);
	s->stage.addr[len] = 0;
	len = strlen(s->stage.addr);
	if (len) {
		struct xml_node node;
		struct xml_parse_result pr = xml_parse(s->stage.addr, len, &node);
		if (pr.error) {
			cairn_warning("report '%s' is not well-formed XML (%s at byte %zu), dropped",
			              s->label, xml_error_str(pr.error), pr.offset);
			return CAIRN_REPORT_ERR_MALFORMED;
		}
	}
	return s->submit(s, s->stage.addr, len);
}

static int report_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	report_session *s = obj->data;
	int r = CAIRN_OK;
	switch (req->code) {
	case CAIRN_REPORT_DATASPACE:
		cairn_msg_put_cap(reply, s->shared.ds);
		break;
	case CAIRN_REPORT_SUBMIT:
		r = submit(s, req);
		break;
	case CAIRN_REPORT_RESPONSE_SIGH: {
		cairn_cap cap = cairn_msg_get_cap(req);
		if (req->err) { r = CAIRN_ERR_MSG; break; }
		if (cairn_cap_valid(s->response_sigh))
			cairn_cap_release(s->response_sigh);
		s->response_sigh = cap;
		break;
	}
	case CAIRN_REPORT_OBTAIN_RESPONSES:
		cairn_msg_put_u64(reply, 0);
		break;
	default:
		r = CAIRN_ERR_OPCODE;
	}
	reply->code = r;
	return CAIRN_RPC_REPLY;
}

static void free_bufs(report_session *s)
{
	rom_buf_free(&s->shared, s->env);
	rom_buf_free(&s->content, s->env);
	rom_buf_free(&s->stage, s->env);
}

int report_session_init(report_session *s, cairn_env *env, cairn_heap *heap,
                        const char *args, const char *label,
                        report_submit_fn fn, void *data)
{
	size_t quota = args_size(args, "ram_quota", 0);
	size_t bs    = args_size(args, "buffer_size", 0);

	memset(s, 0, sizeof(*s));
	s->env    = env;
	s->heap   = heap;
	s->submit = fn;
	s->data   = data;
	(void)str_copy(s->label, sizeof(s->label), str_z(label));

	if (!bs) {
		cairn_error("zero-length report requested by %s", label);
		return CAIRN_ERR_DENIED;
	}
	if (bs > BUFFER_SIZE_MAX) {
		cairn_error("report buffer of %zu bytes requested by %s is too large", bs, label);
		return CAIRN_ERR_DENIED;
	}
	s->buffer_size = bs;
	s->budget = quota > ROM_SERVER_ROOT_SHARE ? quota - ROM_SERVER_ROOT_SHARE : 0;
	size_t bufs = cairn_report_page(bs) + 2 * cairn_report_page(bs + 1);
	if (quota < cairn_report_ram(bs) || cairn_heap_consumed(heap) + bufs > s->budget) {
		cairn_error("insufficient ram donation from %s", label);
		return CAIRN_ERR_QUOTA;
	}
	int r = rom_buf_alloc(&s->shared, env, bs);
	if (r == CAIRN_OK) r = rom_buf_alloc(&s->content, env, bs + 1);
	if (r == CAIRN_OK) r = rom_buf_alloc(&s->stage, env, bs + 1);
	if (r != CAIRN_OK) {
		cairn_error("no report buffers of %zu bytes for %s (%s)", bs, label, cairn_err_str(r));
		free_bufs(s);
		return r == CAIRN_ERR_QUOTA ? CAIRN_ERR_QUOTA : CAIRN_ERR_NO_MEMORY;
	}
	s->obj = (cairn_rpc_obj){ .dispatch = report_dispatch, .data = s };
	if (!cairn_cap_valid(cairn_ep_manage(env->ep, &s->obj))) {
		free_bufs(s);
		return CAIRN_ERR_NO_MEMORY;
	}
	return CAIRN_OK;
}

void report_session_fini(report_session *s)
{
	cairn_ep_dissolve(s->env->ep, &s->obj);
	free_bufs(s);
	if (cairn_cap_valid(s->response_sigh))
		cairn_cap_release(s->response_sigh);
	s->response_sigh = CAIRN_CAP_INVALID;
	s->content_len = 0;
}

void report_session_upgrade(report_session *s, size_t ram_quota)
{
	s->budget += ram_quota;
}

void report_session_commit(report_session *s)
{
	struct rom_buf t = s->content;
	s->content     = s->stage;
	s->stage       = t;
	s->content_len = strlen(s->content.addr);
}

void report_session_clear(report_session *s)
{
	s->content_len = 0;
	if (s->content.size)
		s->content.addr[0] = 0;
}
