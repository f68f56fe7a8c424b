/* main.c - clipboard: one report shared by many clients, subject to an information-flow policy */

#include <base/env.h>
#include <base/log.h>
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
};

struct reader {
	rom_session    session;   /* first, as above */
	char           domain[DOMAIN_MAX];
	bool           has_domain;
};

static cairn_env         *env;
static cairn_config       config;
static cairn_watched_rom  focus;
static bool               focus_open;
static bool               verbose;
static rom_service        readers, writers; /* the ROM and the Report service */
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

static int rom_open(rom_service *svc, void *session, const char *label)
{
	struct reader *r = session;
	r->has_domain = domain_of(label, r->domain);
	return CAIRN_OK;
}

static const rom_service_ops rom_ops = {
	.session_size = sizeof(struct reader),
	.content      = rom_content,
	.open         = rom_open,
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
	rom_service_changed(&readers);
	return CAIRN_OK;
}

static int report_open(rom_service *svc, void *session, const char *label)
{
	struct writer *w = session;
	w->has_domain = domain_of(label, w->domain);
	return CAIRN_OK;
}

static void report_close(rom_service *svc, void *session)
{
	/* the content goes with its writer, without a signal (as report_rom) */
	if (owner == session) owner = 0;
}

static const rom_service_ops report_ops = {
	.session_size = sizeof(struct writer),
	.submit       = submit,
	.open         = report_open,
	.close        = report_close,
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
	for (struct reader *r = rom_service_next(&readers, 0); r; r = rom_service_next(&readers, r))
		r->has_domain = domain_of(r->session.label, r->domain);
	for (struct writer *w = rom_service_next(&writers, 0); w; w = rom_service_next(&writers, w))
		w->has_domain = domain_of(w->session.label, w->domain);
	rom_service_changed(&readers);
}

void cairn_component_construct(cairn_env *e)
{
	env = e;
	int err = cairn_config_start(&config, env, apply_config, 0);
	if (err != CAIRN_OK)
		return;
	err = cairn_watched_rom_open(&focus, env, "focus", 0, 0);
	if (err == CAIRN_OK)
		focus_open = true;
	else
		cairn_error("no focus ROM (%s): every report will be refused", cairn_err_str(err));
	if (rom_service_announce(&writers, env, &report_ops, 0) != CAIRN_OK
	 || rom_service_announce(&readers, env, &rom_ops, 0) != CAIRN_OK)
		cairn_error("could not announce the Report and ROM services");
}
