/*
 * The gate (see gate.h): accept, first request heads, deadlines, limits.
 *
 * A connection is an entry on one list at a time, by state:
 *   waiting  HEAD (ours: first head not complete) and IDLE (the engine's:
 *            kept alive between requests), in the order their head deadline
 *            started: the head of the list is the first to expire and the
 *            first to drop when full;
 *   body     BODY (the engine's: head done, body pending), by deadline;
 *   busy     BUSY (the engine's: handler running, response going out);
 *   transit  TRANSIT (handed over, not reported started yet);
 *   linger   LINGER (ours: refused, reading what the client still sends);
 *   shut     SHUT (the engine's: shut down by us, or closing after its last
 *            response; its close not reported yet; not counted any more);
 *   dead     DEAD (ours: closed, freed at the end of the loop turn, so that
 *            an epoll event already fetched for it never reads freed memory).
 * Every list and every count is under g->mu.  Only the gate's thread
 * creates, closes and frees its own entries (HEAD, LINGER, DEAD); the
 * engine's threads free theirs, in gate_conn_closed.  A handed-over
 * connection gets a new entry, so that an epoll event can only ever point
 * to an entry of the gate's own.
 */
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/strbuf.h"
#include "base/vntime.h"
#include "http/gate.h"
#include "http/rawreply.h"
#include "base/banned.h"

#define GATE_EVENTS 64
#define GATE_ACCEPT_BATCH 64          /* accepts per wake-up, so that heads get their turn */
#define GATE_TICK_MS 200              /* deadlines are kept to about this */
#define GATE_LINGER_MS 2000           /* a refused client's leftovers are read this long */
#define GATE_LINGER_BYTES (1u << 20)  /* ... and this much at most */
#define GATE_LINGER_MAX 256           /* lingering at once; beyond, closed at once */
#define GATE_TRANSIT_MS 60000         /* handed over but never reported: forgotten */
#define GATE_PAUSE_MS 100             /* no accept() for this long when out of descriptors */
#define GATE_LOG_MS 1000              /* counters are logged at most this often */
#define GATE_LOG_REFUSALS 20          /* refused heads logged one by one per interval */

enum gate_state {
	GATE_HEAD, GATE_LINGER, GATE_DEAD,            /* the gate's own */
	GATE_TRANSIT, GATE_BODY, GATE_BUSY, GATE_IDLE, GATE_SHUT,
};

struct gate_list {
	struct gate_conn *head, *tail;
	unsigned n;
};

/* Connections open from one address. */
struct gate_peer {
	struct gate_peer *next;
	struct netaddr addr;
	unsigned count;
};

struct gate_conn {
	struct gate_conn *prev, *next;
	struct gate_list *list;
	struct gate_peer *peer;          /* its address's count, when known */
	int counted;                     /* counted against max_conn */
	enum gate_state state;
	int fd;
	int64_t since_ms;                /* start of the running deadline */
	size_t drained;
	struct sockaddr_storage sa;
	socklen_t salen;
};

struct gate {
	struct gate_config cfg;
	struct netaddr exempt[NETADDR_LIST_MAX];
	gate_handoff_fn *handoff;
	void *handoff_ctx;
	int lfd, ep, wake;
	pthread_t thread;
	int thread_started;
	atomic_int quiesce, stop;
	pthread_mutex_t mu;
	pthread_cond_t quiet;            /* signalled once quiesced */
	/* under mu */
	int quiet_done;
	struct gate_list waiting, body, busy, transit, linger, shut, dead;
	struct gate_peer **peers;        /* hash buckets, a power of two */
	size_t npeers;
	unsigned open;
	struct gate_counts total;
	/* the gate's thread only */
	int quiesced;
	int64_t paused_until;
	char *peek;
	size_t peekcap;
	uint64_t seq;
	struct gate_counts logged;
	int64_t logged_ms;
	unsigned log_budget;
};

static int64_t gate_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- lists and counts (under mu) ---- */

static void gate_unlink(struct gate_conn *c)
{
	struct gate_list *l = c->list;

	if (l == NULL)
		return;
	if (c->prev)
		c->prev->next = c->next;
	else
		l->head = c->next;
	if (c->next)
		c->next->prev = c->prev;
	else
		l->tail = c->prev;
	l->n--;
	c->list = NULL;
	c->prev = c->next = NULL;
}

