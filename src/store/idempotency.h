/*
 * Idempotency keys (idempotency.c): a client that sends a write again
 * with the same Idempotency-Key (after a lost answer, or from an offline
 * queue) gets the first answer and nothing is written twice.
 *
 * The key's row is inserted by store_write inside the write's own
 * transaction (store_actor.idem), so it exists exactly when the write
 * committed, whichever connection of a group commit ran it; the answer
 * is recorded just after by store_idem_answer.  Rows are kept at least
 * IDEM_KEEP_MS.
 */
#ifndef THC_STORE_IDEMPOTENCY_H
#define THC_STORE_IDEMPOTENCY_H

#include <stddef.h>
#include <stdint.h>
#include "base/arena.h"
#include "base/error.h"

struct store;

#define IDEM_KEY_MIN 16                  /* a UUID has 36 */
#define IDEM_KEY_MAX 128
#define IDEM_FP_LEN 64                   /* SHA-256 in hex */
#define IDEM_KEEP_MS (7LL * 24 * 3600 * 1000)
#define IDEM_BODY_MAX (256u << 10)       /* longer answers are kept without their body */

/* One request's key, carried by its store_actor into the write. */
struct store_idem {
	int64_t owner;                       /* user id; 0: anonymous */
	const char *key;
	char fingerprint[IDEM_FP_LEN + 1];
	int64_t now_ms;
	int pending;                         /* inserted in a transaction not yet ended */
	int committed;                       /* a write with this key committed */
};

/* What a key's row holds. */
struct idem_row {
	char fingerprint[IDEM_FP_LEN + 1];
	int answered;                        /* status (and maybe the body) recorded */
	int status;
	const char *content_type, *body;     /* in the arena; body NULL: not kept */
	size_t body_len;
};

/* 1 and *out when owner has used key, 0 when not. */
int store_idem_find(struct store *st, int64_t owner, const char *key, struct arena *a,
                    struct idem_row *out, struct error *err);
/* Inside a write's transaction (write.c): the key's row, once per request;
 * THC_ECONFLICT when a request with the same key committed first. */
int store_idem_insert(struct store *st, struct store_idem *k, struct error *err);
/* After the write committed: the answer to give again (body may be NULL). */
int store_idem_answer(struct store *st, const struct store_idem *k, int status,
                      const char *content_type, const char *body, size_t len,
                      struct error *err);

#endif
