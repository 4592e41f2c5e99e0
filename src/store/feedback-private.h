/*
 * What the feedback store files (feedback.c, feedback_photos.c,
 * feedback_more.c) share: who handles a request, in SQL.
 */
#ifndef THC_STORE_FEEDBACK_PRIVATE_H
#define THC_STORE_FEEDBACK_PRIVATE_H

#include "domain/role.h"
#include "store/store-private.h"

#define FB_ROLES ROLE_MASK_OFFICIALS

/* Officials in scope of the responsible or the assigned unit ($U uid, $R roles). */
#define FB_SCOPE(uid, roles) \
	"(" SCOPE_SQL("f.unit_path", uid, roles) " OR (f.assigned_path IS NOT NULL AND " \
	SCOPE_SQL("f.assigned_path", uid, roles) "))"

#endif