static void gate_move(struct gate_conn *c, struct gate_list *l, enum gate_state st,
                      int64_t since)
{
	gate_unlink(c);
	c->state = st;
	c->since_ms = since;
	c->list = l;
	c->prev = l->tail;
	if (l->tail)
		l->tail->next = c;
	else
		l->head = c;
	l->tail = c;
	l->n++;
}

static struct gate_peer **gate_peer_slot(struct gate *g, const struct netaddr *a)
{
	struct gate_peer **p = &g->peers[netaddr_hash(a) & (g->npeers - 1)];

	while (*p && !netaddr_equal(&(*p)->addr, a))
		p = &(*p)->next;
	return p;
}

/* Whether one more connection from a is allowed (trusted proxies always are). */
static int gate_addr_allows(struct gate *g, const struct netaddr *a)
{
	struct gate_peer *p;

	if (g->cfg.max_per_addr == 0 || a->family == 0 ||
	    netaddr_in(a, g->exempt, g->cfg.nexempt))
		return 1;
	p = *gate_peer_slot(g, a);
	return p == NULL || p->count < g->cfg.max_per_addr;
}

/* Counts c as open, from a (an unknown address is only counted in total). */
static void gate_count(struct gate *g, struct gate_conn *c, const struct netaddr *a)
{
	if (a->family != 0) {
		struct gate_peer **slot = gate_peer_slot(g, a);

		if (*slot == NULL && (*slot = calloc(1, sizeof(**slot))) != NULL)
			(*slot)->addr = *a;
		if ((c->peer = *slot) != NULL)
			c->peer->count++;
	}
	c->counted = 1;
	g->open++;
}

static void gate_uncount(struct gate *g, struct gate_conn *c)
{
	struct gate_peer *p = c->peer;

	if (c->counted) {
		c->counted = 0;
		g->open--;
	}
	if (p == NULL)
		return;
	c->peer = NULL;
	if (--p->count == 0) {
		struct gate_peer **slot = gate_peer_slot(g, &p->addr);
		*slot = p->next;
		free(p);
	}
}

/* One of ours: closed now, freed at the end of the loop turn. */
static void gate_close_own(struct gate *g, struct gate_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	gate_uncount(g, c);
	gate_move(c, &g->dead, GATE_DEAD, 0);
}

/* One of the engine's: shut down, so that the engine finds it closed and
 * reports it; the descriptor is still its own (see gate.h). */
static void gate_shut(struct gate *g, struct gate_conn *c)
{
	shutdown(c->fd, SHUT_RDWR);
	gate_uncount(g, c);
	gate_move(c, &g->shut, GATE_SHUT, 0);
}

static void gate_evict(struct gate *g, struct gate_conn *c)
{
	g->total.evicted++;
	if (c->state == GATE_HEAD)
		gate_close_own(g, c);
	else
		gate_shut(g, c);
}

static void gate_forget(struct gate *g, struct gate_conn *c)
{
	gate_uncount(g, c);
	gate_unlink(c);
	free(c);
}

/* ---- the gate's own replies ---- */

/* Our JSON error, with every security header (http/rawreply.h). */
static void gate_send_reply(int fd, int code, const struct error *err, int english,
                            const char *rid)
{
	struct strbuf out = STRBUF_INIT(RAWREPLY_MAX);

	/* Best effort, once: a new socket's send buffer takes these few hundred
	 * bytes at once, and a client that has gone needs no reply. */
	if (rawreply_format(&out, code, err, english, rid) == 0)
		send(fd, out.buf, out.len, MSG_NOSIGNAL | MSG_DONTWAIT);
	strbuf_release(&out);
}

/* Reads and drops what the client sent: 0 when there is no more for now,
 * 1 at its end (or an error), -1 past GATE_LINGER_BYTES. */
static int gate_drain(struct gate *g, struct gate_conn *c)
{
	for (;;) {
		ssize_t n = recv(c->fd, g->peek, g->peekcap, 0);

		if (n > 0) {
			c->drained += (size_t)n;
			if (c->drained > GATE_LINGER_BYTES)
				return -1;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			return 0;
		} else {
			return 1;
		}
	}
}

