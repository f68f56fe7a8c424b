/* main.c - clipboard: one report shared by many clients, subject to an information-flow policy */

#include <base/env.h>
#include <base/heap.h>
#include <base/log.h>
#include <base/root.h>
#include <rom/config.h>
#include <rom/server.h>
#include <util/policy.h>

#include <string.h>

/*
 * Every client, reporter or reader, belongs to the domain its <policy>
 * assigns (none without a policy). A report is accepted only from the
 * domain that nitpicker's "focus" report names, and only while that
 * domain was active recently (`active="yes"`), so that a subsystem can
 * fill the clipboard only right after the user worked with it. A reader
 * sees the content if it is of the writer's domain or a <flow> permits
 * the direction; otherwise it sees an empty module. Readers are signalled
 * only when what they see changes: a report that stays invisible to a
 * client does not reach it at all (15.11: limits the covert channel).
 *
 * The content lives in the session of its writer (paid by the writer),
 * as with report_rom: it vanishes, unsignalled, when that session closes.
 */
enum { DOMAIN_MAX = 64 };

struct writer {
	report_session session;   /* first: the object's data points here */
	char           domain[DOMAIN_MAX];
	bool           has_domain;
	struct writer *next;
};

struct reader {
	rom_session    session;   /* first, as above */
	char           domain[DOMAIN_MAX];
	bool           has_domain;
	struct reader *next;
};

static cairn_env         *env;
static cairn_config       config;
static cairn_watched_rom  focus;
static bool               focus_open;
static bool               verbose;
static cairn_root         report_root, rom_root;
static struct reader     *readers;
static struct writer     *writers;
static struct writer     *owner;            /* whose report is the content */
static char               owner_domain[DOMAIN_MAX];
static uint64_t           version = 1;      /* of the content; 0 means "empty" to readers */

/* ------------------------------------------------------------ policy */

static bool domain_of(const char *label, char *domain)
{
	struct xml_node cfg;
	(void)cairn_config_xml(&config, &cfg);
	struct policy_result p = policy_select(&cfg, str_z(label));
	if (p.kind == POLICY_NONE || !xml_has_attribute(&p.node, "domain"))
		return false;
	return xml_attr_string(&p.node, "domain", domain, DOMAIN_MAX, "") < DOMAIN_MAX;
}

static bool flow_defined(const char *from, const char *to)
{
	struct xml_node cfg, flow;
	struct xml_iter it;
	(void)cairn_config_xml(&config, &cfg);
	xml_iter_init(&it, &cfg, "flow");
	while (xml_iter_next(&it, &flow))
		if (xml_attr_equals(&flow, "from", from) && xml_attr_equals(&flow, "to", to))
			return true;
	return false;
}

static bool visible_to(const struct reader *r)
{
	if (!owner || !r->has_domain) return false;
	return !strcmp(owner_domain, r->domain) || flow_defined(owner_domain, r->domain);
}

/* nitpicker's focus report: <focus label="..." domain="..." active="yes"/> */
static bool focused_and_active(const char *domain)
{
	struct xml_node f;
	if (!focus_open)
		return false;
	/* decide on the newest focus, not on one whose signal is still on its way */
	(void)cairn_watched_rom_update(&focus);
	if (!cairn_watched_rom_xml(&focus, &f) || !xml_has_type(&f, "focus"))
		return false;
	return xml_attr_equals(&f, "domain", domain) && xml_attr_bool(&f, "active", false);
}

static void notify_readers(void)
{
	for (struct reader *r = readers; r; r = r->next)
		rom_session_changed(&r->session);
}

/* ------------------------------------------------------------ ROM service */

static void rom_content(rom_session *s, struct rom_content *out)
{
	struct reader *r = (struct reader *)s;
	bool visible = visible_to(r);
	out->valid   = true;
	out->data    = visible ? owner->session.content.addr : 0;
	out->len     = visible ? owner->session.content_len : 0;
	out->version = visible ? version : 0;
}

static int rom_create(cairn_root *root, const char *args, const char *label,
                      cairn_heap *heap, cairn_rpc_obj **obj)
{
	struct reader *r = cairn_heap_calloc(heap, 1, sizeof(*r));
	if (!r) return CAIRN_ERR_QUOTA;
	r->has_domain = domain_of(label, r->domain);
	int err = rom_session_init(&r->session, env, heap, args, label, rom_content, 0);
	if (err != CAIRN_OK) {
		cairn_heap_free(heap, r);
		return err;
	}
	r->next = readers;
	readers = r;
	*obj = &r->session.obj;
	return CAIRN_OK;
}

