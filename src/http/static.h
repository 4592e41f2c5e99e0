/*
 * The web application's files, embedded in the binary at build time
 * (web/build.mjs writes the table into <build>/web_assets.c), served for
 * GET and HEAD with ETag/If-None-Match, year-long caching for hashed names,
 * pre-compressed bodies (brotli, gzip) when the client accepts them, and a
 * strict Content-Security-Policy.  All data is read-only and static.  The
 * files not hashed (index.html, /sw.js, /manifest.webmanifest) are served
 * with Cache-Control: no-cache, so a browser sees a new build at once.
 */
#ifndef THC_STATIC_H
#define THC_STATIC_H

#include <stddef.h>
#include "http/http.h"

enum static_asset_flags {
	STATIC_IMMUTABLE = 1 << 0,   /* hashed name: cached for a year */
	STATIC_INDEX     = 1 << 1,   /* the page for every application path */
};

struct static_asset {
	const char *path;            /* "/assets/app-3FJ2K1QZ.js" */
	const char *content_type;
	const unsigned char *data;   /* identity body */
	size_t len;
	const unsigned char *gz;     /* gzip body, NULL when none */
	size_t gz_len;
	const unsigned char *br;     /* brotli body, NULL when none */
	size_t br_len;
	const char *etag;            /* hash of the content, no quotes */
	unsigned flags;
};

/* The generated table (web_assets.c); empty when the build had no Node.js. */
extern const struct static_asset static_assets[];
extern const size_t static_assets_count;

/* Borrowed pointer into the table, or NULL. */
const struct static_asset *static_find(const char *path);

/* Whether a GET/HEAD for path is for the web application: not under /api/
 * and not /healthz. */
int static_handles(const char *method, const char *path);

/* Replies with the asset for r->path, or index.html for an application path
 * (paths under /assets/ and /geo/ must match exactly).  0 when replied,
 * THC_ENOTFOUND (err set) when there is nothing to serve. */
int static_serve(struct http_req *r, struct error *err);

#endif