/* Registers one of ours for epoll's attention (new bytes, or the client's
 * end); 0, or -1 when it could not be (then closed). */
static int gate_watch(struct gate *g, struct gate_conn *c)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLRDHUP | EPOLLET, .data.ptr = c };

	/* Edge-triggered: bytes already there when it is added count as an edge. */
	if (epoll_ctl(g->ep, EPOLL_CTL_ADD, c->fd, &ev) == 0 || errno == EEXIST)
		return 0;
	pthread_mutex_lock(&g->mu);
	gate_close_own(g, c);
	pthread_mutex_unlock(&g->mu);
	return -1;
}

/*
 * Refuses a first head with our reply, then lingers: closing a socket with
 * unread data sends a reset, which can destroy the reply before the client
 * reads it, so what it still sends is read and dropped for a while first.
 */
static void gate_refuse(struct gate *g, struct gate_conn *c, int code, const struct error *err,
                        int english, int64_t now)
{
	char rid[48], addr[NETADDR_TEXT_MAX], q[600];
	struct netaddr a;
	int ended = gate_drain(g, c) != 0;

	snprintf(rid, sizeof(rid), "%llx-g%llx", (unsigned long long)vntime_now_ms(),
	         (unsigned long long)++g->seq);
	gate_send_reply(c->fd, code, err, english, rid);
	shutdown(c->fd, SHUT_WR);
	if (code != THC_ETIMEOUT && g->log_budget > 0) {
		g->log_budget--;
		netaddr_from_sockaddr((struct sockaddr *)&c->sa, c->salen, &a);
		netaddr_format(&a, addr, sizeof(addr));
		log_info("http.refused", "rid=%s addr=%s status=%d code=%s detail=%s", rid, addr,
		         error_http_status(code), error_slug(code), log_value(err->en, q, sizeof(q)));
	}
	pthread_mutex_lock(&g->mu);
	if (code == THC_ETIMEOUT)
		g->total.timed_out++;
	else
		g->total.bad_heads++;
	if (ended || g->linger.n >= GATE_LINGER_MAX) {
		gate_close_own(g, c);
		ended = 1;
	} else {
		gate_uncount(g, c);
		gate_move(c, &g->linger, GATE_LINGER, now);
	}
	pthread_mutex_unlock(&g->mu);
	if (!ended)
		gate_watch(g, c);
}

/* ---- first heads ---- */

static void gate_handoff(struct gate *g, struct gate_conn *c, int64_t now)
{
	struct gate_conn *t = calloc(1, sizeof(*t)), *o, *next;
	int fd = c->fd;

	pthread_mutex_lock(&g->mu);
	if (t == NULL) {
		gate_close_own(g, c);
		pthread_mutex_unlock(&g->mu);
		return;
	}
	epoll_ctl(g->ep, EPOLL_CTL_DEL, fd, NULL);      /* if it was watched */
	/* A transit entry with this descriptor is one that the engine closed
	 * without reporting it (it can, when out of memory): forget it. */
	for (o = g->transit.head; o; o = next) {
		next = o->next;
		if (o->fd == fd)
			gate_forget(g, o);
	}
	t->fd = fd;
	t->peer = c->peer;
	t->counted = c->counted;
	c->peer = NULL;
	c->counted = 0;
	c->fd = -1;
	gate_move(c, &g->dead, GATE_DEAD, 0);
	gate_move(t, &g->transit, GATE_TRANSIT, now);
	pthread_mutex_unlock(&g->mu);
	/* From here the engine may report t started and closed at any time:
	 * t is only touched again if the engine refused it (and closed fd). */
	if (g->handoff(g->handoff_ctx, fd, (struct sockaddr *)&c->sa, c->salen) < 0) {
		pthread_mutex_lock(&g->mu);
		gate_forget(g, t);
		pthread_mutex_unlock(&g->mu);
	}
}

/* New bytes on a connection whose first head is not complete: look at all
 * that has arrived (MSG_PEEK: libmicrohttpd reads it again) and decide.
 * 1 when it still waits for more, 0 when it is decided (gone from HEAD). */
