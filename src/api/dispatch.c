/*
 * Every route of the API as data, and the one place where each request is
 * matched, signed in, allowed, its body read and its errors replied.  The
 * database connection is taken for the handler alone and returned before
 * the response goes out, so a slow reader holds none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/auth.h"
#include "api/pubcache.h"
#include "base/log.h"
#include "domain/role.h"
#include "http/json.h"
#include "base/banned.h"

/* Each polling thread holds at most one connection at a time, and by
 * default the pool has more than there are threads: a wait happens only
 * with a smaller --db-pool.  It is bounded, and answered 503. */
#define DB_WAIT_MS 2000

#define ANY        ROLE_MASK_ALL
#define OFFICIALS  ROLE_MASK_AUDIT_READ
#define BUSINESS_USERS (ROLE_MASK_OFFICIALS | ROLE_BIT(ROLE_BUSINESS))
#define PERSONAL_ROLES ROLE_MASK_PERSONAL
#define ROUTE(m, pat, f, acc, rl, bd, ch) \
	{ .method = m, .pattern = pat, .fn = f, .name = #f, .access = API_##acc, \
	  .roles = rl, .body = API_BODY_##bd, .cache = API_CACHE_##ch }

const struct api_route api_routes[] = {
	ROUTE("GET",   "/healthz",                         api_health,              NO_DB,     ANY, NONE, NONE),
	ROUTE("POST",  "/api/v1/login",                    api_login,               PUBLIC,    ANY, JSON, NONE),
	ROUTE("POST",  "/api/v1/logout",                   api_logout,              SIGNED_IN, ANY, NONE, NONE),
	ROUTE("GET",   "/api/v1/me",                       api_me,                  SIGNED_IN, ANY, NONE, NONE),
	ROUTE("GET",   "/api/v1/me/assignments",           api_assignments_mine,    SIGNED_IN, ANY, NONE, NONE),
	ROUTE("GET",   "/api/v1/units",                    api_units_list,          PUBLIC,    ANY, NONE, KEEP),
	ROUTE("POST",  "/api/v1/units",                    api_units_create,        SIGNED_IN, ANY, JSON, DROP),
	ROUTE("GET",   "/api/v1/units/{code}",             api_units_get,           PUBLIC,    ANY, NONE, KEEP),
	ROUTE("GET",   "/api/v1/units/{code}/levels",      api_unit_levels,         PUBLIC,    ANY, NONE, KEEP),
	ROUTE("POST",  "/api/v1/units/{code}/levels",      api_unit_level_decide,   SIGNED_IN, ANY, JSON, DROP),
	ROUTE("GET",   "/api/v1/levels",                   api_levels_map,          PUBLIC,    ANY, NONE, KEEP),
	ROUTE("GET",   "/api/v1/levels/changes",           api_levels_changes,      PUBLIC,    ANY, NONE, KEEP),
	ROUTE("POST",  "/api/v1/levels/indicators",        api_levels_indicators,   SIGNED_IN, ANY, JSON_OR_CSV, DROP),
	ROUTE("POST",  "/api/v1/levels/assess",            api_levels_assess,       SIGNED_IN, ANY, JSON, DROP),
	ROUTE("POST",  "/api/v1/levels/import",            api_levels_import,       SIGNED_IN, ANY, CSV, DROP),
	ROUTE("POST",  "/api/v1/cases/import",             api_cases_import,        SIGNED_IN, ANY, CSV, DROP),
	ROUTE("POST",  "/api/v1/cases",                    api_cases_create,        SIGNED_IN, ANY, JSON, DROP),
	ROUTE("GET",   "/api/v1/cases",                    api_cases_list,          SIGNED_IN, ANY, NONE, NONE),
	ROUTE("GET",   "/api/v1/cases/{id}",               api_cases_get,           SIGNED_IN, ANY, NONE, NONE),
	ROUTE("PATCH", "/api/v1/cases/{id}",               api_cases_patch,         SIGNED_IN, ANY, JSON, DROP),
	ROUTE("POST",  "/api/v1/cases/{id}/contacts",      api_contacts_create,     SIGNED_IN, ANY, JSON, DROP),
	ROUTE("GET",   "/api/v1/cases/{id}/contacts",      api_contacts_list,       SIGNED_IN, ANY, NONE, NONE),
	/* The commune's contacts to follow up today (names: personal scope). */
	ROUTE("GET",   "/api/v1/contacts/due",             api_contacts_due,        SIGNED_IN, PERSONAL_ROLES, NONE, NONE),
	/* The case page and the pickers: scoped reads, and a person's contact details. */
	ROUTE("GET",   "/api/v1/cases/{id}/file",          api_case_file,           SIGNED_IN, PERSONAL_ROLES, NONE, NONE),
	ROUTE("PATCH", "/api/v1/people/{id}",              api_people_patch,        SIGNED_IN, PERSONAL_ROLES, JSON, DROP),
	ROUTE("GET",   "/api/v1/search",                   api_search,              SIGNED_IN, PERSONAL_ROLES, NONE, NONE),
	ROUTE("POST",  "/api/v1/people/{id}/merge",        api_people_merge,        SIGNED_IN, ANY, JSON, DROP),
	ROUTE("GET",   "/api/v1/people/links",             api_person_links_list,   SIGNED_IN, ANY, NONE, NONE),
	ROUTE("POST",  "/api/v1/people/links/{id}/accept", api_person_link_accept,  SIGNED_IN, ANY, JSON_OPTIONAL, DROP),
	ROUTE("POST",  "/api/v1/people/links/{id}/dismiss", api_person_link_dismiss, SIGNED_IN, ANY, JSON_OPTIONAL, DROP),
	ROUTE("POST",  "/api/v1/clusters",                 api_clusters_create,     SIGNED_IN, ANY, JSON, DROP),
	ROUTE("GET",   "/api/v1/clusters/{id}",            api_clusters_get,        SIGNED_IN, ANY, NONE, NONE),
	ROUTE("POST",  "/api/v1/tests",                    api_tests_create,        SIGNED_IN, ANY, JSON, DROP),
	ROUTE("GET",   "/api/v1/units/{code}/weekly",      api_unit_weekly,         PUBLIC,    ANY, NONE, KEEP),
	ROUTE("GET",   "/api/v1/units/{code}/hamlets/f0-free", api_unit_f0_free,    SIGNED_IN, ANY, NONE, NONE),
	ROUTE("GET",   "/api/v1/audit",                    api_audit_list,          SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("POST",  "/api/v1/assignments",              api_assignments_create,  SIGNED_IN, ANY, JSON, DROP),
	ROUTE("POST",  "/api/v1/assignments/{id}/reports", api_assignments_report,  SIGNED_IN, ANY, JSON, DROP),
	/* isolation follow-up, zones, coverage and capacity */
	ROUTE("POST",  "/api/v1/isolations",               api_isolations_create,   SIGNED_IN, ANY, JSON, DROP),
	ROUTE("GET",   "/api/v1/isolations",               api_isolations_list,     SIGNED_IN, ANY, NONE, NONE),
	ROUTE("POST",  "/api/v1/isolations/{id}/checkins", api_isolation_checkin,   SIGNED_IN, ANY, JSON, DROP),
	ROUTE("GET",   "/api/v1/isolations/{id}/checkins", api_isolation_checkins,  SIGNED_IN, ANY, NONE, NONE),
	ROUTE("POST",  "/api/v1/isolations/{id}/release",  api_isolation_release,   SIGNED_IN, ANY, JSON, DROP),
	ROUTE("POST",  "/api/v1/zones",                    api_zones_create,        SIGNED_IN, ANY, JSON, DROP),
	ROUTE("GET",   "/api/v1/zones",                    api_zones_list,          SIGNED_IN, ANY, NONE, NONE),
	ROUTE("POST",  "/api/v1/zones/{id}/end",           api_zone_end,            SIGNED_IN, ANY, JSON, DROP),
	ROUTE("GET",   "/api/v1/units/{code}/zones/count", api_unit_zones_count,    PUBLIC,    ANY, NONE, KEEP),
	ROUTE("GET",   "/api/v1/units/{code}/vaccination/{week_end}", api_vaccination_get, PUBLIC, ANY, NONE, KEEP),
	ROUTE("PUT",   "/api/v1/units/{code}/vaccination/{week_end}", api_vaccination_put, SIGNED_IN, ANY, JSON, DROP),
	ROUTE("GET",   "/api/v1/units/{code}/capacity/{week_end}",    api_capacity_get,    PUBLIC, ANY, NONE, KEEP),
	ROUTE("PUT",   "/api/v1/units/{code}/capacity/{week_end}",    api_capacity_put,    SIGNED_IN, ANY, JSON, DROP),
	ROUTE("POST",  "/api/v1/vaccination/import",       api_vaccination_import,  SIGNED_IN, ANY, CSV, DROP),
	ROUTE("POST",  "/api/v1/capacity/import",          api_capacity_import,     SIGNED_IN, ANY, CSV, DROP),
	/* Hotlines and duty: the numbers and who is on duty are public by design
	 * (official duty numbers); the week's roster is edited by officials. */
	ROUTE("GET",   "/api/v1/units/{code}/hotlines",    api_unit_hotlines,       PUBLIC,    ANY, NONE, KEEP),
	ROUTE("PUT",   "/api/v1/units/{code}/hotlines",    api_unit_hotlines_put,   SIGNED_IN, OFFICIALS, JSON, DROP),
	ROUTE("GET",   "/api/v1/units/{code}/duty",        api_unit_duty_get,       SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("PUT",   "/api/v1/units/{code}/duty",        api_unit_duty_put,       SIGNED_IN, OFFICIALS, JSON, DROP),
	/* Citizen feedback.  Its writes change no public answer kept in memory
	 * (NONE): a flood of anonymous requests must not keep the map cold. */
	ROUTE("GET",   "/api/v1/feedback/categories",      api_feedback_categories, PUBLIC,    ANY, NONE, KEEP),
	ROUTE("POST",  "/api/v1/feedback/categories",      api_feedback_category_add, SIGNED_IN, OFFICIALS, JSON, DROP),
	ROUTE("PUT",   "/api/v1/feedback/categories/{province}/{code}", api_feedback_category_edit, SIGNED_IN, OFFICIALS, JSON, DROP),
	ROUTE("POST",  "/api/v1/feedback/categories/{province}/{code}/retire", api_feedback_category_retire, SIGNED_IN, OFFICIALS, JSON_OPTIONAL, DROP),
	ROUTE("POST",  "/api/v1/feedback",                 api_feedback_submit,     PUBLIC,    ANY, JSON, NONE),
	ROUTE("GET",   "/api/v1/feedback",                 api_feedback_list,       SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("GET",   "/api/v1/feedback/mine",            api_feedback_mine,       SIGNED_IN, ANY, NONE, NONE),
	ROUTE("GET",   "/api/v1/feedback/stats",           api_feedback_stats,      SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("GET",   "/api/v1/feedback/track/{token}",   api_feedback_track,      PUBLIC,    ANY, NONE, NONE),
	ROUTE("POST",  "/api/v1/feedback/track/{token}/reopen", api_feedback_reopen, PUBLIC,  ANY, JSON, NONE),
	/* The monthly compilation sent to the departments (Bến Tre Plan 23),
	 * before /feedback/{id}, which would take its path. */
	ROUTE("GET",   "/api/v1/feedback/compilation",     api_feedback_compilation, SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("POST",  "/api/v1/feedback/compilation/forwards", api_feedback_forward, SIGNED_IN, OFFICIALS, JSON, NONE),
	ROUTE("POST",  "/api/v1/feedback/forwards/{id}/answer", api_feedback_forward_answer, SIGNED_IN, OFFICIALS, JSON, NONE),
	ROUTE("GET",   "/api/v1/feedback/{id}",            api_feedback_get,        SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("POST",  "/api/v1/feedback/{id}/acknowledge", api_feedback_acknowledge, SIGNED_IN, OFFICIALS, JSON_OPTIONAL, NONE),
	ROUTE("POST",  "/api/v1/feedback/{id}/assign",     api_feedback_assign,     SIGNED_IN, OFFICIALS, JSON, NONE),
	ROUTE("POST",  "/api/v1/feedback/{id}/answer",     api_feedback_answer,     SIGNED_IN, OFFICIALS, JSON, NONE),
	ROUTE("POST",  "/api/v1/feedback/{id}/close",      api_feedback_close,      SIGNED_IN, OFFICIALS, JSON_OPTIONAL, NONE),
	ROUTE("POST",  "/api/v1/feedback/{id}/reject",     api_feedback_reject,     SIGNED_IN, OFFICIALS, JSON, NONE),
	/* Directives and tasks down the hierarchy; key tasks.  None is public data. */
	ROUTE("POST",  "/api/v1/directives",               api_directives_create,   SIGNED_IN, OFFICIALS, JSON, NONE),
	ROUTE("GET",   "/api/v1/directives/{id}/progress", api_directive_progress,  SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("POST",  "/api/v1/directives/{id}/reminders", api_directive_remind,   SIGNED_IN, OFFICIALS, JSON_OPTIONAL, NONE),
	ROUTE("POST",  "/api/v1/tasks/{task_id}/reports",  api_task_report,         SIGNED_IN, OFFICIALS, JSON, NONE),
	ROUTE("POST",  "/api/v1/tasks/{task_id}/delegate", api_task_delegate,       SIGNED_IN, OFFICIALS, JSON, NONE),
	ROUTE("GET",   "/api/v1/units/{code}/inbox",       api_unit_inbox,          SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("GET",   "/api/v1/units/{code}/directives",  api_unit_directives,     SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("GET",   "/api/v1/directives/{id}/links",    api_directive_links_get, SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("POST",  "/api/v1/directives/{id}/links",    api_directive_link,      SIGNED_IN, OFFICIALS, JSON, NONE),
	ROUTE("GET",   "/api/v1/directives/{id}/attachments", api_directive_files,  SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("POST",  "/api/v1/directives/{id}/attachments", api_directive_attach, SIGNED_IN, OFFICIALS, BYTES, NONE),
	ROUTE("GET",   "/api/v1/directives/{id}/attachments/{file_id}", api_directive_file, SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("DELETE", "/api/v1/directives/{id}/attachments/{file_id}", api_directive_detach, SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("POST",  "/api/v1/key-tasks",                api_keytasks_create,     SIGNED_IN, OFFICIALS, JSON, NONE),
	ROUTE("GET",   "/api/v1/key-tasks",                api_keytasks_list,       SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("POST",  "/api/v1/key-tasks/{id}/progress",  api_keytask_progress,    SIGNED_IN, OFFICIALS, JSON, NONE),
	ROUTE("POST",  "/api/v1/key-tasks/{id}/review",    api_keytask_review,      SIGNED_IN, OFFICIALS, JSON, NONE),
	/* Support to people in hardship: programmes and the posting are public
	 * (names and amounts only); a change of status changes the posting. */
	ROUTE("GET",   "/api/v1/support/programmes",       api_support_programmes,  PUBLIC,    ANY, NONE, KEEP),
	ROUTE("GET",   "/api/v1/support/postings",         api_support_postings,    PUBLIC,    ANY, NONE, KEEP),
	ROUTE("POST",  "/api/v1/support/applications",     api_support_create,      SIGNED_IN, OFFICIALS, JSON_OR_CSV, DROP),
	ROUTE("GET",   "/api/v1/support/applications",     api_support_list,        SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("GET",   "/api/v1/support/applications/{id}", api_support_get,        SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("POST",  "/api/v1/support/applications/{id}/approve", api_support_approve, SIGNED_IN, OFFICIALS, JSON_OPTIONAL, DROP),
	ROUTE("POST",  "/api/v1/support/applications/{id}/reject",  api_support_reject,  SIGNED_IN, OFFICIALS, JSON, DROP),
	ROUTE("POST",  "/api/v1/support/applications/{id}/notes",   api_support_note,    SIGNED_IN, OFFICIALS, JSON, NONE),
	ROUTE("POST",  "/api/v1/support/applications/{id}/payments", api_support_pay,    SIGNED_IN, OFFICIALS, JSON, DROP),
	ROUTE("GET",   "/api/v1/support/totals",           api_support_totals,      SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("GET",   "/api/v1/support/left-behind",      api_support_left_behind, SIGNED_IN, OFFICIALS, NONE, NONE),
	/* What the public sends: limited per address, changing no public answer
	 * kept in memory (NONE), as the anonymous feedback form. */
	ROUTE("POST",  "/api/v1/support/self-applications", api_support_self_submit, PUBLIC,   ANY, JSON, NONE),
	ROUTE("GET",   "/api/v1/support/track/{token}",    api_support_track,       PUBLIC,    ANY, NONE, NONE),
	ROUTE("POST",  "/api/v1/support/postings/{id}/objections", api_support_object, PUBLIC, ANY, JSON, NONE),
	ROUTE("GET",   "/api/v1/support/objections",       api_support_objections,  SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("POST",  "/api/v1/support/applications/{id}/verify", api_support_verify, SIGNED_IN, OFFICIALS, JSON_OPTIONAL, NONE),
	/* Businesses and their safe operation (QĐ 2194): officials in scope, or
	 * the business's own account (the store's scope); not public data. */
	ROUTE("GET",   "/api/v1/business/risk-criteria",  api_business_criteria,   PUBLIC,    ANY, NONE, KEEP),
	ROUTE("POST",  "/api/v1/businesses",               api_businesses_create,   SIGNED_IN, BUSINESS_USERS, JSON, NONE),
	ROUTE("GET",   "/api/v1/businesses",               api_businesses_list,     SIGNED_IN, BUSINESS_USERS, NONE, NONE),
	ROUTE("GET",   "/api/v1/businesses/{id}",          api_businesses_get,      SIGNED_IN, BUSINESS_USERS, NONE, NONE),
	ROUTE("POST",  "/api/v1/businesses/{id}/risk-assessments", api_business_assess, SIGNED_IN, BUSINESS_USERS, JSON, NONE),
	ROUTE("POST",  "/api/v1/businesses/{id}/plans",    api_business_plan,       SIGNED_IN, BUSINESS_USERS, JSON, NONE),
	ROUTE("POST",  "/api/v1/businesses/{id}/on-site",  api_business_on_site,    SIGNED_IN, BUSINESS_USERS, JSON, NONE),
	ROUTE("POST",  "/api/v1/businesses/{id}/cases",    api_business_case_link,  SIGNED_IN, PERSONAL_ROLES, JSON, NONE),
	ROUTE("POST",  "/api/v1/businesses/{id}/support-applications", api_business_support, SIGNED_IN, BUSINESS_USERS, CSV, NONE),
	ROUTE("POST",  "/api/v1/feedback/{id}/reassign",   api_feedback_reassign,   SIGNED_IN, OFFICIALS, JSON, NONE),
	/* Photos: the body is the image (checked by its handler); read by the
	 * request's handlers only. */
	ROUTE("POST",  "/api/v1/feedback/track/{token}/photos", api_feedback_photo_add, PUBLIC, ANY, NONE, NONE),
	ROUTE("GET",   "/api/v1/feedback/{id}/photos/{photo_id}", api_feedback_photo_get, SIGNED_IN, OFFICIALS, NONE, NONE),
	/* Inspections (the issuing chain; the target once concluded or public),
	 * reward and discipline decisions (published: DROP), emulation. */
	ROUTE("GET",   "/api/v1/inspections/templates",    api_inspection_templates, PUBLIC,   ANY, NONE, KEEP),
	ROUTE("POST",  "/api/v1/inspections",              api_inspections_create,  SIGNED_IN, OFFICIALS, JSON, NONE),
	ROUTE("GET",   "/api/v1/inspections",              api_inspections_list,    SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("GET",   "/api/v1/inspections/{id}",         api_inspections_get,     SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("PUT",   "/api/v1/inspections/{id}/findings", api_inspection_findings, SIGNED_IN, OFFICIALS, JSON, NONE),
	ROUTE("POST",  "/api/v1/inspections/{id}/conclusion", api_inspection_conclude, SIGNED_IN, OFFICIALS, JSON, NONE),
	ROUTE("POST",  "/api/v1/inspection-actions/{id}/done", api_inspection_action_done, SIGNED_IN, OFFICIALS, JSON, NONE),
	ROUTE("POST",  "/api/v1/decisions",                api_decisions_create,    SIGNED_IN, OFFICIALS, JSON, DROP),
	ROUTE("GET",   "/api/v1/decisions",                api_decisions_list,      SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("GET",   "/api/v1/public/decisions",         api_decisions_public,    PUBLIC,    ANY, NONE, KEEP),
	ROUTE("GET",   "/api/v1/emulation/indicators",     api_emulation_indicators, PUBLIC,   ANY, NONE, KEEP),
	ROUTE("POST",  "/api/v1/emulation/movements",      api_emulation_create,    SIGNED_IN, OFFICIALS, JSON, NONE),
	ROUTE("GET",   "/api/v1/emulation/movements",      api_emulation_list,      SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("GET",   "/api/v1/emulation/movements/{id}/rankings", api_emulation_rankings, SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("GET",   "/api/v1/emulation/movements/{id}/history",  api_emulation_history,  SIGNED_IN, OFFICIALS, NONE, NONE),
	/* Area roll-ups: per child unit, public counts; isolations for officials. */
	ROUTE("GET",   "/api/v1/units/{code}/children/weekly", api_unit_children_week, PUBLIC, ANY, NONE, KEEP),
	ROUTE("GET",   "/api/v1/isolations/rollup",        api_isolations_rollup,   SIGNED_IN, OFFICIALS, NONE, NONE),
	/* Interoperability: the API's own description, DHIS2 exchange */
	ROUTE("GET",   "/api/v1/openapi.json",             api_openapi,             NO_DB,     ANY, NONE, KEEP),
	ROUTE("GET",   "/api/v1/exchange/dataValueSets.json", api_exchange_json,    SIGNED_IN, OFFICIALS, NONE, NONE),
	ROUTE("GET",   "/api/v1/exchange/dataValueSets.adx",  api_exchange_adx,     SIGNED_IN, OFFICIALS, NONE, NONE),
	/* Imports: the ADX body (application/adx+xml) is read by its handler. */
	ROUTE("POST",  "/api/v1/exchange/dataValueSets",      api_exchange_import_json, SIGNED_IN_OR_KEY, OFFICIALS, JSON, DROP),
	ROUTE("POST",  "/api/v1/exchange/dataValueSets.adx",  api_exchange_import_adx,  SIGNED_IN_OR_KEY, OFFICIALS, NONE, DROP),
	ROUTE("GET",   "/api/v1/levels.geojson",           api_levels_geojson,      PUBLIC,    ANY, NONE, KEEP),
	/* Open311 GeoReport v2: JSON or XML by the suffix, so nothing is kept
	 * (kept answers are served as JSON); the POST checks its API key. */
	ROUTE("GET",   "/open311/v2/discovery.{fmt}",      api_open311_discovery,   PUBLIC,    ANY, NONE, NONE),
	ROUTE("GET",   "/open311/v2/services.{fmt}",       api_open311_services,    PUBLIC,    ANY, NONE, NONE),
	ROUTE("GET",   "/open311/v2/services/{service}",   api_open311_service,     PUBLIC,    ANY, NONE, NONE),
	ROUTE("GET",   "/open311/v2/requests.{fmt}",       api_open311_requests,    PUBLIC,    ANY, NONE, NONE),
	ROUTE("POST",  "/open311/v2/requests.{fmt}",       api_open311_post,        PUBLIC,    ANY, FORM, NONE),
	ROUTE("GET",   "/open311/v2/requests/{id}",        api_open311_request,     PUBLIC,    ANY, NONE, NONE),
	ROUTE("GET",   "/open311/v2/tokens/{token}",       api_open311_token,       PUBLIC,    ANY, NONE, NONE),
	/* Excel reports: attachments, never kept (the cache replays JSON's type). */
	ROUTE("GET",   "/api/v1/levels.xlsx",              api_levels_xlsx,         PUBLIC,    ANY, NONE, NONE),
	ROUTE("GET",   "/api/v1/reports/situation.xlsx",   api_situation_xlsx,      SIGNED_IN, OFFICIALS, NONE, NONE),
};
const size_t api_routes_count = sizeof(api_routes) / sizeof(api_routes[0]);

static void dispatch_reply_error(struct api_ctx *r, int rc)
{
	if (r->err.code == 0)
		r->err.code = rc ? rc : THC_EINTERNAL;
	/* Storage details (file paths, sockets, SQL) go to the log only; the
	 * client gets the fixed text. */
	if (r->err.code == THC_ESTORE || r->err.code == THC_EINTERNAL ||
	    r->err.code == THC_ENOMEM || r->err.code == THC_EUNAVAILABLE) {
		char q[600];
		log_error("http.error", "rid=%s code=%s detail=%s", r->http->rid,
		          error_slug(r->err.code), log_value(r->err.en, q, sizeof(q)));
		http_reply_error(r->http, r->err.code, NULL);
		return;
	}
	http_reply_error(r->http, r->err.code, &r->err);
}

/* The route for the request, or NULL with r->err set (404, or 405 and Allow). */
static const struct api_route *dispatch_find(struct api_ctx *r, struct route_args *args)
{
	struct http_req *h = r->http;
	char allow[128] = "";
	size_t an = 0;

	for (size_t i = 0; i < api_routes_count; i++) {
		const struct api_route *rt = &api_routes[i];
		struct route_args a;

		if (!route_pattern_match(rt->pattern, h->path, &h->arena, &a))
			continue;
		if (strcmp(rt->method, h->method) == 0 ||
		    (strcmp(h->method, "HEAD") == 0 && strcmp(rt->method, "GET") == 0)) {
			*args = a;
			return rt;
		}
		if (!strstr(allow, rt->method)) {
			int k = snprintf(allow + an, sizeof(allow) - an, "%s%s", an ? ", " : "", rt->method);
			if (k > 0 && (size_t)k < sizeof(allow) - an)
				an += (size_t)k;
		}
	}
	if (an == 0) {
		error_set(&r->err, THC_ENOTFOUND, "không có địa chỉ %s", "no such path: %s", h->path);
		return NULL;
	}
	http_add_header(h, "Allow", allow);
	error_set(&r->err, THC_EMETHOD, "phương thức %s không dùng được cho %s (dùng %s)",
	          "method %s is not allowed on %s (use %s)", h->method, h->path, allow);
	return NULL;
}

static int dispatch_holds_role(const struct user *u, unsigned roles)
{
	for (size_t i = 0; i < u->ngrants; i++) {
		int role = role_from_name(u->grants[i].role);
		if (role >= 0 && (roles & ROLE_BIT(role)))
			return 1;
	}
	return 0;
}

/* Who is calling, and may they call this route at all? */
static int dispatch_allow(struct api_ctx *r, const struct api_route *rt)
{
	int rc;

	if (rt->access == API_NO_DB)
		return 0;
	if ((rc = auth_identify(r)) < 0)
		return rc;
	if (rt->access == API_SIGNED_IN && r->user == NULL)
		return error_set(&r->err, THC_EAUTH, "cần đăng nhập", "you need to sign in");
	if (rt->access == API_SIGNED_IN_OR_KEY && r->user == NULL && api_key_header(r) == NULL)
		return error_set(&r->err, THC_EAUTH, "cần đăng nhập hoặc khóa API (Authorization: ApiKey)",
		                 "you need to sign in or send an API key (Authorization: ApiKey)");
	if (r->user && rt->roles != ROLE_MASK_ALL && !dispatch_holds_role(r->user, rt->roles))
		return error_set(&r->err, THC_EFORBIDDEN, "vai trò của bạn không được dùng chức năng này",
		                 "your role may not use this");
	return 0;
}

static int dispatch_need_json(struct api_ctx *r)
{
	struct http_req *h = r->http;

	if (!http_content_is(h, "application/json"))
		return error_set(&r->err, THC_EMEDIATYPE,
		                 "nội dung phải là JSON (Content-Type: application/json)",
		                 "the body must be JSON (Content-Type: application/json)");
	return json_body_parse(h->body.buf, h->body.len, &r->json, &r->err);
}

/* The body the route takes: its media type checked, JSON parsed into r->json. */
static int dispatch_body(struct api_ctx *r, const struct api_route *rt)
{
	switch (rt->body) {
	case API_BODY_NONE:
	case API_BODY_FORM:
	case API_BODY_BYTES:
		return 0;
	case API_BODY_JSON_OPTIONAL:
		return r->http->body.len ? dispatch_need_json(r) : 0;
	case API_BODY_JSON_OR_CSV:
		return http_content_is(r->http, "text/csv") ? 0 : dispatch_need_json(r);
	case API_BODY_CSV:
		if (!http_content_is(r->http, "text/csv"))
			return error_set(&r->err, THC_EMEDIATYPE,
			                 "nội dung phải là CSV (Content-Type: text/csv)",
			                 "the body must be CSV (Content-Type: text/csv)");
		return 0;
	case API_BODY_JSON:
		break;
	}
	return dispatch_need_json(r);
}

/* Anonymous: no bearer token and no session cookie (a signed-in caller may
 * be shown more than the public, so its answers are neither kept nor served
 * from memory). */
static int dispatch_anonymous(struct http_req *h)
{
	const char *cookie = http_header(h, "Cookie");

	return http_header(h, "Authorization") == NULL &&
	       (cookie == NULL || strstr(cookie, "thc_session=") == NULL);
}

/*
 * A connection for the handler.  Public reads that may be kept in memory
 * (maps, units, weekly figures: a little lag is harmless there, and they
 * are the national spike) by anonymous readers go to the --db-read
 * replica when there is one; everything else, and those too when the
 * replica cannot answer, to the primary, so that whoever signs in to
 * write reads what it wrote.
 */
static int dispatch_connect(struct api_ctx *r, const struct api_route *rt)
{
	struct store_pool *p = r->app->read_pool;
	int rc;

	if (p && rt->access == API_PUBLIC && rt->cache == API_CACHE_KEEP &&
	    strcmp(rt->method, "GET") == 0 && dispatch_anonymous(r->http)) {
		struct error e = ERROR_INIT;
		char q[600];

		if (store_pool_get(p, DB_WAIT_MS, &r->st, &e) == 0 && store_ping(r->st, &e) == 0) {
			r->st_pool = p;
			return 0;
		}
		if (r->st)
			store_pool_put(p, r->st);
		r->st = NULL;
		log_warn("db.read.fallback", "error=%s", log_value(e.en, q, sizeof(q)));
	}
	if ((rc = store_pool_get(r->app->pool, DB_WAIT_MS, &r->st, &r->err)) < 0)
		return rc;
	r->st_pool = r->app->pool;
	return store_ping(r->st, &r->err);
}

static int dispatch_run(struct api_ctx *r, const struct api_route *rt, const struct route_args *a)
{
	const char *idem_key;
	int rc, done;

	if ((rc = api_idem_key(r, &idem_key)) < 0)
		return rc;
	if (rt->access != API_NO_DB && (rc = dispatch_connect(r, rt)) < 0)
		return rc;
	if ((rc = dispatch_allow(r, rt)) < 0 || (rc = dispatch_body(r, rt)) < 0)
		return rc;
	/* A list as a file (exports.c): a read, so no Idempotency-Key applies. */
	if ((rc = api_export_run(r, rt->fn, a, &done)) < 0 || done)
		return rc;
	/* Signing in is never answered again: the answer holds a new token. */
	if (idem_key && rt->access != API_NO_DB && rt->fn != api_login &&
	    (rc = api_idem_begin(r, idem_key)) != 0)
		return rc < 0 ? rc : 0;
	rc = rt->fn(r, a);
	api_idem_end(r);
	if (rc == 0 && !r->http->replied)
		rc = error_set(&r->err, THC_EINTERNAL, "không có phản hồi", "no reply was made");
	return rc;
}


/* A kept answer for a public read: 1 when it was sent (200, or 304 for the
 * ETag the client has: http_send_as). */
static int dispatch_from_cache(const struct api_app *app, struct http_req *h)
{
	char etag[PUBCACHE_ETAG_MAX], type[PUBCACHE_TYPE_MAX];
	size_t len = 0;
	char *body = pubcache_get(app->cache, h->target, h->start_ms, &len, etag, type);

	if (body == NULL)
		return 0;
	h->etag = arena_strdup(&h->arena, etag);
	http_add_header(h, "X-Cache", "hit");
	return http_reply_bytes(h, 200, type, body, len) == 0 || h->replied;
}

void api_handle(void *app, struct http_req *h)
{
	struct api_ctx r = { .http = h, .app = app, .arena = &h->arena, .err = ERROR_INIT,
	                     .actor = { .user_id = -1, .addr = h->addr, .now_ms = h->start_ms } };
	struct route_args args = { 0 };
	const struct api_route *rt = dispatch_find(&r, &args);
	int keep = rt && rt->cache == API_CACHE_KEEP && r.app->cache && dispatch_anonymous(h);
	uint64_t gen = keep ? pubcache_generation(r.app->cache) : 0;
	int rc;

	h->cache_public = keep;
	if (keep && dispatch_from_cache(r.app, h))
		return;
	if (keep)       /* made now: for operators and tests, which answer was kept */
		http_add_header(h, "X-Cache", "miss");
	h->keep_reply = keep;
	rc = rt ? dispatch_run(&r, rt, &args) : r.err.code;
	if (r.st)
		store_pool_put(r.st_pool, r.st);
	json_decref(r.json);
	if (r.user)     /* in the request's arena, which outlives the access log */
		h->log_user = r.user->username;
	if (rc < 0 && !h->replied)
		dispatch_reply_error(&r, rc);
	else if (keep && (h->status == 200 || h->status == 304) && h->reply_body)
		pubcache_put_as(r.app->cache, h->target, gen, h->start_ms, h->reply_type, h->reply_body,
		                h->reply_len);
	/* Whatever a write changed, kept answers are stale.  Only a success
	 * counts (a refused write changed nothing), so refused requests cannot
	 * empty the cache on level-change day. */
	if (rt && rt->cache == API_CACHE_DROP && r.app->cache && h->status >= 200 && h->status < 300)
		pubcache_invalidate(r.app->cache);
}

int api_body_json(struct api_ctx *r, json_t **out)
{
	if (r->json == NULL)
		return error_set(&r->err, THC_EINTERNAL, "địa chỉ này không nhận JSON",
		                 "this route takes no JSON body");
	*out = json_incref(r->json);
	return 0;
}
