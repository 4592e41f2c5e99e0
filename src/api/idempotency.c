/*
 * Idempotency-Key on writes (store/idempotency.h says how the key's row
 * commits with the write).  A client that did not get the answer to a
 * write, or that sends its offline queue again, repeats the request with
 * the same key: it gets the first answer, marked Idempotent-Replayed, and
 * nothing is written twice.  The same key with another request is refused
 * (422): the client has a bug, and guessing would lose one of the two.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/log.h"
#include "base/banned.h"

static int idem_writes(const char *method)
{
	return strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
	       strcmp(method, "PATCH") == 0 || strcmp(method, "DELETE") == 0;
}

/* Printable ASCII without spaces, quotes or commas: a UUID or a ULID fits. */
static int idem_key_ok(const char *k)
{
	size_t n = strlen(k);

	if (n < IDEM_KEY_MIN || n > IDEM_KEY_MAX)
		return 0;
	for (const char *p = k; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || strchr("-_.:~+/=", *p)))
			return 0;
	return 1;
}

int api_idem_key(struct api_ctx *r, const char **key)
{
	const char *k = http_header(r->http, "Idempotency-Key");

	*key = NULL;
	if (k == NULL || !idem_writes(r->http->method))
		return 0;
	if (!idem_key_ok(k))
		return error_set_at(&r->err, THC_EINVAL, "Idempotency-Key",
		                    "Idempotency-Key phải dài %d–%d ký tự, gồm chữ không dấu, số và"
		                    " - _ . : ~ + / = (nên dùng một UUID mới cho mỗi lần ghi)",
		                    "Idempotency-Key must be %d to %d characters of ASCII letters,"
		                    " digits and - _ . : ~ + / = (a new UUID for each write is best)",
		                    IDEM_KEY_MIN, IDEM_KEY_MAX);
	*key = k;
	return 0;
}

/* SHA-256 of what makes two requests the same: method, target, an API key
 * (a session token is left out: a queue sent again after signing in again
 * is the same request) and the body. */
static void idem_fingerprint(struct api_ctx *r, char out[IDEM_FP_LEN + 1])
{
	const struct http_req *h = r->http;
	const char *auth = http_header(r->http, "Authorization");
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_state s;

	crypto_hash_sha256_init(&s);
	crypto_hash_sha256_update(&s, (const unsigned char *)h->method, strlen(h->method) + 1);
	crypto_hash_sha256_update(&s, (const unsigned char *)h->target, strlen(h->target) + 1);
	if (auth && strncmp(auth, "ApiKey ", 7) == 0)
		crypto_hash_sha256_update(&s, (const unsigned char *)auth, strlen(auth) + 1);
	crypto_hash_sha256_update(&s, (const unsigned char *)h->body.buf, h->body.len);
	crypto_hash_sha256_final(&s, d);
	sodium_bin2hex(out, IDEM_FP_LEN + 1, d, sizeof(d));
}

/* The first answer again. */
static int idem_replay(struct api_ctx *r, const struct idem_row *row)
{
	static const char not_kept[] = "{\"idempotent_replay\":true}";
	const char *body = row->body ? row->body : not_kept;
	size_t len = row->body ? row->body_len : sizeof(not_kept) - 1;
	char *copy = malloc(len ? len : 1);

	if (copy == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	memcpy(copy, body, len);
	http_add_header(r->http, "Idempotent-Replayed", "true");
	return http_reply_bytes(r->http, (unsigned)row->status,
	                        row->body && row->content_type ? row->content_type
	                                                       : "application/json; charset=utf-8",
	                        copy, len);
}

int api_idem_begin(struct api_ctx *r, const char *key)
{
	struct store_idem *k = arena_alloc(r->arena, sizeof(*k));
	struct idem_row row;
	int rc;

	if (k == NULL)
		return error_set(&r->err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	memset(k, 0, sizeof(*k));
	k->owner = r->user ? r->user->id : 0;
	k->key = key;
	k->now_ms = r->actor.now_ms;
	idem_fingerprint(r, k->fingerprint);
	if ((rc = store_idem_find(r->st, k->owner, key, r->arena, &row, &r->err)) < 0)
		return rc;
	if (rc == 1 && strcmp(row.fingerprint, k->fingerprint) != 0)
		return error_set_at(&r->err, THC_EUNPROCESSABLE, "Idempotency-Key",
		                    "Idempotency-Key này đã dùng cho một yêu cầu khác; mỗi lần ghi"
		                    " cần một khóa mới",
		                    "this Idempotency-Key was used for another request; each write"
		                    " needs a new key");
	if (rc == 1 && !row.answered) {
		http_add_header(r->http, "Retry-After", "1");
		return error_set_at(&r->err, THC_ECONFLICT, "Idempotency-Key",
		                    "yêu cầu đầu tiên với Idempotency-Key này đã được ghi và đang hoàn"
		                    " tất; gửi lại sau giây lát để nhận câu trả lời",
		                    "the first request with this Idempotency-Key was applied and is"
		                    " being completed; send it again in a moment for its answer");
	}
	if (rc == 1)
		return idem_replay(r, &row) < 0 ? THC_ENOMEM : 1;
	r->actor.idem = k;
	r->http->keep_reply = 1;        /* its answer is recorded by api_idem_end */
	return 0;
}

void api_idem_end(struct api_ctx *r)
{
	const struct http_req *h = r->http;
	struct store_idem *k = r->actor.idem;
	struct error e = ERROR_INIT;
	char q[600];

	if (k == NULL || !k->committed || r->st == NULL)
		return;
	/* A reply not kept whole (out of memory) is recorded without a body. */
	if (store_idem_answer(r->st, k, h->replied ? h->status : 500, h->reply_type,
	                      h->reply_body, h->reply_len, &e) < 0)
		log_warn("idempotency.answer", "error=%s", log_value(e.en, q, sizeof(q)));
}
