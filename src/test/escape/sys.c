/* sys.c - attempts at the host file system, the network and privileged system calls */

#include "escape.h"

#include <base/log.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <linux/reboot.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/io.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>
#include <linux/if_ether.h>
#include <arpa/inet.h>

/*
 * The system-call filter refuses everything outside its allowlist with
 * EPERM. Where a call is allowed (fstatat with AT_EMPTY_PATH, sendmsg),
 * the next layer shows: the empty root and the empty network namespace.
 */

/* ---------------------------------------------------------- host files */

static void open_host_file(cairn_env *env)
{
	int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
	TRY(fd);
}

static void open_boot_module(cairn_env *env)
{
	/* the boot directory is core's working directory; ours is the empty root */
	int fd = open("config", O_RDWR | O_CLOEXEC);
	TRY(fd);
}

static void list_root(cairn_env *env)
{
	DIR *d = opendir("/");
	int err = errno;
	if (d) {
		unsigned n = 0;
		while (readdir(d)) n++;
		closedir(d);
		result("succeeded (%u entries)", n);
		return;
	}
	result("%s", errno_name(err));
}

static void stat_host_file(cairn_env *env)
{
	/* allowed by the filter (AT_EMPTY_PATH), but resolved in the empty root */
	struct stat st;
	int r = fstatat(AT_FDCWD, "/etc/passwd", &st, AT_EMPTY_PATH);
	TRY(r);
}

static void stat_proc(cairn_env *env)
{
	struct stat st;
	int r = fstatat(AT_FDCWD, "/proc/1/mem", &st, AT_EMPTY_PATH);
	TRY(r);
}

static void chdir_up(cairn_env *env)
{
	int r = chdir("..");
	TRY(r);
}

/* ---------------------------------------------------------- network */

static void try_socket(int family, int type, int proto)
{
	int s = socket(family, type | SOCK_CLOEXEC, proto);
	int err = errno;
	if (s >= 0) close(s);
	result_sys(s, err);
}

static void socket_inet(cairn_env *env)    { try_socket(AF_INET, SOCK_STREAM, 0); }
static void socket_inet6(cairn_env *env)   { try_socket(AF_INET6, SOCK_DGRAM, 0); }
static void socket_unix(cairn_env *env)    { try_socket(AF_UNIX, SOCK_STREAM, 0); }
static void socket_netlink(cairn_env *env) { try_socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE); }
static void socket_packet(cairn_env *env)  { try_socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)); }
static void socket_vsock(cairn_env *env)   { try_socket(AF_VSOCK, SOCK_STREAM, 0); }
static void socket_alg(cairn_env *env)     { try_socket(AF_ALG, SOCK_SEQPACKET, 0); }

static void socketpair_inet(cairn_env *env)
{
	int sv[2];
	int r = socketpair(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0, sv);
	int err = errno;
	if (r == 0) { close(sv[0]); close(sv[1]); }
	result_sys(r, err);
}

static void connect_host_unix(cairn_env *env)
{
	/* a Unix socket of its own (socket pairs are allowed), connected to a host path */
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) { result("socketpair: %s", errno_name(errno)); return; }
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	snprintf(a.sun_path, sizeof(a.sun_path), "/run/systemd/journal/stdout");
	int r = connect(sv[0], (struct sockaddr *)&a, sizeof(a));
	TRY(r);
}

/* a datagram to an address: sendmsg is allowed, the address must be reachable */
static void send_to(const char *path, size_t len)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) < 0) { result("socketpair: %s", errno_name(errno)); return; }
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	memcpy(a.sun_path, path, len);
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	struct msghdr mh = { .msg_name = &a, .msg_namelen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len),
	                     .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t r = sendmsg(sv[0], &mh, MSG_DONTWAIT | MSG_NOSIGNAL);
	TRY(r);
}

