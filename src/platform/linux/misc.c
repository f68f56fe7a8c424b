/* misc.c - fatal errors, errno texts and raw descriptors in messages */

#include "internal.h"

#include <string.h>
#include <unistd.h>

_Noreturn void plat_die(const char *what)
{
	static const char pre[] = "Error: platform: ";
	(void)!write(2, pre, sizeof(pre) - 1);
	(void)!write(2, what, strlen(what));
	(void)!write(2, "\n", 1);
	_exit(1);
}

const char *plat_errstr(int err)
{
	if (err < 0) err = -err;
	return strerrorname_np(err) ? strerrorname_np(err) : "unknown error";
}

void plat_msg_attach_fd(cairn_msg *m, int fd)
{
	if (m->_plat >= 0) close(m->_plat);
	m->_plat = fd;
}

int plat_msg_take_fd(cairn_msg *m)
{
	int fd = m->_plat;
	m->_plat = -1;
	return fd;
}
