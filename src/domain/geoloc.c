/*
 * Locating a point among district boundaries (geoloc.h): the rings kept as
 * flat arrays of positions with a bounding box per ring and per unit, so
 * that a point looks only at the few units around it.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "domain/geoloc.h"
#include "base/banned.h"

struct gl_ring {
	size_t first, n;                 /* positions xy[2*first ..] */
	double box[4];                   /* min lon, min lat, max lon, max lat */
};

struct gl_unit {
	char code[GEOLOC_CODE_MAX], parent[GEOLOC_CODE_MAX];
	int level;                       /* 1 province, 2 district */
	int active;                      /* a district, or a province without any */
	size_t first_poly, npoly;
	double box[4];
};

struct gl_poly {
	size_t first_ring, nrings;       /* the first is the outer ring, the rest holes */
};

struct geoloc {
	double *xy;
	size_t nxy, axy;
	struct gl_ring *rings;
	size_t nrings, arings;
	struct gl_poly *polys;
	size_t npolys, apolys;
	struct gl_unit *units;
	size_t nunits, aunits;
};

struct geoloc *geoloc_new(void)
{
	return calloc(1, sizeof(struct geoloc));
}

void geoloc_free(struct geoloc *g)
{
	if (g == NULL)
		return;
	free(g->xy);
	free(g->rings);
	free(g->polys);
	free(g->units);
	free(g);
}

size_t geoloc_count(const struct geoloc *g)
{
	size_t n = 0;

	for (size_t i = 0; i < g->nunits; i++)
		n += g->units[i].active;
	return n;
}

/* Room for one more element of an array (doubling). */
static int gl_grow(void **p, size_t *alloc, size_t n, size_t size)
{
	size_t a = *alloc ? *alloc : 64;
	void *q;

	if (n < *alloc)
		return 0;
	while (a <= n)
		a *= 2;
	if ((q = realloc(*p, a * size)) == NULL)
		return -1;
	*p = q;
	*alloc = a;
	return 0;
}

static void gl_box_add(double box[4], double x, double y)
{
	box[0] = fmin(box[0], x);
	box[1] = fmin(box[1], y);
	box[2] = fmax(box[2], x);
	box[3] = fmax(box[3], y);
}

static int gl_ring_add(struct geoloc *g, json_t *ring, double ubox[4])
{
	struct gl_ring *r;
	json_t *pos;
	size_t i;

	if (!json_is_array(ring) || json_array_size(ring) < 4 ||
	    gl_grow((void **)&g->rings, &g->arings, g->nrings, sizeof(*g->rings)) < 0)
		return -1;
	r = &g->rings[g->nrings];
	*r = (struct gl_ring){ .first = g->nxy, .box = { INFINITY, INFINITY, -INFINITY, -INFINITY } };
	json_array_foreach(ring, i, pos) {
		json_t *x = json_array_get(pos, 0), *y = json_array_get(pos, 1);

		if (!json_is_number(x) || !json_is_number(y) ||
		    gl_grow((void **)&g->xy, &g->axy, 2 * g->nxy + 1, 2 * sizeof(*g->xy)) < 0)
			return -1;
		g->xy[2 * g->nxy] = json_number_value(x);
		g->xy[2 * g->nxy + 1] = json_number_value(y);
		gl_box_add(r->box, g->xy[2 * g->nxy], g->xy[2 * g->nxy + 1]);
		g->nxy++;
	}
	r->n = g->nxy - r->first;
	gl_box_add(ubox, r->box[0], r->box[1]);
	gl_box_add(ubox, r->box[2], r->box[3]);
	g->nrings++;
	return 0;
}

static int gl_poly_add(struct geoloc *g, json_t *rings, double ubox[4])
{
	struct gl_poly p = { .first_ring = g->nrings };
	json_t *ring;
	size_t i;

	if (!json_is_array(rings) || json_array_size(rings) == 0 ||
	    gl_grow((void **)&g->polys, &g->apolys, g->npolys, sizeof(*g->polys)) < 0)
		return -1;
	json_array_foreach(rings, i, ring)
		if (gl_ring_add(g, ring, ubox) < 0)
			return -1;
	p.nrings = g->nrings - p.first_ring;
	g->polys[g->npolys++] = p;
	return 0;
}

