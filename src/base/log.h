/*
 * Structured logging: one line per event on stderr,
 *   ts=2026-11-23T16:31:40.123Z level=info event=http.request rid=... k=v
 * Values with spaces or quotes must go through log_value().
 */
#ifndef THC_LOG_H
#define THC_LOG_H

#include <stddef.h>
#include "compat.h"

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level min);
/* fmt holds the key=value pairs after the event name; may be NULL. */
void log_event(enum log_level lvl, const char *event, const char *fmt, ...)
	THC_PRINTF(3, 4);
/* Quotes v for a key=value line when needed; returns out. */
const char *log_value(const char *v, char *out, size_t outsz);

#define log_info(ev, ...)  log_event(LOG_INFO, ev, __VA_ARGS__)
#define log_warn(ev, ...)  log_event(LOG_WARN, ev, __VA_ARGS__)
#define log_error(ev, ...) log_event(LOG_ERROR, ev, __VA_ARGS__)

#endif