static int gate_peek(struct gate *g, struct gate_conn *c, uint32_t events, int64_t now)
{
	struct head_info info;
	struct error err = ERROR_INIT;
	ssize_t n;
	int rc;

	do
		n = recv(c->fd, g->peek, g->peekcap, MSG_PEEK);
	while (n < 0 && errno == EINTR);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 1;
	if (n <= 0)
		goto close;                  /* gone before its head was complete */
	rc = head_check(g->peek, (size_t)n, &g->cfg.head, &info, &err);
	if (rc == HEAD_MORE && (size_t)n == g->peekcap)     /* cannot be: head.h's caps fit */
		rc = error_set(&err, THC_EHEADERS, "tiêu đề yêu cầu quá lớn",
		               "the request head is too large");
	if (rc == HEAD_MORE) {
		if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))
			goto close;              /* nothing more will come */
		return 1;
	}
	if (rc < 0)
		gate_refuse(g, c, rc, &err, info.english, now);
	else
		gate_handoff(g, c, now);
	return 0;
close:
	pthread_mutex_lock(&g->mu);
	gate_close_own(g, c);
	pthread_mutex_unlock(&g->mu);
	return 0;
}

static void gate_linger(struct gate *g, struct gate_conn *c)
{
	if (gate_drain(g, c) != 0) {
		pthread_mutex_lock(&g->mu);
		gate_close_own(g, c);
		pthread_mutex_unlock(&g->mu);
	}
}

/* ---- accepting ---- */

static void gate_listen_events(struct gate *g, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = &g->lfd };

	epoll_ctl(g->ep, EPOLL_CTL_MOD, g->lfd, &ev);
}

/* Out of descriptors: drop the connection waiting longest, and stop
 * polling the listening socket for a moment (it stays readable, and the
 * loop would spin). */
static void gate_pause(struct gate *g, int64_t now)
{
	pthread_mutex_lock(&g->mu);
	if (g->waiting.head)
		gate_evict(g, g->waiting.head);
	pthread_mutex_unlock(&g->mu);
	gate_listen_events(g, 0);
	g->paused_until = now + GATE_PAUSE_MS;
	log_warn("http.gate", "msg=\"out of file descriptors\" errno=%d", errno);
}

/* The new connection's entry, or NULL when it was refused. */
static struct gate_conn *gate_admit(struct gate *g, int fd, const struct sockaddr_storage *sa,
                                    socklen_t salen, int64_t now)
{
	struct gate_conn *c = calloc(1, sizeof(*c));
	struct netaddr a;

	if (c == NULL) {
		close(fd);
		return NULL;
	}
	netaddr_from_sockaddr((const struct sockaddr *)sa, salen, &a);
	c->fd = fd;
	c->sa = *sa;
	c->salen = salen;
	pthread_mutex_lock(&g->mu);
	if (!gate_addr_allows(g, &a) ||
	    (g->open >= g->cfg.max_conn && g->waiting.head == NULL)) {
		g->total.refused++;
		pthread_mutex_unlock(&g->mu);
		close(fd);
		free(c);
		return NULL;
	}
	/* Full: the connection waiting longest for its head makes room. */
	while (g->open >= g->cfg.max_conn && g->waiting.head)
		gate_evict(g, g->waiting.head);
	gate_count(g, c, &a);
	gate_move(c, &g->waiting, GATE_HEAD, now);
	pthread_mutex_unlock(&g->mu);
	return c;
}

static void gate_accept(struct gate *g, int64_t now)
{
	for (int i = 0; i < GATE_ACCEPT_BATCH; i++) {
		struct sockaddr_storage sa;
		socklen_t salen = sizeof(sa);
		int fd = accept4(g->lfd, (struct sockaddr *)&sa, &salen, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd >= 0) {
			struct gate_conn *c = gate_admit(g, fd, &sa, salen, now);

			/* Most clients send their request with the connection: it
			 * is looked at now, and watched only when incomplete. */
			if (c != NULL && gate_peek(g, c, 0, now) == 1)
				gate_watch(g, c);
			continue;
		}
		if (errno == EINTR || errno == ECONNABORTED)
			continue;
		if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
			gate_pause(g, now);
		return;
	}
}

/* ---- deadlines ---- */