static int gl_unit_add(struct geoloc *g, json_t *f, int level)
{
	json_t *props = json_object_get(f, "properties"), *geom = json_object_get(f, "geometry");
	const char *code = json_string_value(json_object_get(props, "code"));
	const char *parent = json_string_value(json_object_get(props, "province_code"));
	const char *type = json_string_value(json_object_get(geom, "type"));
	json_t *coords = json_object_get(geom, "coordinates"), *p;
	struct gl_unit u = { .level = level, .first_poly = g->npolys,
	                     .box = { INFINITY, INFINITY, -INFINITY, -INFINITY } };
	size_t i;

	if (code == NULL || code[0] == '\0' || strlen(code) >= GEOLOC_CODE_MAX || type == NULL ||
	    (level == 2 && (parent == NULL || parent[0] == '\0' ||
	                    strlen(parent) >= GEOLOC_CODE_MAX)) ||
	    gl_grow((void **)&g->units, &g->aunits, g->nunits, sizeof(*g->units)) < 0)
		return -1;
	memcpy(u.code, code, strlen(code) + 1);
	if (parent)
		memcpy(u.parent, parent, strlen(parent) + 1);
	if (strcmp(type, "Polygon") == 0) {
		if (gl_poly_add(g, coords, u.box) < 0)
			return -1;
	} else if (strcmp(type, "MultiPolygon") == 0 && json_array_size(coords) > 0) {
		json_array_foreach(coords, i, p)
			if (gl_poly_add(g, p, u.box) < 0)
				return -1;
	} else {
		return -1;
	}
	u.npoly = g->npolys - u.first_poly;
	g->units[g->nunits++] = u;
	return 0;
}

/* A province counts only while no district lies in it. */
static void gl_mark_active(struct geoloc *g)
{
	for (size_t i = 0; i < g->nunits; i++) {
		struct gl_unit *u = &g->units[i];

		u->active = 1;
		for (size_t j = 0; u->level == 1 && j < g->nunits && u->active; j++)
			if (g->units[j].level == 2 && strcmp(g->units[j].parent, u->code) == 0)
				u->active = 0;
	}
}

int geoloc_add_doc(struct geoloc *g, const json_t *doc, int level, struct error *err)
{
	json_t *f;
	size_t i, keep_units = g->nunits, keep_polys = g->npolys, keep_rings = g->nrings,
	       keep_xy = g->nxy;
	int rc = 0;

	if (!json_is_array(json_object_get(doc, "features")))
		rc = error_set(err, THC_EINVAL, "không phải GeoJSON FeatureCollection",
		               "not a GeoJSON FeatureCollection");
	json_array_foreach(json_object_get(doc, "features"), i, f) {
		if (rc == 0 && gl_unit_add(g, f, level) < 0)
			rc = error_set(err, THC_EINVAL,
			               "đối tượng %zu: cần properties.code%s và hình Polygon/MultiPolygon",
			               "feature %zu: properties.code%s and a Polygon/MultiPolygon are required",
			               i, level == 2 ? ", province_code" : "");
	}
	if (rc < 0) {                    /* all or nothing */
		g->nunits = keep_units;
		g->npolys = keep_polys;
		g->nrings = keep_rings;
		g->nxy = keep_xy;
	}
	gl_mark_active(g);
	return rc;
}

int geoloc_add(struct geoloc *g, const char *text, size_t len, int level, struct error *err)
{
	json_error_t je;
	json_t *doc = json_loadb(text, len, 0, &je);
	int rc = geoloc_add_doc(g, doc, level, err);

	json_decref(doc);
	return rc;
}

/* ---- geometry ---- */

/* Metres per degree of longitude and latitude at a latitude, on WGS84. */
static void gl_scale(double lat, double *kx, double *ky)
{
	const double a = 6378137.0, e2 = 6.69437999014e-3, rad = M_PI / 180.0;
	double s = sin(lat * rad), w = sqrt(1 - e2 * s * s);

	*kx = a / w * cos(lat * rad) * rad;               /* prime vertical radius */
	*ky = a * (1 - e2) / (w * w * w) * rad;           /* meridian radius */
}

static int gl_in_box(const double box[4], double x, double y, double mx, double my)
{
	return x >= box[0] - mx && x <= box[2] + mx && y >= box[1] - my && y <= box[3] + my;
}

/* Even-odd: does a ray to the east from (x, y) cross the ring an odd number of times? */
static int gl_ring_contains(const struct geoloc *g, const struct gl_ring *r, double x, double y)
{
	int in = 0;

	if (!gl_in_box(r->box, x, y, 0, 0))
		return 0;
	for (size_t i = 0, j = r->n - 1; i < r->n; j = i++) {
		double xi = g->xy[2 * (r->first + i)], yi = g->xy[2 * (r->first + i) + 1];
		double xj = g->xy[2 * (r->first + j)], yj = g->xy[2 * (r->first + j) + 1];

		if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
			in = !in;
	}
	return in;
}