static void rom_upgrade(cairn_root *root, cairn_rpc_obj *obj, size_t ram_quota)
{
	rom_session_upgrade(obj->data, ram_quota);
}

static void rom_destroy(cairn_root *root, cairn_rpc_obj *obj)
{
	struct reader *r = obj->data;
	for (struct reader **p = &readers; *p; p = &(*p)->next)
		if (*p == r) { *p = r->next; break; }
	rom_session_fini(&r->session);
	cairn_heap_free(cairn_root_session_heap(obj), r);
}

static const cairn_root_ops rom_ops = {
	.session_size = sizeof(struct reader),
	.create       = rom_create,
	.upgrade      = rom_upgrade,
	.destroy      = rom_destroy,
};

/* ------------------------------------------------------------ Report service */

static int submit(report_session *s, const char *data, size_t len)
{
	struct writer *w = (struct writer *)s;
	if (!w->has_domain || !focused_and_active(w->domain)) {
		cairn_warning("unexpected attempt by '%s' to write to 'clipboard'", s->label);
		return CAIRN_OK;   /* dropped: the client learns nothing from the answer */
	}
	report_session_commit(s);
	owner = w;
	memcpy(owner_domain, w->domain, sizeof(owner_domain));
	version++;
	if (verbose) {
		cairn_log("report 'clipboard'");
		rom_log_lines(s->content.addr, s->content_len);
	}
	notify_readers();
	return CAIRN_OK;
}

static int report_create(cairn_root *root, const char *args, const char *label,
                         cairn_heap *heap, cairn_rpc_obj **obj)
{
	struct writer *w = cairn_heap_calloc(heap, 1, sizeof(*w));
	if (!w) return CAIRN_ERR_QUOTA;
	w->has_domain = domain_of(label, w->domain);
	int err = report_session_init(&w->session, env, heap, args, label, submit, 0);
	if (err != CAIRN_OK) {
		cairn_heap_free(heap, w);
		return err;
	}
	w->next = writers;
	writers = w;
	*obj = &w->session.obj;
	return CAIRN_OK;
}

static void report_upgrade(cairn_root *root, cairn_rpc_obj *obj, size_t ram_quota)
{
	report_session_upgrade(obj->data, ram_quota);
}

static void report_destroy(cairn_root *root, cairn_rpc_obj *obj)
{
	struct writer *w = obj->data;
	/* the content goes with its writer, without a signal (as report_rom) */
	if (owner == w) owner = 0;
	for (struct writer **p = &writers; *p; p = &(*p)->next)
		if (*p == w) { *p = w->next; break; }
	report_session_fini(&w->session);
	cairn_heap_free(cairn_root_session_heap(obj), w);
}

static const cairn_root_ops report_ops = {
	.session_size = sizeof(struct writer),
	.create       = report_create,
	.upgrade      = report_upgrade,
	.destroy      = report_destroy,
};

/* ------------------------------------------------------------ config */

static void apply_config(cairn_watched_rom *c, void *arg)
{
	struct xml_node cfg;
	(void)cairn_config_xml(&config, &cfg);
	verbose = xml_attr_bool(&cfg, "verbose", false);

	/*
	 * Domains and flows may have changed: re-evaluate every client. The
	 * current content keeps the domain it was written in.
	 */
	for (struct reader *r = readers; r; r = r->next)
		r->has_domain = domain_of(r->session.label, r->domain);
	for (struct writer *w = writers; w; w = w->next)
		w->has_domain = domain_of(w->session.label, w->domain);
	notify_readers();
}

void cairn_component_construct(cairn_env *e)
{
	env = e;
	int err = cairn_config_open(&config, env, apply_config, 0);
	if (err != CAIRN_OK) {
		cairn_error("no config (%s)", cairn_err_str(err));
		return;
	}
	apply_config(&config, 0);
	err = cairn_watched_rom_open(&focus, env, "focus", 0, 0);
	if (err == CAIRN_OK)
		focus_open = true;
	else
		cairn_error("no focus ROM (%s): every report will be refused", cairn_err_str(err));
	if (cairn_root_announce(&report_root, env, "Report", &report_ops, 0) != CAIRN_OK
	 || cairn_root_announce(&rom_root, env, "ROM", &rom_ops, 0) != CAIRN_OK)
		cairn_error("could not announce the Report and ROM services");
}