static void gate_tick(struct gate *g, int64_t now)
{
	static const struct error late = { .code = THC_ETIMEOUT,
		.vi = "yêu cầu không gửi đủ tiêu đề kịp thời hạn",
		.en = "the request headers did not arrive in time" };
	struct gate_conn *c;

	pthread_mutex_lock(&g->mu);
	while ((c = g->waiting.head) && now - c->since_ms >= g->cfg.header_ms) {
		if (c->state == GATE_HEAD) {
			gate_unlink(c);          /* gate_refuse() moves it on */
			pthread_mutex_unlock(&g->mu);
			gate_refuse(g, c, THC_ETIMEOUT, &late, 0, now);
			pthread_mutex_lock(&g->mu);
		} else {
			g->total.timed_out++;
			gate_shut(g, c);
		}
	}
	while ((c = g->body.head) && now - c->since_ms >= g->cfg.body_ms) {
		g->total.timed_out++;
		gate_shut(g, c);
	}
	while ((c = g->linger.head) && now - c->since_ms >= GATE_LINGER_MS)
		gate_close_own(g, c);
	while ((c = g->transit.head) && now - c->since_ms >= GATE_TRANSIT_MS)
		gate_forget(g, c);
	pthread_mutex_unlock(&g->mu);
	if (g->paused_until && now >= g->paused_until && !g->quiesced) {
		g->paused_until = 0;
		gate_listen_events(g, EPOLLIN);
	}
}

static int gate_wait_ms(struct gate *g, int64_t now)
{
	int64_t next = now + GATE_TICK_MS;

	pthread_mutex_lock(&g->mu);
	if (g->waiting.head && g->waiting.head->since_ms + g->cfg.header_ms < next)
		next = g->waiting.head->since_ms + g->cfg.header_ms;
	if (g->body.head && g->body.head->since_ms + g->cfg.body_ms < next)
		next = g->body.head->since_ms + g->cfg.body_ms;
	pthread_mutex_unlock(&g->mu);
	return next <= now ? 0 : (int)(next - now);
}

/* What was shed in the last interval, in one line rather than one a connection. */
static void gate_log(struct gate *g, int64_t now)
{
	struct gate_counts c;

	if (now - g->logged_ms < GATE_LOG_MS)
		return;
	gate_counts(g, &c);
	if (c.refused != g->logged.refused || c.evicted != g->logged.evicted ||
	    c.timed_out != g->logged.timed_out || c.bad_heads != g->logged.bad_heads)
		log_info("http.gate", "open=%u waiting=%u refused=%llu evicted=%llu timed_out=%llu "
		         "bad_heads=%llu", c.open, c.waiting,
		         (unsigned long long)(c.refused - g->logged.refused),
		         (unsigned long long)(c.evicted - g->logged.evicted),
		         (unsigned long long)(c.timed_out - g->logged.timed_out),
		         (unsigned long long)(c.bad_heads - g->logged.bad_heads));
	g->logged = c;
	g->logged_ms = now;
	g->log_budget = GATE_LOG_REFUSALS;
}

static void gate_do_quiesce(struct gate *g)
{
	struct gate_conn *c, *next;

	g->quiesced = 1;
	epoll_ctl(g->ep, EPOLL_CTL_DEL, g->lfd, NULL);
	close(g->lfd);
	g->lfd = -1;
	pthread_mutex_lock(&g->mu);
	for (c = g->waiting.head; c; c = next) {
		next = c->next;
		if (c->state == GATE_HEAD)
			gate_close_own(g, c);
	}
	g->quiet_done = 1;
	pthread_cond_broadcast(&g->quiet);
	pthread_mutex_unlock(&g->mu);
}

static void gate_bury(struct gate *g)
{
	struct gate_conn *c;

	pthread_mutex_lock(&g->mu);
	while ((c = g->dead.head) != NULL) {
		gate_unlink(c);
		free(c);
	}
	pthread_mutex_unlock(&g->mu);
}

