/* rom_service.c - a server's ROM or Report service: root, list of sessions, upgrades */

#include <base/heap.h>
#include <base/root.h>
#include <rom/server.h>

/* the session kind is chosen by the content or submit function */
static bool is_rom(const rom_service *svc) { return svc->ops->content != 0; }

static int init(rom_service *svc, void *s, cairn_heap *heap, const char *args, const char *label)
{
	cairn_env *env = svc->root.env;
	if (is_rom(svc))
		return rom_session_init(s, env, heap, args, label, svc->ops->content, svc->data);
	return report_session_init(s, env, heap, args, label, svc->ops->submit, svc->data);
}

static void fini(rom_service *svc, void *s)
{
	if (is_rom(svc)) rom_session_fini(s);
	else             report_session_fini(s);
}

static void set_next(rom_service *svc, void *s, void *next)
{
	if (is_rom(svc)) ((rom_session *)s)->next = next;
	else             ((report_session *)s)->next = next;
}

void *rom_service_next(const rom_service *svc, const void *s)
{
	if (!s) return svc->sessions;
	return is_rom(svc) ? (void *)((const rom_session *)s)->next
	                   : (void *)((const report_session *)s)->next;
}

static void take_out(rom_service *svc, void *s)
{
	void *prev = 0;
	for (void *p = svc->sessions; p; prev = p, p = rom_service_next(svc, p)) {
		if (p != s) continue;
		if (prev) set_next(svc, prev, rom_service_next(svc, s));
		else      svc->sessions = rom_service_next(svc, s);
		return;
	}
}

static int create(cairn_root *root, const char *args, const char *label,
                  cairn_heap *heap, cairn_rpc_obj **obj)
{
	rom_service           *svc = root->data;
	const rom_service_ops *ops = svc->ops;

	void *s = cairn_heap_calloc(heap, 1, root->ops->session_size);
	if (!s) return CAIRN_ERR_QUOTA;
	int err = ops->open ? ops->open(svc, s, label) : CAIRN_OK;
	if (err == CAIRN_OK) {
		err = init(svc, s, heap, args, label);
		if (err != CAIRN_OK && ops->close)
			ops->close(svc, s);
	}
	if (err != CAIRN_OK) {
		cairn_heap_free(heap, s);
		return err;
	}
	set_next(svc, s, svc->sessions);
	svc->sessions = s;
	if (ops->opened)
		ops->opened(svc, s);
	*obj = is_rom(svc) ? &((rom_session *)s)->obj : &((report_session *)s)->obj;
	return CAIRN_OK;
}

static void upgrade(cairn_root *root, cairn_rpc_obj *obj, size_t ram_quota)
{
	if (is_rom(root->data)) rom_session_upgrade(obj->data, ram_quota);
	else                    report_session_upgrade(obj->data, ram_quota);
}

static void destroy(cairn_root *root, cairn_rpc_obj *obj)
{
	rom_service *svc = root->data;
	void        *s   = obj->data;   /* the session, which starts the server's struct */

	take_out(svc, s);
	fini(svc, s);
	if (svc->ops->close)
		svc->ops->close(svc, s);
	cairn_heap_free(cairn_root_session_heap(obj), s);
}

int rom_service_announce(rom_service *svc, cairn_env *env, const rom_service_ops *ops, void *data)
{
	size_t alone = ops->content ? sizeof(rom_session) : sizeof(report_session);

	svc->ops      = ops;
	svc->sessions = 0;
	svc->data     = data;
	svc->root_ops = (cairn_root_ops){
		.session_size = ops->session_size ? ops->session_size : alone,
		.create       = create,
		.upgrade      = upgrade,
		.destroy      = destroy,
	};
	return cairn_root_announce(&svc->root, env, ops->content ? "ROM" : "Report",
	                           &svc->root_ops, svc);
}

void rom_service_changed(rom_service *svc)
{
	for (rom_session *s = svc->sessions; s; s = s->next)
		rom_session_changed(s);
}
