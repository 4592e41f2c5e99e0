/*
 * One error table: code, number, HTTP status, slug, Vietnamese and English
 * text.  A number is never reused; new codes go at the end.
 */
#ifndef THC_ERROR_H
#define THC_ERROR_H

#include <stdarg.h>
#include "compat.h"

#define THC_ERRORS(X) \
	X(EINVAL,       -1, 400, "invalid",           "dữ liệu không hợp lệ",            "invalid input") \
	X(ENOTFOUND,    -2, 404, "not_found",         "không tìm thấy",                  "not found") \
	X(ECONFLICT,    -3, 409, "conflict",          "dữ liệu bị trùng hoặc xung đột",  "conflict") \
	X(ETOOBIG,      -4, 413, "too_large",         "dữ liệu quá lớn",                 "too large") \
	X(EUNPROCESSABLE, -5, 422, "unprocessable",   "dữ liệu không đúng quy định",     "unprocessable input") \
	X(EAUTH,        -6, 401, "unauthorized",      "cần đăng nhập",                   "authentication required") \
	X(EFORBIDDEN,   -7, 403, "forbidden",         "không có quyền",                  "forbidden") \
	X(ERATELIMIT,   -8, 429, "too_many_requests", "quá nhiều yêu cầu",               "too many requests") \
	X(ENOMEM,       -9, 500, "out_of_memory",     "hết bộ nhớ",                      "out of memory") \
	X(ESTORE,      -10, 500, "storage_error",     "lỗi lưu trữ dữ liệu",             "storage error") \
	X(EUNAVAILABLE,-11, 503, "unavailable",       "cơ sở dữ liệu tạm thời không truy cập được hoặc đang bận, vui lòng thử lại sau", "the database is temporarily unreachable or busy; please try again shortly") \
	X(EMETHOD,     -12, 405, "method_not_allowed","phương thức không được hỗ trợ",   "method not allowed") \
	X(EINTERNAL,   -13, 500, "internal",          "lỗi nội bộ",                      "internal error") \
	X(ETIMEOUT,    -14, 408, "timeout",           "hết thời gian chờ",               "request timeout") \
	X(EIO,         -15, 500, "io_error",          "lỗi đọc/ghi",                     "input/output error") \
	X(EUSAGE,      -16, 400, "usage",             "sai cách dùng",                   "bad usage") \
	X(ECSRF,       -17, 403, "csrf",              "thiếu hoặc sai mã chống giả mạo (CSRF)", "missing or wrong CSRF token") \
	X(EMEDIATYPE,  -18, 415, "unsupported_media_type", "kiểu nội dung không được hỗ trợ", "unsupported media type") \
	X(EHEADERS,    -19, 431, "headers_too_large", "tiêu đề yêu cầu quá lớn",  "request headers too large") \
	X(EURITOOLONG, -20, 414, "uri_too_long",      "địa chỉ yêu cầu quá dài",  "request target too long") \
	X(ELENGTH,     -21, 411, "length_required",   "nội dung phải kèm Content-Length", "the body needs a Content-Length")

enum thc_err {
	THC_OK = 0,
#define X(id, num, http, slug, vi, en) THC_##id = (num),
	THC_ERRORS(X)
#undef X
};

/*
 * Messages come in both languages: the reply picks one by Accept-Language.
 * They name the field, the line or the value that is wrong; `field` says
 * which input it is ("person.full_name", a CSV column), "" when none, so
 * that a form shows the message at that field.
 */
struct error {
	int code;
	char vi[256];
	char en[256];
	char field[64];
};
#define ERROR_INIT { 0, "", "", "" }

/* Sets code and both messages (same arguments for both formats); returns code. */
int error_set(struct error *err, int code, const char *vi_fmt,
              const char *en_fmt, ...)
	__attribute__((format(printf, 3, 5), format(printf, 4, 5)));
int error_vset(struct error *err, int code, const char *vi_fmt,
               const char *en_fmt, va_list ap);
/* Prefixes both messages, e.g. "line 4: " (same argument for both). */
void error_prefix(struct error *err, const char *vi_fmt, const char *en_fmt, ...)
	__attribute__((format(printf, 2, 4), format(printf, 3, 4)));
void error_clear(struct error *err);
/* Names the input the error is about (kept by error_prefix, cleared by
 * error_set); a leading '@' (a CSV column in the domain checks) is dropped. */
void error_at(struct error *err, const char *field);
/* Says which input the error (already set) is about: prefixes the messages
 * with "field 'x': " or, for a name starting with '@' (a CSV column),
 * "column x: ", and sets err->field; returns err->code. */
int error_in_field(struct error *err, const char *field);
/* error_set + error_at; returns code. */
int error_set_at(struct error *err, int code, const char *field, const char *vi_fmt,
                 const char *en_fmt, ...)
	__attribute__((format(printf, 4, 6), format(printf, 5, 6)));

const char *error_slug(int code);        /* "not_found"; "internal" if unknown */
int error_http_status(int code);         /* 404; 500 if unknown */
const char *error_text(int code, int english); /* fixed text of the code */
/* Message in the requested language; falls back to the fixed text. */
const char *error_message(const struct error *err, int english);

#endif
