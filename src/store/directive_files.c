/*
 * Files attached to a directive: added and deleted by the issuing chain,
 * listed and read by whoever may see the directive.  The bytes are kept as
 * base64 text (schema_directive_links.c says why) with their SHA-256.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/attachment.h"
#include "domain/unit.h"
#include "store/directives-private.h"
#include "base/banned.h"

#define FILE_COLS "id, directive_id, filename, content_type, size, sha256, created_by, created_at"

static void file_read(struct sql_stmt *s, struct arena *a, struct directive_file *f)
{
	f->id = sql_col_int64(s, 0);
	f->directive_id = sql_col_int64(s, 1);
	f->filename = arena_strdup(a, sql_col_text(s, 2));
	f->content_type = arena_strdup(a, sql_col_text(s, 3));
	f->size = sql_col_int64(s, 4);
	snprintf(f->sha256, sizeof(f->sha256), "%s", sql_col_text(s, 5) ? sql_col_text(s, 5) : "");
	f->created_by = arena_strdup(a, sql_col_text(s, 6));
	f->created_at = sql_col_int64(s, 7);
}

static void file_sha256(const unsigned char *data, size_t len, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

/* ---- adding ---- */

struct file_add {
	struct directive_file *f;
	const unsigned char *data;
	size_t len;
	char issuer[UNIT_CODE_MAX];
};