static void *gate_main(void *arg)
{
	struct gate *g = arg;
	struct epoll_event ev[GATE_EVENTS];

	while (!atomic_load(&g->stop)) {
		int64_t now = gate_now();
		int n = epoll_wait(g->ep, ev, GATE_EVENTS, gate_wait_ms(g, now));

		now = gate_now();
		for (int i = 0; i < n; i++) {
			void *p = ev[i].data.ptr;

			if (p == &g->lfd) {
				if (!g->quiesced && !g->paused_until)
					gate_accept(g, now);
			} else if (p == &g->wake) {
				uint64_t v;    /* reset; the flags are read below */
				if (read(g->wake, &v, sizeof(v)) < 0 && errno != EAGAIN)
					log_warn("http.gate", "msg=\"wake-up read failed\" errno=%d", errno);
			} else {
				struct gate_conn *c = p;
				if (c->state == GATE_HEAD)
					gate_peek(g, c, ev[i].events, now);
				else if (c->state == GATE_LINGER)
					gate_linger(g, c);
			}
		}
		if (atomic_load(&g->quiesce) && !g->quiesced)
			gate_do_quiesce(g);
		gate_tick(g, now);
		gate_bury(g);
		gate_log(g, now);
	}
	return NULL;
}

/* ---- setting up ---- */

int gate_listen(const struct sockaddr *sa, socklen_t salen, int *out, struct error *err)
{
	int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		goto fail;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    (sa->sa_family == AF_INET6 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) < 0) ||
	    bind(fd, sa, salen) < 0 || listen(fd, SOMAXCONN) < 0)
		goto fail;
	*out = fd;
	return 0;
fail:
	error_set(err, THC_EUNAVAILABLE, "không mở được cổng: %s", "cannot listen: %s",
	          strerror(errno));
	if (fd >= 0)
		close(fd);
	return THC_EUNAVAILABLE;
}

static void gate_wake(struct gate *g)
{
	uint64_t one = 1;

	if (write(g->wake, &one, sizeof(one)) < 0)
		return;                      /* the counter is full: it is awake anyway */
}

int gate_start(const struct gate_config *cfg, int listen_fd, gate_handoff_fn *fn, void *ctx,
               struct gate **out, struct error *err)
{
	struct gate *g = calloc(1, sizeof(*g));
	struct epoll_event lev = { .events = EPOLLIN }, wev = { .events = EPOLLIN };
	size_t buckets = 64;

	if (g == NULL) {
		close(listen_fd);
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	}
	g->cfg = *cfg;
	g->cfg.nexempt = cfg->nexempt < NETADDR_LIST_MAX ? cfg->nexempt : NETADDR_LIST_MAX;
	if (g->cfg.nexempt)
		memcpy(g->exempt, cfg->exempt, g->cfg.nexempt * sizeof(g->exempt[0]));
	g->cfg.exempt = g->exempt;
	g->handoff = fn;
	g->handoff_ctx = ctx;
	g->lfd = listen_fd;
	g->wake = g->ep = -1;
	g->log_budget = GATE_LOG_REFUSALS;
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->quiet, NULL);
	while (buckets < 2 * (size_t)cfg->max_conn)
		buckets *= 2;
	g->npeers = buckets;
	g->peers = calloc(buckets, sizeof(*g->peers));
	/* Room for the largest head head.h lets through, and for blank lines. */
	g->peekcap = cfg->head.max_line + cfg->head.max_fields + 64;
	g->peek = malloc(g->peekcap);
	if (g->peers == NULL || g->peek == NULL) {
		error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
		goto fail;
	}
	g->ep = epoll_create1(EPOLL_CLOEXEC);
	g->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	lev.data.ptr = &g->lfd;
	wev.data.ptr = &g->wake;
	if (g->ep < 0 || g->wake < 0 || epoll_ctl(g->ep, EPOLL_CTL_ADD, listen_fd, &lev) < 0 ||
	    epoll_ctl(g->ep, EPOLL_CTL_ADD, g->wake, &wev) < 0)
		goto fail_sys;
	/* Published before the thread runs: the first connection it hands over
	 * may reach gate_conn_started() before pthread_create() returns here. */
	*out = g;
	if (pthread_create(&g->thread, NULL, gate_main, g) != 0) {
		*out = NULL;
		goto fail_sys;
	}
	g->thread_started = 1;
	return 0;
fail_sys:
	error_set(err, THC_EINTERNAL, "không khởi động được luồng nhận kết nối: %s",
	          "cannot start the accepting thread: %s", strerror(errno));
fail:
	gate_free(g);
	return err->code;
}

/* Waits until the thread has done it: then no hand-off is under way, and
 * the engine may be stopped. */
