/* services.c - core's local services: PD, ROM, LOG, CPU sessions */

#include "core.h"

#include <base/log.h>
#include <session/log/log.h>
#include <session/rom/rom.h>
#include <util/args.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * Each session keeps the quota its client donated (returned on close). A
 * PD session's donation, minus core's metadata, becomes the new PD's
 * quota. Labels arrive prefixed by the requesting child's name already.
 */
enum { PD_META = 8192, META = 4096 };
enum svc { SVC_PD, SVC_ROM, SVC_LOG, SVC_CPU };

struct session {
	cairn_rpc_obj   obj;        /* ROM, LOG, CPU: the session object */
	enum svc        type;
	struct core_pd *client;
	size_t          donated;
	char            label[160];
	struct core_pd *pd;         /* PD session */
	struct core_ds *rom;        /* ROM session */
	cairn_cap       sigh;
	unsigned        threads;    /* CPU session */
	struct session *next;
};

static struct session *sessions;

/*
 * What reaches the terminal must not let a component forge lines of
 * others: control characters become '?', except tab and the colour
 * sequences of the log API (ESC [ digits/';' m) in the text.
 */
static size_t sanitize(char *dst, size_t cap, const char *s, size_t n, bool colours)
{
	size_t o = 0;
	for (size_t i = 0; i < n && o + 1 < cap; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0x1b && colours && i + 1 < n && s[i + 1] == '[') {
			size_t j = i + 2;
			while (j < n && ((s[j] >= '0' && s[j] <= '9') || s[j] == ';')) j++;
			if (j < n && s[j] == 'm' && o + (j - i + 1) < cap) {
				memcpy(dst + o, s + i, j - i + 1);
				o += j - i + 1;
				i = j;
				continue;
			}
		}
		dst[o++] = (c < 0x20 && c != '\t') || c == 0x7f ? '?' : (char)c;
	}
	dst[o] = 0;
	return o;
}

static void print_line(const char *label, const char *s, size_t n)
{
	char l[200], t[CAIRN_LOG_MAX + 1], buf[CAIRN_LOG_MAX + 210];
	sanitize(l, sizeof(l), label, strlen(label), false);
	sanitize(t, sizeof(t), s, n, true);
	int len = snprintf(buf, sizeof(buf), "[%s] %s\n", l, t);
	if (len > 0) core_plat_log(buf, (size_t)len < sizeof(buf) ? (size_t)len : sizeof(buf) - 1);
}

static int log_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	struct session *s = obj->data;
	if (req->code != CAIRN_LOG_WRITE) { reply->code = CAIRN_ERR_OPCODE; return CAIRN_RPC_REPLY; }
	uint32_t n = cairn_msg_get_u32(req);
	const char *p = cairn_msg_get_ptr(req, n);
	if (!p || n > CAIRN_LOG_MAX) { reply->code = CAIRN_ERR_MSG; return CAIRN_RPC_REPLY; }
	/* one output line per line of the text, a trailing fragment included */
	for (uint32_t i = 0; i < n;) {
		uint32_t j = i;
		while (j < n && p[j] != '\n' && p[j]) j++;
		print_line(s->label, p + i, j - i);
		i = j + 1;
	}
	cairn_msg_put_u32(reply, n);
	return CAIRN_RPC_REPLY;
}

static int rom_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	struct session *s = obj->data;
	switch (req->code) {
	case CAIRN_ROM_DATASPACE: cairn_msg_put_cap(reply, s->rom->obj.cap); break;
	case CAIRN_ROM_SIGH:      /* boot modules never change */
		cairn_cap_release(cairn_msg_get_cap(req));
		break;
	case CAIRN_ROM_UPDATE:    cairn_msg_put_u32(reply, 0); break;
	default:                  reply->code = CAIRN_ERR_OPCODE;
	}
	return CAIRN_RPC_REPLY;
}

static int cpu_dispatch(cairn_rpc_obj *obj, cairn_msg *req, cairn_msg *reply)
{
	struct session *s = obj->data;
	if (req->code == 1) { s->threads++; return CAIRN_RPC_REPLY; }
	if (req->code == 2) { if (s->threads) s->threads--; return CAIRN_RPC_REPLY; }
	reply->code = CAIRN_ERR_OPCODE;
	return CAIRN_RPC_REPLY;
}

static const char *last_element(const char *label)
{
	const char *l = label, *p;
	while ((p = strstr(l, " -> "))) l = p + 4;
	return l;
}

