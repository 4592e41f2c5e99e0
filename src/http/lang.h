/*
 * The reply language from an Accept-Language header.  Pure: no I/O, no
 * state; a fuzz target drives it (tests/fuzz/fuzz_lang.c).
 */
#ifndef THC_HTTP_LANG_H
#define THC_HTTP_LANG_H

/* 1 when the client ranks English above Vietnamese, else 0 (Vietnamese
 * first: no header, junk, or a tie all give 0). */
int http_lang_english(const char *accept_language);

#endif