static void sendmsg_host_unix(cairn_env *env)
{
	static const char p[] = "/dev/log";
	send_to(p, sizeof(p));
}

static void sendmsg_abstract_unix(cairn_env *env)
{
	/* abstract addresses live in the network namespace: ours is empty */
	static const char p[] = "\0/tmp/.X11-unix/X0";
	send_to(p, sizeof(p) - 1);
}

/* ---------------------------------------------------------- privileges and limits */

static void setrlimit_nofile(cairn_env *env)
{
	struct rlimit rl = { 1 << 16, 1 << 16 };
	TRY(setrlimit(RLIMIT_NOFILE, &rl));
}

static void prlimit_data(cairn_env *env)
{
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	TRY(prlimit(0, RLIMIT_DATA, &rl, 0));
}

static void chroot_up(cairn_env *env)  { TRY(chroot("..")); }
static void mount_tmpfs(cairn_env *env) { TRY(mount("none", "/", "tmpfs", 0, 0)); }
static void unshare_user(cairn_env *env) { TRY(unshare(CLONE_NEWUSER | CLONE_NEWNS)); }
static void setns_net(cairn_env *env)   { TRY(setns(0, CLONE_NEWNET)); }
static void setuid_root(cairn_env *env) { TRY(syscall(SYS_setuid, 0)); }
static void nice_up(cairn_env *env)     { TRY(setpriority(PRIO_PROCESS, 0, -20)); }

static void ioctl_tiocsti(cairn_env *env)
{
	/* push a character into the input of the terminal behind stderr */
	char c = '\n';
	TRY(ioctl(2, TIOCSTI, &c));
}

static void memfd(cairn_env *env)
{
	int fd = (int)syscall(SYS_memfd_create, "escape", 0);
	int err = errno;
	if (fd >= 0) close(fd);
	result_sys(fd, err);
}

static void bpf_prog(cairn_env *env)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4; a.value_size = 4; a.max_entries = 1;
	TRY(syscall(SYS_bpf, BPF_MAP_CREATE, &a, sizeof(a)));
}

static void perf_event(cairn_env *env)
{
	struct perf_event_attr a;
	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_SOFTWARE;
	a.size = sizeof(a);
	a.config = PERF_COUNT_SW_CPU_CLOCK;
	TRY(syscall(SYS_perf_event_open, &a, 0, -1, -1, 0));
}

static void keyctl(cairn_env *env)
{
	/* KEYCTL_GET_KEYRING_ID (0) of the session keyring (-3) */
	TRY(syscall(SYS_keyctl, 0, -3, 0));
}

static void userfaultfd(cairn_env *env) { TRY(syscall(SYS_userfaultfd, O_CLOEXEC)); }

static void io_uring(cairn_env *env)
{
	char params[120];
	memset(params, 0, sizeof(params));
	TRY(syscall(SYS_io_uring_setup, 4, params));
}

static void personality(cairn_env *env)
{
	/* READ_IMPLIES_EXEC */
	TRY(syscall(SYS_personality, 0x0400000));
}

static void reboot(cairn_env *env)
{
	/* wrong magic: harmless even where the call is allowed and privileged */
	TRY(syscall(SYS_reboot, 0, 0, LINUX_REBOOT_CMD_CAD_OFF, 0));
}

static void prctl_dumpable(cairn_env *env) { TRY(syscall(SYS_prctl, 4 /* PR_SET_DUMPABLE */, 1, 0, 0, 0)); }
static void seccomp_call(cairn_env *env)   { TRY(syscall(SYS_seccomp, 0 /* SET_MODE_STRICT */, 0, 0)); }
static void syslog_read(cairn_env *env)    { TRY(klogctl(10 /* SIZE_BUFFER */, 0, 0)); }
static void init_module(cairn_env *env)    { TRY(syscall(SYS_init_module, 0, 0, "")); }
static void ioperm_port(cairn_env *env)    { TRY(ioperm(0x80, 1, 1)); }