static cairn_cap session_cap(struct session *s)
{
	return s->type == SVC_PD ? s->pd->obj.cap : s->obj.cap;
}

int core_session(struct core_pd *client, const char *service, const char *args, cairn_cap *out)
{
	static const struct { const char *name; enum svc type; size_t min; } svcs[] = {
		{ "PD", SVC_PD, PD_META }, { "RAM", SVC_PD, PD_META },
		{ "ROM", SVC_ROM, META }, { "LOG", SVC_LOG, META }, { "CPU", SVC_CPU, META },
	};
	int k = -1;
	for (unsigned i = 0; i < sizeof(svcs) / sizeof(svcs[0]); i++)
		if (!strcmp(service, svcs[i].name)) k = (int)i;
	if (k < 0) return CAIRN_ERR_DENIED;

	size_t quota = args_size(args, "ram_quota", 0);
	if (quota < svcs[k].min) {
		cairn_error("%s: insufficient ram quota for %s session, provided=%zu, required=%zu",
		            client->label, service, quota, svcs[k].min);
		return CAIRN_ERR_QUOTA;
	}
	if (client->quota - client->used < quota) return CAIRN_ERR_QUOTA;

	struct session *s = cairn_heap_calloc(core.heap, 1, sizeof(*s));
	if (!s) return CAIRN_ERR_NO_MEMORY;
	s->type    = svcs[k].type;
	s->client  = client;
	s->donated = quota;
	(void)args_string(args, "label", s->label, sizeof(s->label), "");
	s->obj.data = s;

	int r = CAIRN_OK;
	switch (s->type) {
	case SVC_PD:
		s->pd = core_pd_create(s->label, quota - PD_META);
		if (!s->pd) r = CAIRN_ERR_NO_MEMORY;
		break;
	case SVC_ROM: {
		const char *name = last_element(s->label);
		if (!name[0] || strchr(name, '/') || !strcmp(name, "..") || !strcmp(name, ".")
		    || !(s->rom = core_ds_rom(name))) {
			r = CAIRN_ERR_DENIED;
			break;
		}
		s->obj.dispatch = rom_dispatch;
		break;
	}
	case SVC_LOG: s->obj.dispatch = log_dispatch; break;
	case SVC_CPU: s->obj.dispatch = cpu_dispatch; break;
	}
	if (r == CAIRN_OK && s->type != SVC_PD && !cairn_cap_valid(cairn_ep_manage(core.ep, &s->obj)))
		r = CAIRN_ERR_NO_MEMORY;
	if (r != CAIRN_OK) {
		if (s->rom) core_ds_destroy(s->rom);
		cairn_heap_free(core.heap, s);
		return r;
	}
	client->quota -= quota;
	s->next  = sessions;
	sessions = s;
	*out = session_cap(s);
	return CAIRN_OK;
}

static struct session *find(struct core_pd *client, cairn_cap cap, struct session ***link)
{
	cairn_rpc_obj *o = cairn_ep_lookup(core.ep, cap);
	if (!o) return 0;
	for (struct session **p = &sessions; *p; p = &(*p)->next) {
		struct session *s = *p;
		bool match = s->type == SVC_PD ? &s->pd->obj == o : &s->obj == o;
		if (match && s->client == client) { if (link) *link = p; return s; }
	}
	return 0;
}

int core_session_upgrade(struct core_pd *client, cairn_cap cap, size_t amount)
{
	struct session *s = find(client, cap, 0);
	if (!s) return CAIRN_ERR_INVALID_ARGS;
	if (client->quota - client->used < amount) return CAIRN_ERR_QUOTA;
	client->quota -= amount;
	s->donated    += amount;
	if (s->type == SVC_PD) s->pd->quota += amount;
	return CAIRN_OK;
}

int core_session_close(struct core_pd *client, cairn_cap cap)
{
	struct session **link;
	struct session *s = find(client, cap, &link);
	if (!s) return CAIRN_ERR_INVALID_ARGS;
	*link = s->next;
	size_t back = s->donated;
	if (s->type == SVC_PD) {
		/* whatever the PD holds now returns, transfers included */
		back = s->pd->quota + PD_META;
		core_pd_destroy(s->pd);
	} else {
		cairn_ep_dissolve(core.ep, &s->obj);
		if (s->rom) core_ds_destroy(s->rom);
		cairn_cap_release(s->sigh);
	}
	client->quota += back;
	cairn_heap_free(core.heap, s);
	return CAIRN_OK;
}