static int gl_unit_contains(const struct geoloc *g, const struct gl_unit *u, double x, double y)
{
	if (!gl_in_box(u->box, x, y, 0, 0))
		return 0;
	for (size_t p = u->first_poly; p < u->first_poly + u->npoly; p++) {
		const struct gl_poly *pg = &g->polys[p];
		int in = gl_ring_contains(g, &g->rings[pg->first_ring], x, y);

		for (size_t h = 1; in && h < pg->nrings; h++)
			if (gl_ring_contains(g, &g->rings[pg->first_ring + h], x, y))
				in = 0;
		if (in)
			return 1;
	}
	return 0;
}

/* Distance in metres from the origin to the segment a-b (in metres). */
static double gl_seg_dist(double ax, double ay, double bx, double by)
{
	double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy, t = 0;

	if (len2 > 0)
		t = fmax(0, fmin(1, -(ax * dx + ay * dy) / len2));
	return hypot(ax + t * dx, ay + t * dy);
}

/* Distance in metres from (x, y) to the unit's boundary, looking only at
 * rings within `reach` metres; INFINITY when none is. */
static double gl_unit_dist(const struct geoloc *g, const struct gl_unit *u, double x, double y,
                           double kx, double ky, double reach)
{
	double best = INFINITY, mx = reach / kx, my = reach / ky;

	if (!gl_in_box(u->box, x, y, mx, my))
		return INFINITY;
	for (size_t p = u->first_poly; p < u->first_poly + u->npoly; p++) {
		const struct gl_poly *pg = &g->polys[p];

		for (size_t k = pg->first_ring; k < pg->first_ring + pg->nrings; k++) {
			const struct gl_ring *r = &g->rings[k];

			if (!gl_in_box(r->box, x, y, mx, my))
				continue;
			for (size_t i = 0; i + 1 < r->n; i++) {
				const double *a = &g->xy[2 * (r->first + i)], *b = a + 2;

				best = fmin(best, gl_seg_dist((a[0] - x) * kx, (a[1] - y) * ky,
				                              (b[0] - x) * kx, (b[1] - y) * ky));
			}
		}
	}
	return best;
}

static void gl_set_code(char out[GEOLOC_CODE_MAX], const struct gl_unit *u)
{
	memcpy(out, u ? u->code : "", u ? strlen(u->code) + 1 : 1);
}

void geoloc_locate(const struct geoloc *g, double lat, double lon, struct geoloc_hit *out)
{
	const struct gl_unit *home = NULL, *near = NULL;
	double kx, ky, near_m = INFINITY;
	int inside = 0;

	memset(out, 0, sizeof(*out));
	out->border_m = -1;
	gl_scale(lat, &kx, &ky);
	/* Districts first: a province without districts only when no district holds it. */
	for (int level = 2; level >= 1 && home == NULL; level--)
		for (size_t i = 0; i < g->nunits; i++)
			if (g->units[i].active && g->units[i].level == level &&
			    gl_unit_contains(g, &g->units[i], lon, lat)) {
				inside++;
				if (home == NULL)
					home = &g->units[i];
				else
					near = &g->units[i], near_m = 0;   /* two overlap here */
			}
	/* The nearest other unit: within the border distance when inside, within
	 * GEOLOC_NEAREST_M when outside every polygon. */
	for (size_t i = 0; i < g->nunits && near_m > 0; i++) {
		const struct gl_unit *u = &g->units[i];
		double d;

		if (!u->active || u == home)
			continue;
		d = gl_unit_dist(g, u, lon, lat, kx, ky, home ? 4 * GEOLOC_BORDER_M : GEOLOC_NEAREST_M);
		if (d < near_m)
			near = u, near_m = d;
	}
	if (home == NULL) {
		out->flag = GEOLOC_OUTSIDE;
		gl_set_code(out->code, near);
		out->border_m = near ? near_m : -1;
		return;
	}
	gl_set_code(out->code, home);
	gl_set_code(out->neighbour, near);
	out->border_m = near ? near_m : -1;
	/* A province is no district: its point still goes to an operator. */
	out->flag = home->level == 1 ? GEOLOC_OUTSIDE
	            : inside > 1 || (near && near_m <= GEOLOC_BORDER_M) ? GEOLOC_NEAR_BORDER
	            : GEOLOC_OK;
}

const char *geoloc_flag_name(enum geoloc_flag f)
{
	return f == GEOLOC_NEAR_BORDER ? "near_border" : f == GEOLOC_OUTSIDE ? "outside" : NULL;
}