static void settime(cairn_env *env)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	TRY(clock_settime(CLOCK_REALTIME, &ts));
}

static void open_by_handle(cairn_env *env)
{
	/* the classic container escape: a file handle of the host's root */
	struct { unsigned bytes; int type; unsigned char h[8]; } fh = { 8, 1, { 2, 0, 0, 0, 0, 0, 0, 0 } };
	TRY(syscall(SYS_open_by_handle_at, AT_FDCWD, &fh, O_RDONLY));
}

/* ---------------------------------------------------------- the inherited stderr */

/*
 * Descriptor 2 is the only one the component inherits from core that was
 * not made for it: core's stderr, in a test the run tool's terminal.
 */
static void write_stderr(cairn_env *env)
{
	static const char line[] = "[init -> escape_victim] a line written to stderr by write_stderr\n";
	ssize_t r = write(2, line, sizeof(line) - 1);
	TRY(r);
}

static void stderr_nonblock(cairn_env *env)
{
	/*
	 * Once descriptor 2 was core's stderr: its file status flags (shared
	 * with core) could be changed, and core's log writes failed. Now each
	 * component has a null device of its own there.
	 */
	struct stat st;
	if (fstat(2, &st) < 0) { result("fstat: %s", errno_name(errno)); return; }
	if (S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3) {
		result("descriptor 2 is the null device, not core's output");
		return;
	}
	int fl = fcntl(2, F_GETFL);
	int r = fl < 0 ? -1 : fcntl(2, F_SETFL, fl | O_NONBLOCK);
	if (r == 0) (void)fcntl(2, F_SETFL, fl);
	result("descriptor 2 is not the null device; O_NONBLOCK %s", r == 0 ? "set" : errno_name(errno));
}

const struct attempt sys_attempts[] = {
	{ "open_host_file",        open_host_file },
	{ "open_boot_module",      open_boot_module },
	{ "list_root",             list_root },
	{ "stat_host_file",        stat_host_file },
	{ "stat_proc",             stat_proc },
	{ "chdir_up",              chdir_up },
	{ "socket_inet",           socket_inet },
	{ "socket_inet6",          socket_inet6 },
	{ "socket_unix",           socket_unix },
	{ "socket_netlink",        socket_netlink },
	{ "socket_packet",         socket_packet },
	{ "socket_vsock",          socket_vsock },
	{ "socket_alg",            socket_alg },
	{ "socketpair_inet",       socketpair_inet },
	{ "connect_host_unix",     connect_host_unix },
	{ "sendmsg_host_unix",     sendmsg_host_unix },
	{ "sendmsg_abstract_unix", sendmsg_abstract_unix },
	{ "setrlimit_nofile",      setrlimit_nofile },
	{ "prlimit_data",          prlimit_data },
	{ "chroot_up",             chroot_up },
	{ "mount_tmpfs",           mount_tmpfs },
	{ "unshare_user",          unshare_user },
	{ "setns_net",             setns_net },
	{ "setuid_root",           setuid_root },
	{ "nice_up",               nice_up },
	{ "ioctl_tiocsti",         ioctl_tiocsti },
	{ "memfd_create",          memfd },
	{ "bpf",                   bpf_prog },
	{ "perf_event_open",       perf_event },
	{ "keyctl",                keyctl },
	{ "userfaultfd",           userfaultfd },
	{ "io_uring_setup",        io_uring },
	{ "personality",           personality },
	{ "reboot",                reboot },
	{ "prctl",                 prctl_dumpable },
	{ "seccomp",               seccomp_call },
	{ "syslog",                syslog_read },
	{ "init_module",           init_module },
	{ "ioperm",                ioperm_port },
	{ "settime",               settime },
	{ "open_by_handle_at",     open_by_handle },
	{ "write_stderr",          write_stderr },
	{ "stderr_nonblock",       stderr_nonblock },
	{ 0, 0 },
};
