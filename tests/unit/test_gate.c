/*
 * gate: the door of the server, on loopback sockets, with the test in the
 * engine's place (it takes the handed-over sockets and reports their steps
 * as libmicrohttpd does).  Deadlines are a few hundred milliseconds here;
 * every wait is for a condition, with a deadline of its own.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/gate.h"

#define WAIT_MS 5000                 /* the longest any condition may take */
#define HANDED_MAX 16

struct engine {
	pthread_mutex_t mu;
	int fds[HANDED_MAX];
	int n;
	int refuse;                      /* the next handoff fails */
};

struct fixture {
	struct gate *g;
	struct engine e;
	unsigned short port;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int handoff(void *ctx, int fd, const struct sockaddr *sa, socklen_t salen)
{
	struct engine *e = ctx;

	(void)sa;
	(void)salen;
	pthread_mutex_lock(&e->mu);
	if (e->refuse || e->n == HANDED_MAX) {
		e->refuse = 0;
		pthread_mutex_unlock(&e->mu);
		close(fd);                   /* as MHD_add_connection does */
		return -1;
	}
	e->fds[e->n++] = fd;
	pthread_mutex_unlock(&e->mu);
	return 0;
}

static int handed(struct fixture *f)
{
	int n;

	pthread_mutex_lock(&f->e.mu);
	n = f->e.n;
	pthread_mutex_unlock(&f->e.mu);
	return n;
}

static void start(struct fixture *f, unsigned max_conn, unsigned per_addr, int64_t header_ms,
                  int64_t body_ms)
{
	struct gate_config cfg = {
		.max_conn = max_conn, .max_per_addr = per_addr,
		.header_ms = header_ms, .body_ms = body_ms, .head = HEAD_LIMITS_DEFAULT,
	};
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	struct error err = ERROR_INIT;
	int lfd;

	memset(f, 0, sizeof(*f));
	pthread_mutex_init(&f->e.mu, NULL);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(gate_listen((struct sockaddr *)&sa, sizeof(sa), &lfd, &err), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sa, &len), 0);
	f->port = ntohs(sa.sin_port);
	assert_int_equal(gate_start(&cfg, lfd, handoff, &f->e, &f->g, &err), 0);
}

static void stop(struct fixture *f)
{
	/* The engine closes what it holds (reporting nothing: gate_free forgets). */
	for (int i = 0; i < f->e.n; i++)
		close(f->e.fds[i]);
	gate_free(f->g);
	pthread_mutex_destroy(&f->e.mu);
}

