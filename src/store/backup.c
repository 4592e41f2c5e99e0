/*
 * Backups and restores of the whole database, in the backend's own format
 * (the driver's backup methods); the checks around them are the same for
 * every backend.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "base/file.h"
#include "base/strbuf.h"
#include "store/store-private.h"
#include "base/banned.h"

#define STORE_BACKUP_HEAD 16        /* bytes read to tell the formats apart */
#define STORE_PATH_MAX 4096

/* The driver whose backup format file is in; NULL (and 0) when none is. */
static int store_backup_driver(const char *file, const struct store_vfuncs **out,
                               struct error *err)
{
	unsigned char head[STORE_BACKUP_HEAD];
	ssize_t n;
	int fd = open(file, O_RDONLY | O_CLOEXEC);

	*out = NULL;
	if (fd < 0)
		return error_set(err, errno == ENOENT ? THC_ENOTFOUND : THC_EIO,
		                 "không đọc được bản sao lưu '%s': %s",
		                 "cannot read the backup '%s': %s", file, strerror(errno));
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n < 0)
		return error_set(err, THC_EIO, "không đọc được bản sao lưu '%s': %s",
		                 "cannot read the backup '%s': %s", file, strerror(errno));
	*out = store_driver_probe(head, (size_t)n);
	return 0;
}

int store_backup(struct store *st, const char *file, int *version, struct error *err)
{
	struct strbuf tmp = STRBUF_INIT(STORE_PATH_MAX);
	int rc;

	if ((rc = store_schema_version(st, version, err)) < 0)
		return rc;
	if (*version == 0)    /* a mistyped path opens an empty database */
		return error_set(err, THC_EINVAL, "cơ sở dữ liệu không có lược đồ thichung: không có gì để sao lưu",
		                 "the database holds no thichung schema: nothing to back up");
	if (strbuf_addf(&tmp, "%s.tmp", file) < 0)
		return error_set(err, THC_ETOOBIG, "đường dẫn '%s' quá dài", "the path '%s' is too long",
		                 file);
	if (unlink(tmp.buf) < 0 && errno != ENOENT) {   /* left by a backup that died */
		rc = error_set(err, THC_EIO, "không xóa được '%s': %s", "cannot remove '%s': %s",
		               tmp.buf, strerror(errno));
		goto out;
	}
	if ((rc = st->v->backup(st, file, tmp.buf, err)) == 0)
		rc = file_replace(tmp.buf, file, err);
	if (rc < 0)
		unlink(tmp.buf);
out:
	strbuf_release(&tmp);
	return rc;
}

int store_restore(struct store *st, const char *file, unsigned flags, int *version,
                  struct error *err)
{
	const struct store_vfuncs *kind, *mine = store_driver(st);
	int64_t tables = 0;
	int rc;

	if ((rc = store_backup_driver(file, &kind, err)) < 0)
		return rc;
	if (kind == NULL)
		return error_set(err, THC_EINVAL, "'%s' không phải là bản sao lưu của thichung",
		                 "'%s' is not a thichung backup", file);
	if (kind != mine)
		return error_set(err, THC_EUSAGE,
		                 "'%s' là bản sao lưu %s, không khôi phục được vào cơ sở dữ liệu %s"
		                 " (không hỗ trợ khôi phục chéo giữa hai loại): hãy khôi phục vào một"
		                 " cơ sở dữ liệu %s",
		                 "'%s' is a %s backup and cannot be restored into a %s database"
		                 " (no restore across backends): restore it into a %s database",
		                 file, kind->title, mine->title, kind->title);
	if ((rc = st->v->backup_check(st, file, version, err)) < 0)
		return rc;
	if (*version == 0)
		return error_set(err, THC_EINVAL, "'%s' không phải là cơ sở dữ liệu thichung"
		                 " (không có bảng schema_migrations)",
		                 "'%s' is not a thichung database (it has no schema_migrations)", file);
	if (*version > store_schema_latest())
		return error_set(err, THC_EUNPROCESSABLE,
		                 "'%s' có lược đồ phiên bản %d, mới hơn phiên bản %d mà thichung này"
		                 " biết: hãy khôi phục bằng thichung mới hơn",
		                 "'%s' has schema version %d, newer than the %d this thichung knows:"
		                 " restore it with a newer thichung", file, *version,
		                 store_schema_latest());
	if ((rc = sql_table_count(st, NULL, &tables, err)) < 0)
		return rc;
	if (tables > 0 && !(flags & STORE_RESTORE_FORCE))
		return error_set(err, THC_ECONFLICT, "cơ sở dữ liệu đích không trống (%lld bảng)",
		                 "the target database is not empty (%lld tables)", (long long)tables);
	return st->v->restore(st, file, tables > 0, err);
}
