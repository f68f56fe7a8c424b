/* main.c - report_rom: reports of components become ROM modules for others */

#include <base/env.h>
#include <base/log.h>
#include <rom/config.h>
#include <rom/server.h>
#include <util/policy.h>

#include <string.h>

/*
 * A module is named by the label of the Report session that writes it and
 * read by ROM sessions whose label a <policy> maps to it. It exists while
 * a session of either kind refers to it; its content lives in the writing
 * session (paid by the reporter), each reader's copy in a dataspace paid
 * by the reader (rom/server.h).
 */
struct report;

struct module {
	char           name[LABEL_MAX + 1];
	uint64_t       version;
	struct report *writer;
	unsigned       readers;   /* ROM sessions */
	struct module *next;
};

struct report {
	report_session session;   /* first: the object's data points here */
	struct module *module;
};

struct rom {
	rom_session    session;   /* first, as above */
	struct module *module;
};

static cairn_env     *env;
static cairn_config   config;
static bool           verbose;
static struct module *modules;
static rom_service    reports, roms;   /* the Report and the ROM service */

/* ------------------------------------------------------------ modules */

static struct module *module_lookup(const char *name, bool create)
{
	for (struct module *m = modules; m; m = m->next)
		if (!strcmp(m->name, name)) return m;
	if (!create) return 0;
	struct module *m = cairn_heap_calloc(env->heap, 1, sizeof(*m));
	if (!m) return 0;
	(void)str_copy(m->name, sizeof(m->name), str_z(name));
	m->version = 1;
	m->next    = modules;
	modules    = m;
	return m;
}

static void module_release(struct module *m)
{
	if (m->writer || m->readers) return;
	for (struct module **p = &modules; *p; p = &(*p)->next)
		if (*p == m) { *p = m->next; break; }
	cairn_heap_free(env->heap, m);
}

static void module_notify(struct module *m)
{
	for (struct rom *r = rom_service_next(&roms, 0); r; r = rom_service_next(&roms, r))
		if (r->module == m)
			rom_session_changed(&r->session);
}

/* ------------------------------------------------------------ ROM service */

static void rom_content(rom_session *s, struct rom_content *out)
{
	struct module *m = ((struct rom *)s)->module;
	out->valid   = true;
	out->version = m->version;
	out->data    = m->writer ? m->writer->session.content.addr : 0;
	out->len     = m->writer ? m->writer->session.content_len : 0;
}

/* the module a ROM request with `label` may read, per <policy report="..."/> */
static bool module_for(const char *label, char *name, size_t size)
{
	struct xml_node cfg, legacy;
	(void)cairn_config_xml(&config, &cfg);

	struct policy_result p = policy_select(&cfg, str_z(label));
	if (p.kind != POLICY_MATCH && xml_sub_node_by_type(&cfg, "rom", &legacy)) {
		cairn_warning("parsing legacy <rom> policies");
		struct policy_result lp = policy_select(&legacy, str_z(label));
		if (lp.kind != POLICY_NONE) p = lp;
	}
	if (p.kind == POLICY_NONE || !xml_has_attribute(&p.node, "report"))
		return false;
	return xml_attr_string(&p.node, "report", name, size, "") < size;
}

static int rom_open(rom_service *svc, void *session, const char *label)
{
	struct rom *r = session;
	char name[LABEL_MAX + 1];
	if (!module_for(label, name, sizeof(name))) {
		cairn_warning("no valid policy for ROM request '%s'", label);
		return CAIRN_ERR_DENIED;
	}
	struct module *m = module_lookup(name, true);
	if (!m) return CAIRN_ERR_QUOTA;
	m->readers++;
	r->module = m;
	return CAIRN_OK;
}

static void rom_close(rom_service *svc, void *session)
{
	struct module *m = ((struct rom *)session)->module;
	m->readers--;
	module_release(m);
}

static const rom_service_ops rom_ops = {
	.session_size = sizeof(struct rom),
	.content      = rom_content,
	.open         = rom_open,
	.close        = rom_close,
};

/* ------------------------------------------------------------ Report service */

static int report_submit(report_session *s, const char *data, size_t len)
{
	struct report *rep = (struct report *)s;
	struct module *m = rep->module;
	report_session_commit(s);
	m->version++;
	if (verbose) {
		cairn_log("report '%s'", m->name);
		rom_log_lines(s->content.addr, s->content_len);
	}
	module_notify(m);
	return CAIRN_OK;
}

static int report_open(rom_service *svc, void *session, const char *label)
{
	struct module *m = module_lookup(label, true);
	if (!m) return CAIRN_ERR_QUOTA;
	if (m->writer) {
		cairn_warning("report '%s' has a writer already", label);
		return CAIRN_ERR_DENIED;
	}
	((struct report *)session)->module = m;
	return CAIRN_OK;
}

static void report_opened(rom_service *svc, void *session)
{
	struct report *rep = session;
	rep->module->writer = rep;
}

static void report_close(rom_service *svc, void *session)
{
	struct report *rep = session;
	struct module *m = rep->module;
	/* the content vanishes with its writer; readers keep what they have */
	if (m->writer == rep) {   /* it was served */
		m->writer = 0;
		m->version++;
	}
	module_release(m);
}

static const rom_service_ops report_ops = {
	.session_size = sizeof(struct report),
	.submit       = report_submit,
	.open         = report_open,
	.opened       = report_opened,
	.close        = report_close,
};

/* ------------------------------------------------------------ config */

static void apply_config(cairn_watched_rom *c, void *arg)
{
	struct xml_node cfg, p;
	struct xml_iter it;
	(void)cairn_config_xml(&config, &cfg);
	verbose = xml_attr_bool(&cfg, "verbose", false);

	/* 16.08: a <policy> without label selector never matches - say so */
	xml_iter_init(&it, &cfg, "policy");
	while (xml_iter_next(&it, &p)) {
		if (xml_has_attribute(&p, "label") || xml_has_attribute(&p, "label_prefix")
		 || xml_has_attribute(&p, "label_suffix"))
			continue;
		char report[LABEL_MAX + 1];
		xml_attr_string(&p, "report", report, sizeof(report), "");
		cairn_warning("<policy report=\"%s\"> without label, label_prefix or "
		              "label_suffix attribute is ignored", report);
	}
}

void cairn_component_construct(cairn_env *e)
{
	env = e;
	int err = cairn_config_start(&config, env, apply_config, 0);
	if (err != CAIRN_OK)
		return;
	if (rom_service_announce(&reports, env, &report_ops, 0) != CAIRN_OK
	 || rom_service_announce(&roms, env, &rom_ops, 0) != CAIRN_OK)
		cairn_error("could not announce the Report and ROM services");
}