/* A client connection from 127.0.0.x. */
static int client(struct fixture *f, int x)
{
	struct sockaddr_in sa = { .sin_family = AF_INET }, src = { .sin_family = AF_INET };
	struct timeval tv = { .tv_sec = WAIT_MS / 1000 };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	src.sin_addr.s_addr = htonl(0x7f000000u | (unsigned)x);
	assert_int_equal(bind(fd, (struct sockaddr *)&src, sizeof(src)), 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(f->port);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

static void say(int fd, const char *s)
{
	assert_int_equal(send(fd, s, strlen(s), MSG_NOSIGNAL), (ssize_t)strlen(s));
}

/* Everything until the peer closes (or WAIT_MS passes: then fails). */
static size_t read_all(int fd, char *buf, size_t cap)
{
	size_t n = 0;

	for (;;) {
		ssize_t k = recv(fd, buf + n, cap - 1 - n, 0);

		if (k == 0 || (k < 0 && errno == ECONNRESET))
			break;
		if (k < 0)
			fail_msg("no close within %d ms (errno %d)", WAIT_MS, errno);
		n += (size_t)k;
		if (n == cap - 1)
			break;
	}
	buf[n] = '\0';
	return n;
}

/* Whether the peer has closed: no data within ms, then 0 / 1. */
static int closed_within(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	char c;

	if (poll(&p, 1, ms) <= 0)
		return 0;
	return recv(fd, &c, 1, MSG_DONTWAIT | MSG_PEEK) <= 0;
}

static struct gate_counts counts(struct fixture *f)
{
	struct gate_counts c;

	gate_counts(f->g, &c);
	return c;
}

#define WAIT_FOR(cond)                                                        \
	do {                                                                  \
		int64_t until_ = now_ms() + WAIT_MS;                          \
		while (!(cond) && now_ms() < until_)                          \
			poll(NULL, 0, 5);                                     \
		if (!(cond))                                                  \
			fail_msg("not within %d ms: %s", WAIT_MS, #cond);     \
	} while (0)

static const char *const head = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

static void test_handoff_unread(void **state)
{
	struct fixture f;
	char buf[256];
	int c;

	(void)state;
	start(&f, 8, 0, 5000, 5000);
	c = client(&f, 1);
	say(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n");      /* not yet */
	WAIT_FOR(counts(&f).waiting == 1);
	assert_int_equal(handed(&f), 0);
	say(c, "\r\n");
	WAIT_FOR(handed(&f) == 1);
	/* The engine reads the whole head: the gate only looked. */
	assert_int_equal(recv(f.e.fds[0], buf, sizeof(buf), 0), (ssize_t)strlen(head));
	assert_memory_equal(buf, head, strlen(head));
	assert_int_equal(counts(&f).open, 1);
	assert_int_equal(counts(&f).waiting, 0);
	close(c);
	stop(&f);
}

static void test_head_deadline(void **state)
{
	struct fixture f;
	char buf[4096];
	int c;
	int64_t t0;

	(void)state;
	start(&f, 8, 0, 300, 5000);
	c = client(&f, 1);
	t0 = now_ms();
	say(c, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: a");
	read_all(c, buf, sizeof(buf));
	assert_true(now_ms() - t0 >= 250);
	assert_non_null(strstr(buf, "HTTP/1.1 408 Request Timeout\r\n"));
	assert_non_null(strstr(buf, "\r\nX-Content-Type-Options: nosniff\r\n"));
	assert_non_null(strstr(buf, "\r\nCache-Control: no-store\r\n"));
	assert_non_null(strstr(buf, "\"code\":\"timeout\""));
	assert_int_equal(handed(&f), 0);
	WAIT_FOR(counts(&f).open == 0 && counts(&f).timed_out == 1);
	close(c);
	stop(&f);
}

static void test_refusals_are_ours(void **state)
{
	struct fixture f;
	char *big = malloc(200 * 1024 + 64), buf[4096];
	int c;

	(void)state;
	start(&f, 8, 0, 5000, 5000);
	/* 200 KB of headers: the reply arrives whole, after all was sent. */
	snprintf(big, 64, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: ");
	memset(big + strlen(big), 'b', 200 * 1024);
	big[200 * 1024 + 20] = '\0';
	c = client(&f, 1);
	assert_int_equal(send(c, big, strlen(big), MSG_NOSIGNAL), (ssize_t)strlen(big));
	read_all(c, buf, sizeof(buf));
	assert_non_null(strstr(buf, "HTTP/1.1 431 Request Header Fields Too Large\r\n"));
	assert_non_null(strstr(buf, "\r\nX-Frame-Options: DENY\r\n"));
	assert_non_null(strstr(buf, "\r\nContent-Security-Policy: default-src 'self'"));
	assert_non_null(strstr(buf, "\"code\":\"headers_too_large\""));
	assert_non_null(strstr(buf, "Content-Language: vi\r\n"));
	close(c);
	/* In English when the head asked before its fault. */
	c = client(&f, 1);
	say(c, "POST / HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\nTransfer-Encoding: chunked\r\n\r\n");
	read_all(c, buf, sizeof(buf));
	assert_non_null(strstr(buf, "HTTP/1.1 411 Length Required\r\n"));
	assert_non_null(strstr(buf, "not with Transfer-Encoding"));
	assert_non_null(strstr(buf, "Content-Language: en\r\n"));
	close(c);
	WAIT_FOR(counts(&f).bad_heads == 2 && counts(&f).open == 0);
	assert_int_equal(handed(&f), 0);
	free(big);
	stop(&f);
}

static void test_per_address(void **state)
{
	struct fixture f;
	int a[3], b;

	(void)state;
	start(&f, 8, 2, 5000, 5000);
	for (int i = 0; i < 3; i++)
		a[i] = client(&f, 2);
	/* The third from 127.0.0.2 is closed at once; the first two stay. */
	assert_true(closed_within(a[2], WAIT_MS));
	assert_false(closed_within(a[0], 100));
	assert_false(closed_within(a[1], 0));
	assert_int_equal(counts(&f).refused, 1);
	/* Another address is not limited by them. */
	b = client(&f, 3);
	say(b, head);
	WAIT_FOR(handed(&f) == 1);
	/* One gone, 127.0.0.2 may open one again. */
	close(a[0]);
	WAIT_FOR(counts(&f).open == 2);
	a[0] = client(&f, 2);
	assert_false(closed_within(a[0], 100));
	for (int i = 0; i < 3; i++)
		close(a[i]);
	close(b);
	stop(&f);
}

/* The engine's view of a handed-over connection. */
static struct gate_conn *engine_start(struct fixture *f, int i)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return gate_conn_started(f->g, f->e.fds[i], (struct sockaddr *)&sa, sizeof(sa));
}

static void test_eviction_oldest_waiting_first(void **state)
{
	struct fixture f;
	struct gate_conn *kept;
	int slow[2], full, late, x[3];

	(void)state;
	start(&f, 3, 0, 5000, 5000);
	/* One connection handed over and busy, two slow ones: full. */
	full = client(&f, 1);
	say(full, head);
	WAIT_FOR(handed(&f) == 1);
	kept = engine_start(&f, 0);
	gate_conn_head(f.g, kept);
	gate_conn_busy(f.g, kept);
	slow[0] = client(&f, 1);
	say(slow[0], "GET / HTTP/1.1\r\n");
	WAIT_FOR(counts(&f).waiting == 1);
	slow[1] = client(&f, 1);
	WAIT_FOR(counts(&f).waiting == 2 && counts(&f).open == 3);
	/* A fourth: the oldest slow one makes room, not the busy one. */
	late = client(&f, 1);
	assert_true(closed_within(slow[0], WAIT_MS));
	say(late, head);
	WAIT_FOR(handed(&f) == 2);
	assert_false(closed_within(slow[1], 0));
	assert_false(closed_within(full, 0));
	assert_int_equal(counts(&f).evicted, 1);
	/* Its request over, the busy one waits for its next head, from now:
	 * slow[1] has waited longer and goes first. */
	gate_conn_idle(f.g, kept);
	x[0] = client(&f, 1);
	assert_true(closed_within(slow[1], WAIT_MS));
	assert_false(closed_within(full, 100));
	/* The engine is done with `late`; two more fill the gate, a third
	 * drops the idle one, which the engine sees shut down. */
	gate_conn_closed(f.g, engine_start(&f, 1));
	x[1] = client(&f, 1);
	WAIT_FOR(counts(&f).open == 3);
	x[2] = client(&f, 1);
	assert_true(closed_within(full, WAIT_MS));
	assert_int_equal(counts(&f).evicted, 3);
	gate_conn_closed(f.g, kept);
	assert_int_equal(counts(&f).open, 3);           /* x[0..2] */
	close(full);
	close(late);
	for (int i = 0; i < 2; i++)
		close(slow[i]);
	for (int i = 0; i < 3; i++)
		close(x[i]);
	stop(&f);
}

static void test_full_of_busy_refuses(void **state)
{
	struct fixture f;
	struct gate_conn *c[2];
	int a, b, x;

	(void)state;
	start(&f, 2, 0, 5000, 5000);
	a = client(&f, 1);
	say(a, head);
	b = client(&f, 1);
	say(b, head);
	WAIT_FOR(handed(&f) == 2);
	for (int i = 0; i < 2; i++) {
		c[i] = engine_start(&f, i);
		gate_conn_head(f.g, c[i]);
		gate_conn_busy(f.g, c[i]);
	}
	x = client(&f, 1);
	assert_true(closed_within(x, WAIT_MS));
	assert_int_equal(counts(&f).refused, 1);
	assert_false(closed_within(a, 0));
	for (int i = 0; i < 2; i++)
		gate_conn_closed(f.g, c[i]);
	close(a);
	close(b);
	close(x);
	stop(&f);
}

static void test_body_and_idle_deadlines(void **state)
{
	struct fixture f;
	struct gate_conn *c;
	int a;
	int64_t t0;

	(void)state;
	start(&f, 8, 0, 400, 300);
	a = client(&f, 1);
	say(a, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
	WAIT_FOR(handed(&f) == 1);
	/* The body never comes: the engine's socket is shut down. */
	c = engine_start(&f, 0);
	t0 = now_ms();
	gate_conn_head(f.g, c);
	assert_true(closed_within(a, WAIT_MS));
	assert_true(now_ms() - t0 >= 250);
	WAIT_FOR(counts(&f).timed_out == 1 && counts(&f).open == 0);
	gate_conn_closed(f.g, c);
	close(a);

	/* Kept alive, idle past the head deadline: shut down too. */
	a = client(&f, 1);
	say(a, head);
	WAIT_FOR(handed(&f) == 2);
	c = engine_start(&f, 1);
	gate_conn_head(f.g, c);
	gate_conn_busy(f.g, c);
	assert_false(closed_within(a, 500));     /* busy: no deadline of the gate */
	t0 = now_ms();
	gate_conn_idle(f.g, c);
	assert_true(closed_within(a, WAIT_MS));
	assert_true(now_ms() - t0 >= 350);
	WAIT_FOR(counts(&f).timed_out == 2);
	gate_conn_closed(f.g, c);
	close(a);
	stop(&f);
}

static void test_closing_is_not_counted(void **state)
{
	struct fixture f;
	struct gate_conn *c;
	int a, b;

	(void)state;
	start(&f, 8, 1, 300, 5000);
	a = client(&f, 2);
	say(a, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
	WAIT_FOR(handed(&f) == 1);
	c = engine_start(&f, 0);
	gate_conn_head(f.g, c);
	gate_conn_busy(f.g, c);
	/* Its response sent, the engine closes it: 127.0.0.2 may connect
	 * again at once, before the engine reports the close. */
	gate_conn_closing(f.g, c);
	assert_int_equal(counts(&f).open, 0);
	b = client(&f, 2);
	assert_false(closed_within(b, 100));
	assert_int_equal(counts(&f).refused, 0);
	/* No deadline of the gate runs for it any more (300 ms here: b,
	 * which sends nothing, gets its 408 meanwhile). */
	assert_false(closed_within(a, 500));
	WAIT_FOR(counts(&f).timed_out == 1);
	gate_conn_idle(f.g, c);              /* too late: stays closing */
	assert_int_equal(counts(&f).open, 0);
	assert_int_equal(counts(&f).waiting, 0);
	gate_conn_closed(f.g, c);
	close(a);
	close(b);
	stop(&f);
}

static void test_refused_handoff_and_quiesce(void **state)
{
	struct fixture f;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int a, b, s;

	(void)state;
	start(&f, 8, 0, 5000, 5000);
	f.e.refuse = 1;
	a = client(&f, 1);
	say(a, head);
	assert_true(closed_within(a, WAIT_MS));
	WAIT_FOR(counts(&f).open == 0);
	/* Quiesced: a waiting connection is closed, and no new one comes in. */
	b = client(&f, 1);
	WAIT_FOR(counts(&f).waiting == 1);
	gate_quiesce(f.g);
	assert_true(closed_within(b, WAIT_MS));
	WAIT_FOR(counts(&f).open == 0);
	s = socket(AF_INET, SOCK_STREAM, 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(f.port);
	{
		int64_t until = now_ms() + WAIT_MS;
		while (connect(s, (struct sockaddr *)&sa, sizeof(sa)) == 0 && now_ms() < until) {
			close(s);
			s = socket(AF_INET, SOCK_STREAM, 0);
			poll(NULL, 0, 5);
		}
		assert_int_equal(errno, ECONNREFUSED);
	}
	close(s);
	close(a);
	close(b);
	stop(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_handoff_unread),
		cmocka_unit_test(test_head_deadline),
		cmocka_unit_test(test_refusals_are_ours),
		cmocka_unit_test(test_per_address),
		cmocka_unit_test(test_eviction_oldest_waiting_first),
		cmocka_unit_test(test_full_of_busy_refuses),
		cmocka_unit_test(test_body_and_idle_deadlines),
		cmocka_unit_test(test_closing_is_not_counted),
		cmocka_unit_test(test_refused_handoff_and_quiesce),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
