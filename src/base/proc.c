/*
 * posix_spawnp with pipes for stdout and stderr, read with poll() so that a
 * child filling one pipe while we wait on the other cannot deadlock.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/proc.h"
#include "base/banned.h"

extern char **environ;

#define PROC_CHUNK 4096

/* Is the environment entry e ("NAME=...") overridden by one of env? */
static int proc_overridden(const char *e, const char *const env[])
{
	size_t n = strcspn(e, "=");

	for (size_t i = 0; env && env[i]; i++)
		if (strncmp(env[i], e, n) == 0 && env[i][n] == '=')
			return 1;
	return 0;
}

/* The child's environment: ours without what env overrides, then env.
 * The strings are borrowed; free() only the array. */
static const char **proc_environ(const char *const env[])
{
	size_t n = 0, k = 0, extra = 0;
	const char **all;

	while (environ && environ[n])
		n++;
	while (env && env[extra])
		extra++;
	if ((all = calloc(n + extra + 1, sizeof(*all))) == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!proc_overridden(environ[i], env))
			all[k++] = environ[i];
	for (size_t i = 0; i < extra; i++)
		all[k++] = env[i];
	return all;
}

/* Appends what can be read from fd; 0 at EOF, 1 for more, <0 on error.
 * Past the cap, keep reading (the child must not block) but drop it. */
static int proc_drain(int fd, struct strbuf *sb, int *overflow)
{
	char buf[PROC_CHUNK];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : THC_EIO;
	if (n == 0)
		return 0;
	if (sb && !*overflow) {
		size_t room = sb->max > sb->len ? sb->max - sb->len : 0;
		size_t take = (size_t)n < room ? (size_t)n : room;
		if (take && strbuf_add(sb, buf, take) < 0)
			return THC_ENOMEM;
		*overflow = take < (size_t)n;
	}
	return 1;
}

static int proc_collect(int fdout, int fderr, struct strbuf *out, struct strbuf *errout,
                        int *out_over)
{
	struct pollfd p[2] = { { .fd = fdout, .events = POLLIN }, { .fd = fderr, .events = POLLIN } };
	int err_over = 0, rc;

	while (p[0].fd >= 0 || p[1].fd >= 0) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return THC_EIO;
		}
		for (int i = 0; i < 2; i++) {
			if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			rc = i == 0 ? proc_drain(p[i].fd, out, out_over)
			            : proc_drain(p[i].fd, errout, &err_over);
			if (rc < 0)
				return rc;
			if (rc == 0)
				p[i].fd = -1;
		}
	}
	return 0;
}

int proc_run(const char *const argv[], const char *const env[], struct strbuf *out,
             struct strbuf *errout, int *status, struct error *err)
{
	posix_spawn_file_actions_t fa;
	int pout[2] = { -1, -1 }, perr[2] = { -1, -1 };
	const char **envp = NULL;
	int rc = 0, sp, wst, out_over = 0;
	pid_t pid;

	if (pipe2(pout, O_CLOEXEC) < 0 || pipe2(perr, O_CLOEXEC) < 0) {
		rc = error_set(err, THC_EIO, "không tạo được ống dẫn: %s", "cannot create a pipe: %s",
		               strerror(errno));
		goto out;
	}
	if ((envp = proc_environ(env)) == NULL) {
		rc = error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pout[1], 1);
	posix_spawn_file_actions_adddup2(&fa, perr[1], 2);
	/* POSIX's prototype predates const; posix_spawnp changes neither array. */
	sp = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, (char *const *)envp);
	posix_spawn_file_actions_destroy(&fa);
	close(pout[1]);
	close(perr[1]);
	pout[1] = perr[1] = -1;
	if (sp != 0) {
		rc = error_set(err, sp == ENOENT ? THC_ENOTFOUND : THC_EIO,
		               "không chạy được '%s': %s", "cannot run '%s': %s", argv[0],
		               strerror(sp));
		goto out;
	}
	rc = proc_collect(pout[0], perr[0], out, errout, &out_over);
	while (waitpid(pid, &wst, 0) < 0) {
		if (errno != EINTR) {
			rc = error_set(err, THC_EIO, "không chờ được '%s': %s", "cannot wait for '%s': %s",
			               argv[0], strerror(errno));
			goto out;
		}
	}
	*status = WIFEXITED(wst) ? WEXITSTATUS(wst) : 128 + WTERMSIG(wst);
	if (rc < 0)
		error_set(err, rc, "không đọc được đầu ra của '%s'", "cannot read the output of '%s'",
		          argv[0]);
	else if (out_over)
		rc = error_set(err, THC_ETOOBIG, "đầu ra của '%s' vượt quá %zu byte",
		               "the output of '%s' exceeds %zu bytes", argv[0], out->max);
out:
	for (int i = 0; i < 2; i++) {
		if (pout[i] >= 0)
			close(pout[i]);
		if (perr[i] >= 0)
			close(perr[i]);
	}
	free(envp);
	return rc;
}