static int file_count(struct store *st, int64_t id, int64_t *n, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	/* Locks the directive's row first: two uploads at once count in turn. */
	if ((rc = sql_prepare(st, "UPDATE directives SET created_at = created_at WHERE id = $1",
	                      &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	if ((rc = sql_exec_stmt(s, NULL, err)) < 0)
		return rc;
	if ((rc = sql_prepare(st, "SELECT COUNT(*) FROM directive_attachments WHERE directive_id = $1",
	                      &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	return sql_exec_stmt(s, n, err);
}

static int file_add_body(struct store *st, void *ctx, struct store_audit *au,
                         struct error *err)
{
	struct file_add *C = ctx;
	struct directive_file *f = C->f;
	size_t b64len = sodium_base64_ENCODED_LEN(C->len, sodium_base64_VARIANT_ORIGINAL);
	struct sql_stmt *s;
	int64_t n;
	char *b64;
	int rc;

	if ((rc = file_count(st, f->directive_id, &n, err)) < 0)
		return rc;
	if (n >= ATTACHMENTS_MAX)
		return error_set(err, THC_ECONFLICT, "văn bản đã có đủ %d tệp đính kèm",
		                 "the directive already has %d attached files", ATTACHMENTS_MAX);
	if ((b64 = malloc(b64len)) == NULL)
		return store_oom(err);
	sodium_bin2base64(b64, b64len, C->data, C->len, sodium_base64_VARIANT_ORIGINAL);
	rc = sql_prepare(st, "INSERT INTO directive_attachments (directive_id, filename, content_type,"
	                 " size, sha256, content, created_by, created_at) VALUES ($1, $2, $3, $4, $5,"
	                 " $6, $7, $8) RETURNING id", &s, err);
	if (rc == 0) {
		sql_bind_int64(s, 1, f->directive_id);
		sql_bind_text(s, 2, f->filename);
		sql_bind_text(s, 3, f->content_type);
		sql_bind_int64(s, 4, (int64_t)C->len);
		sql_bind_text(s, 5, f->sha256);
		sql_bind_text(s, 6, b64);
		sql_bind_text(s, 7, au->actor->username ? au->actor->username : "system");
		sql_bind_int64(s, 8, au->actor->now_ms);
		rc = sql_exec_stmt(s, &f->id, err);
	}
	free(b64);
	if (rc < 0)
		return rc;
	au->action = "directive.attach";
	au->entity = "directive";
	store_audit_id(au, f->directive_id);
	au->unit_code = arena_strdup(&au->arena, C->issuer);
	au->after = json_pack("{s:I,s:s,s:s,s:I,s:s}", "file_id", (json_int_t)f->id, "filename",
	                      f->filename, "content_type", f->content_type, "size",
	                      (json_int_t)C->len, "sha256", f->sha256);
	return au->after ? 0 : store_oom(err);
}

int store_directive_file_add(struct store *st, const struct store_actor *actor,
                             struct directive_file *f, const unsigned char *data, size_t len,
                             struct error *err)
{
	struct file_add C = { .f = f, .data = data, .len = len };
	const char *kind = attachment_sniff(data, len);
	int rc;

	/* The caller checked these; a store used elsewhere keeps them too. */
	if (len == 0 || len > ATTACHMENT_SIZE_MAX)
		return error_set(err, THC_ETOOBIG, "tệp phải có 1 byte đến %zu byte",
		                 "a file must hold 1 to %zu bytes", ATTACHMENT_SIZE_MAX);
	if (kind == NULL)
		return error_set(err, THC_EMEDIATYPE,
		                 "chỉ nhận tệp PDF, JPEG, PNG, DOCX hoặc XLSX",
		                 "only PDF, JPEG, PNG, DOCX or XLSX files are accepted");
	if ((rc = attachment_name_check(f->filename, "filename", err)) < 0 ||
	    (rc = store_directive_issuer_check(st, actor, f->directive_id, C.issuer,
	                                       sizeof(C.issuer), err)) < 0)
		return rc;
	f->content_type = kind;
	f->size = (int64_t)len;
	file_sha256(data, len, f->sha256);
	return store_write(st, actor, file_add_body, &C, err);
}

/* ---- reading ---- */

int store_directive_files(struct store *st, const struct store_actor *actor, int64_t id,
                          struct arena *a, struct directive_file **out, size_t *n,
                          struct error *err)
{
	struct sql_stmt *s;
	int rc;

	*n = 0;
	if ((rc = store_directive_visible(st, actor, id, err)) < 0)
		return rc;
	if ((*out = arena_alloc(a, (ATTACHMENTS_MAX + 1) * sizeof(**out))) == NULL)
		return store_oom(err);
	if ((rc = sql_prepare(st, "SELECT " FILE_COLS " FROM directive_attachments"
	                      " WHERE directive_id = $1 ORDER BY id LIMIT $2", &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, ATTACHMENTS_MAX + 1);
	while ((rc = sql_step(s, err)) == 1 && *n <= ATTACHMENTS_MAX)
		file_read(s, a, &(*out)[(*n)++]);
	sql_done(s);
	return rc < 0 ? rc : 0;
}

static int file_not_found(struct error *err, int64_t id, int64_t file_id)
{
	return error_set(err, THC_ENOTFOUND, "văn bản %lld không có tệp %lld",
	                 "directive %lld has no file %lld", (long long)id, (long long)file_id);
}

/* The base64 text as bytes, checked against the stored size. */
static int file_decode(const char *b64, int64_t size, unsigned char **data, size_t *len,
                       struct error *err)
{
	size_t cap = (size_t)size + 1;

	if ((*data = malloc(cap)) == NULL)
		return store_oom(err);
	if (b64 == NULL || sodium_base642bin(*data, cap, b64, strlen(b64), NULL, len, NULL,
	                                     sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    *len != (size_t)size) {
		free(*data);
		*data = NULL;
		return error_set(err, THC_ESTORE, "tệp đính kèm hỏng", "an attached file is damaged");
	}
	return 0;
}

int store_directive_file_get(struct store *st, const struct store_actor *actor, int64_t id,
                             int64_t file_id, struct arena *a, struct directive_file *f,
                             unsigned char **data, size_t *len, struct error *err)
{
	struct sql_stmt *s;
	int rc;

	*data = NULL;
	*len = 0;
	if ((rc = store_directive_visible(st, actor, id, err)) < 0)
		return rc;
	if ((rc = sql_prepare(st, "SELECT " FILE_COLS ", content FROM directive_attachments"
	                      " WHERE directive_id = $1 AND id = $2", &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, id);
	sql_bind_int64(s, 2, file_id);
	if ((rc = sql_step(s, err)) == 1) {
		file_read(s, a, f);
		if (file_decode(sql_col_text(s, 8), f->size, data, len, err) < 0)
			rc = THC_ESTORE;
	}
	sql_done(s);
	if (rc == 0)
		return file_not_found(err, id, file_id);
	return rc < 0 ? rc : 0;
}

/* ---- deleting ---- */

struct file_del {
	int64_t id, file_id;
	char issuer[UNIT_CODE_MAX];
};

static int file_delete_body(struct store *st, void *ctx, struct store_audit *au,
                            struct error *err)
{
	struct file_del *C = ctx;
	struct directive_file f;
	struct sql_stmt *s;
	int rc;

	if ((rc = sql_prepare(st, "DELETE FROM directive_attachments WHERE directive_id = $1"
	                      " AND id = $2 RETURNING " FILE_COLS, &s, err)) < 0)
		return rc;
	sql_bind_int64(s, 1, C->id);
	sql_bind_int64(s, 2, C->file_id);
	if ((rc = sql_step(s, err)) == 1)
		file_read(s, &au->arena, &f);
	sql_done(s);
	if (rc < 0)
		return rc;
	if (rc == 0)
		return file_not_found(err, C->id, C->file_id);
	au->action = "directive.detach";
	au->entity = "directive";
	store_audit_id(au, C->id);
	au->unit_code = arena_strdup(&au->arena, C->issuer);
	au->before = json_pack("{s:I,s:s,s:s,s:I,s:s}", "file_id", (json_int_t)f.id, "filename",
	                       f.filename, "content_type", f.content_type, "size",
	                       (json_int_t)f.size, "sha256", f.sha256);
	return au->before ? 0 : store_oom(err);
}

int store_directive_file_delete(struct store *st, const struct store_actor *actor, int64_t id,
                                int64_t file_id, struct error *err)
{
	struct file_del C = { .id = id, .file_id = file_id };
	int rc;

	if ((rc = store_directive_issuer_check(st, actor, id, C.issuer, sizeof(C.issuer), err)) < 0)
		return rc;
	return store_write(st, actor, file_delete_body, &C, err);
}