void gate_quiesce(struct gate *g)
{
	atomic_store(&g->quiesce, 1);
	gate_wake(g);
	pthread_mutex_lock(&g->mu);
	while (!g->quiet_done)
		pthread_cond_wait(&g->quiet, &g->mu);
	pthread_mutex_unlock(&g->mu);
}

static void gate_free_list(struct gate *g, struct gate_list *l, int close_fds)
{
	struct gate_conn *c;

	while ((c = l->head) != NULL) {
		if (close_fds && c->fd >= 0)
			close(c->fd);
		gate_forget(g, c);
	}
}

void gate_free(struct gate *g)
{
	if (g == NULL)
		return;
	if (g->thread_started) {
		atomic_store(&g->stop, 1);
		gate_wake(g);
		pthread_join(g->thread, NULL);
	}
	/* The engine has stopped: what is left is the gate's own, or entries
	 * it never reported. */
	for (struct gate_conn *c = g->waiting.head; c; c = c->next)
		if (c->state != GATE_HEAD)
			c->fd = -1;
	gate_free_list(g, &g->waiting, 1);
	gate_free_list(g, &g->linger, 1);
	gate_free_list(g, &g->dead, 0);
	gate_free_list(g, &g->transit, 0);
	gate_free_list(g, &g->body, 0);
	gate_free_list(g, &g->busy, 0);
	gate_free_list(g, &g->shut, 0);
	free(g->peers);
	free(g->peek);
	if (g->ep >= 0)
		close(g->ep);
	if (g->wake >= 0)
		close(g->wake);
	if (g->lfd >= 0)
		close(g->lfd);
	pthread_cond_destroy(&g->quiet);
	pthread_mutex_destroy(&g->mu);
	free(g);
}

/* ---- from the engine's threads ---- */

struct gate_conn *gate_conn_started(struct gate *g, int fd, const struct sockaddr *sa,
                                    socklen_t salen)
{
	struct gate_conn *c;

	pthread_mutex_lock(&g->mu);
	for (c = g->transit.tail; c && c->fd != fd; c = c->prev)
		;
	if (c == NULL && (c = calloc(1, sizeof(*c))) != NULL) {
		/* Forgotten in transit: count it again. */
		struct netaddr a;

		netaddr_from_sockaddr(sa, salen, &a);
		c->fd = fd;
		gate_count(g, c, &a);
	}
	if (c)
		gate_move(c, &g->body, GATE_BODY, gate_now());
	pthread_mutex_unlock(&g->mu);
	return c;
}

void gate_conn_head(struct gate *g, struct gate_conn *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&g->mu);
	if (c->state == GATE_IDLE || c->state == GATE_BODY)
		gate_move(c, &g->body, GATE_BODY, gate_now());
	pthread_mutex_unlock(&g->mu);
}

void gate_conn_busy(struct gate *g, struct gate_conn *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&g->mu);
	if (c->state == GATE_IDLE || c->state == GATE_BODY)
		gate_move(c, &g->busy, GATE_BUSY, 0);
	pthread_mutex_unlock(&g->mu);
}

void gate_conn_idle(struct gate *g, struct gate_conn *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&g->mu);
	if (c->state == GATE_BODY || c->state == GATE_BUSY || c->state == GATE_IDLE)
		gate_move(c, &g->waiting, GATE_IDLE, gate_now());
	pthread_mutex_unlock(&g->mu);
}

void gate_conn_closing(struct gate *g, struct gate_conn *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&g->mu);
	if (c->state == GATE_BODY || c->state == GATE_BUSY || c->state == GATE_IDLE) {
		gate_uncount(g, c);
		gate_move(c, &g->shut, GATE_SHUT, 0);
	}
	pthread_mutex_unlock(&g->mu);
}

void gate_conn_closed(struct gate *g, struct gate_conn *c)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&g->mu);
	gate_forget(g, c);
	pthread_mutex_unlock(&g->mu);
}

void gate_counts(struct gate *g, struct gate_counts *out)
{
	pthread_mutex_lock(&g->mu);
	*out = g->total;
	out->open = g->open;
	out->waiting = g->waiting.n;
	out->lingering = g->linger.n;
	pthread_mutex_unlock(&g->mu);
}
