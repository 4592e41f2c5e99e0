/*
 * The gate: the server's door.  It owns the listening socket, and hands a
 * connection to the HTTP engine (libmicrohttpd, through gate_handoff_fn)
 * only once its first request head has arrived whole and passed
 * http/head.h.  It keeps the deadlines and the limits of every connection,
 * the handed-over ones too, which the engine reports with gate_conn_*().
 *
 * Why, with libmicrohttpd 0.9.75: its idle timeout restarts with every
 * byte received, so a client sending one byte every few seconds holds a
 * connection for ever; at its connection limit it stops accepting, so a
 * server full of such clients serves no one; and the pages it writes itself
 * for a head it cannot take (414, 431, 400, 505) carry none of our headers,
 * with no hook to add them.  Here:
 *   - a request head must be complete within header_ms of the accept (or of
 *     the end of the previous request on a kept-alive connection), a body
 *     within body_ms of its head, even when the client sends nothing;
 *   - at most max_conn connections are open, at most max_per_addr from one
 *     address; at max_conn, the connection that has waited longest for its
 *     head is dropped to make room for the new one, so complete requests
 *     keep being served;
 *   - a first head that would be refused gets thichung's own reply (JSON,
 *     our security headers), and libmicrohttpd never sees it.  Heads after
 *     the first on a kept-alive connection go to libmicrohttpd directly;
 *     http/server.c checks them again, within libmicrohttpd's buffer.
 *
 * Threads: the gate runs one thread (accept, heads, deadlines); the
 * gate_conn_* calls come from the engine's threads.  One mutex guards the
 * table.  A handed-over socket is only ever shut down (shutdown(2), never
 * closed) by the gate, under that mutex; libmicrohttpd reports a
 * connection's end (gate_conn_closed, which takes the mutex) before it
 * closes the descriptor (daemon.c, MHD_cleanup_connections, in 0.9.75), so
 * the descriptor shut down always still belongs to that connection.
 */
#ifndef THC_HTTP_GATE_H
#define THC_HTTP_GATE_H

#include <stdint.h>
#include <sys/socket.h>
#include "base/error.h"
#include "http/head.h"
#include "http/netaddr.h"

struct gate;
struct gate_conn;

struct gate_config {
	unsigned max_conn;               /* open at once, here and handed over */
	unsigned max_per_addr;           /* from one client address; 0: no limit */
	const struct netaddr *exempt;    /* not limited per address (trusted proxies) */
	size_t nexempt;
	int64_t header_ms;               /* accept (or previous request's end) to the end of the head */
	int64_t body_ms;                 /* end of the head to the end of the body */
	struct head_limits head;
};

/* Gives the engine a connected socket whose first head is complete; the
 * engine owns fd from then on, and closes it itself on failure (as
 * MHD_add_connection does).  0 when taken, < 0 when refused. */
typedef int gate_handoff_fn(void *ctx, int fd, const struct sockaddr *sa, socklen_t salen);

/* A listening socket on that address (SO_REUSEADDR, non-blocking). */
int gate_listen(const struct sockaddr *sa, socklen_t salen, int *fd, struct error *err);

/* Starts the gate's thread on listen_fd (which it closes when done). */
int gate_start(const struct gate_config *cfg, int listen_fd, gate_handoff_fn *fn, void *ctx,
               struct gate **out, struct error *err);
/* Stops accepting and closes the connections whose first head has not
 * arrived; deadlines keep running for the others.  Returns once done: no
 * hand-off happens after it, so the engine may then be stopped. */
void gate_quiesce(struct gate *g);
/* Stops the thread and frees everything.  Call after the engine has
 * stopped (it reports every close first). */
void gate_free(struct gate *g);

/* ---- from the engine's threads, for connections it was handed ---- */
/* A handed-over connection starts (fd, and its peer's address): the entry
 * to pass to the calls below (libmicrohttpd's socket context), or NULL
 * when out of memory. */
struct gate_conn *gate_conn_started(struct gate *g, int fd, const struct sockaddr *sa,
                                    socklen_t salen);
/* Its request head is complete: the body deadline starts. */
void gate_conn_head(struct gate *g, struct gate_conn *c);
/* Its body is complete: no deadline of the gate while the handler runs and
 * the response goes out (the engine's idle timeout still applies). */
void gate_conn_busy(struct gate *g, struct gate_conn *c);
/* Its request is over; kept alive, it waits for the next head. */
void gate_conn_idle(struct gate *g, struct gate_conn *c);
/* Its request is over and the engine closes it (the client asked to, or it
 * went away): no longer counted against the limits, so that a client
 * opening a connection for each request is not refused while the engine
 * finishes closing the previous one. */
void gate_conn_closing(struct gate *g, struct gate_conn *c);
/* It ends; called before the engine closes the descriptor.  Frees c. */
void gate_conn_closed(struct gate *g, struct gate_conn *c);

struct gate_counts {
	unsigned open;                   /* counted against max_conn */
	unsigned waiting;                /* first head not complete, or kept alive and idle */
	unsigned lingering;              /* refused, reading what the client still sends */
	uint64_t refused;                /* at max_per_addr, or full with nothing to drop */
	uint64_t evicted;                /* dropped to make room */
	uint64_t timed_out;              /* head, body or idle deadline passed */
	uint64_t bad_heads;              /* refused with a 4xx reply of the gate */
};
void gate_counts(struct gate *g, struct gate_counts *out);

#endif
