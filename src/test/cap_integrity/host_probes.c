/* host_probes.c - authority a sandboxed component must not have */

#include "cap_integrity.h"

#include <base/log.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

/*
 * Capabilities are only worth something if nothing else reaches the
 * objects behind them. These probes use plain system calls (no platform
 * interface) to look for ambient authority: the host file system (boot
 * modules are host files), the descriptors of the parent process through
 * /proc or pidfd_getfd (core, which holds the memory and the capability
 * descriptors of every component), signals to
 * other processes, and the network. Nothing is modified: files are only
 * opened, the signal is the null signal.
 */

static unsigned outcome(const char *what, int rc, int err)
{
	if (rc >= 0) {
		cairn_error("host probe %s: reached", what);
		return 1;
	}
	cairn_log("host probe %s: refused (%s)", what, strerror(err));
	return 0;
}

static unsigned try_open(const char *what, const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);
	int err = errno;
	if (fd >= 0) close(fd);
	return outcome(what, fd, err);
}

/* open the descriptors of the parent process (core) through /proc */
static unsigned foreign_descriptors(void)
{
	char dir[64];
	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)getppid());
	DIR *fds = opendir(dir);
	if (!fds) return outcome("/proc/<parent>/fd", -1, errno);
	unsigned opened = 0, tried = 0;
	char example[600] = "";
	struct dirent *f;
	while ((f = readdir(fds))) {
		if (f->d_name[0] == '.') continue;
		char path[300], target[256];
		snprintf(path, sizeof(path), "%s/%s", dir, f->d_name);
		tried++;
		int fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (fd < 0) continue;
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = 0;
		if (!opened++ || strstr(target, "memfd"))
			snprintf(example, sizeof(example), "%s -> %s", path, target);
		close(fd);
	}
	closedir(fds);
	if (opened) {
		cairn_error("host probe descriptors of the parent process: %u of %u opened read-write, e.g. %s",
		            opened, tried, example);
		return 1;
	}
	cairn_log("host probe descriptors of the parent process: none of %u opened", tried);
	return 0;
}

/* copy a descriptor out of the parent process (needs ptrace rights over it) */
static unsigned steal_descriptor(void)
{
	int pidfd = (int)syscall(SYS_pidfd_open, getppid(), 0);
	if (pidfd < 0) return outcome("pidfd_open of the parent process", -1, errno);
	int stolen = -1, err = EBADF;
	for (int fd = 3; fd < 64 && stolen < 0; fd++) {
		stolen = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
		if (stolen < 0 && errno != EBADF) { err = errno; break; }
		err = errno;
	}
	close(pidfd);
	if (stolen >= 0) close(stolen);
	return outcome("pidfd_getfd of a descriptor of the parent process", stolen, err);
}

unsigned host_probes(void)
{
	unsigned reached = 0;
	reached += try_open("host file /etc/passwd", "/etc/passwd", O_RDONLY);
	reached += try_open("boot module \"config\" for writing", "config", O_WRONLY);
	reached += foreign_descriptors();
	reached += steal_descriptor();

	int rc = kill(getppid(), 0);
	reached += outcome("null signal to the parent process", rc, errno);

	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int err = errno;
	if (s >= 0) close(s);
	reached += outcome("IPv4 socket", s, err);
	return reached;
}
