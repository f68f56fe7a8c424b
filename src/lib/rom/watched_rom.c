/* watched_rom.c - a ROM attached and kept up to date by a signal handler; the config ROM */

#include <base/dataspace.h>
#include <base/log.h>
#include <base/parent.h>
#include <rom/config.h>
#include <session/rom/rom.h>

#include <stdio.h>
#include <string.h>

static void detach(cairn_watched_rom *r)
{
	if (r->data)
		cairn_ds_detach((void *)r->data, r->size);
	if (cairn_cap_valid(r->ds))
		cairn_cap_release(r->ds);
	r->ds   = CAIRN_CAP_INVALID;
	r->data = 0;
	r->size = 0;
}

/* more quota for the session: the server could not pay a large module */
static int upgrade(cairn_watched_rom *r)
{
	size_t more = r->quota;
	if (r->quota + more > CAIRN_WATCHED_ROM_MAX_QUOTA)
		return CAIRN_ERR_QUOTA;
	char args[48];
	snprintf(args, sizeof(args), "ram_quota=%zu", more);
	int err = cairn_parent_upgrade(r->env->parent, r->session, args);
	if (err != CAIRN_OK)
		return err;
	r->quota += more;
	return CAIRN_OK;
}

static int attach(cairn_watched_rom *r)
{
	void  *addr;
	size_t size;
	int    err;

	for (;;) {
		err = cairn_rom_dataspace(r->session, &r->ds);
		if (err != CAIRN_ERR_QUOTA)
			break;
		err = upgrade(r);
		if (err != CAIRN_OK) {
			cairn_warning("ROM '%s' is too large for the quota of %zu bytes", r->label, r->quota);
			return err;
		}
	}
	if (err == CAIRN_ERR_DENIED) {
		/* the server handed out no dataspace: the module is invalid right now */
		r->ds = CAIRN_CAP_INVALID;
		return CAIRN_OK;
	}
	if (err != CAIRN_OK)
		return err;
	err = cairn_ds_attach(r->ds, 0, 0, true, &addr, &size);
	if (err != CAIRN_OK) {
		cairn_cap_release(r->ds);
		r->ds = CAIRN_CAP_INVALID;
		return err;
	}
	r->data = addr;
	r->size = size;
	return CAIRN_OK;
}

int cairn_watched_rom_update(cairn_watched_rom *r)
{
	r->warned = false;
	/* a new version that fits lands in the dataspace we have (14.08) */
	if (r->data && cairn_rom_update(r->session))
		return CAIRN_OK;
	detach(r);
	return attach(r);
}

static void changed(cairn_signal_handler *h, unsigned count)
{
	cairn_watched_rom *r = h->data;
	(void)count;
	(void)cairn_watched_rom_update(r);
	if (r->fn)
		r->fn(r, r->arg);
}

int cairn_watched_rom_open(cairn_watched_rom *r, cairn_env *env, const char *label,
                           cairn_watched_rom_fn fn, void *arg)
{
	memset(r, 0, sizeof(*r));
	r->env   = env;
	r->fn    = fn;
	r->arg   = arg;
	r->quota = CAIRN_WATCHED_ROM_QUOTA;
	(void)str_copy(r->label, sizeof(r->label), str_z(label));

	int err = cairn_session(env, "ROM", &r->session, "ram_quota=%zu, label=\"%s\"",
	                        r->quota, label);
	if (err != CAIRN_OK)
		return err;
	cairn_cap sigh = cairn_signal_handler_init(&r->handler, env->ep, changed, r);
	if (!cairn_cap_valid(sigh)) {
		(void)cairn_parent_close(env->parent, r->session);
		cairn_cap_release(r->session);
		return CAIRN_ERR_NO_MEMORY;
	}
	/* register first: a version that appears while we fetch is signalled */
	err = cairn_rom_sigh(r->session, sigh);
	if (err == CAIRN_OK)
		err = attach(r);
	if (err != CAIRN_OK) {
		detach(r);
		(void)cairn_parent_close(env->parent, r->session);
		cairn_cap_release(r->session);
		cairn_signal_handler_fini(&r->handler, env->ep);
		return err;
	}
	return CAIRN_OK;
}

void cairn_watched_rom_close(cairn_watched_rom *r)
{
	if (!r->env)
		return;
	detach(r);
	(void)cairn_parent_close(r->env->parent, r->session);
	cairn_cap_release(r->session);
	cairn_signal_handler_fini(&r->handler, r->env->ep);
	r->env = 0;
}

size_t cairn_watched_rom_len(const cairn_watched_rom *r)
{
	return r->data ? strnlen(r->data, r->size) : 0;
}

bool cairn_watched_rom_xml(const cairn_watched_rom *r, struct xml_node *out)
{
	if (!r->data)
		return false;
	struct xml_parse_result pr = xml_parse(r->data, cairn_watched_rom_len(r), out);
	return pr.error == XML_OK;
}

int cairn_config_start(cairn_config *c, cairn_env *env, cairn_watched_rom_fn fn, void *arg)
{
	int err = cairn_config_open(c, env, fn, arg);
	if (err != CAIRN_OK) {
		cairn_error("no config (%s)", cairn_err_str(err));
		return err;
	}
	if (fn) fn(c, arg);
	return CAIRN_OK;
}

bool cairn_config_xml(cairn_config *c, struct xml_node *out)
{
	static const char empty[] = "<config/>";

	if (cairn_watched_rom_xml(c, out))
		return true;
	if (cairn_watched_rom_len(c) && !c->warned) {
		struct xml_node n;
		struct xml_parse_result pr = xml_parse(c->data, cairn_watched_rom_len(c), &n);
		cairn_warning("config has invalid syntax: %s at byte %zu", xml_error_str(pr.error),
		              pr.offset);
		c->warned = true;
	}
	struct xml_parse_result pr = xml_parse(empty, sizeof(empty) - 1, out);
	(void)pr;
	return false;
}
