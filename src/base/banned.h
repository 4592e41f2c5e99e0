/*
 * Risky libc calls become compile errors (git's banned.h idea).
 * Include after all system and library headers.
 */
#ifndef THC_BANNED_H
#define THC_BANNED_H

#define THC_BANNED(fn) sorry_##fn##_is_banned_see_STYLE_md

#undef strcpy
#define strcpy(x, y) THC_BANNED(strcpy)        /* use strbuf or snprintf */
#undef strcat
#define strcat(x, y) THC_BANNED(strcat)        /* use strbuf_add */
#undef strncpy
#define strncpy(x, y, n) THC_BANNED(strncpy)   /* use snprintf("%s") */
#undef strncat
#define strncat(x, y, n) THC_BANNED(strncat)
#undef strtok
#define strtok(x, y) THC_BANNED(strtok)
#undef strtok_r
#define strtok_r(x, y, z) THC_BANNED(strtok_r)
#undef sprintf
#define sprintf(...) THC_BANNED(sprintf)       /* use snprintf or strbuf_addf */
#undef vsprintf
#define vsprintf(...) THC_BANNED(vsprintf)
#undef gets
#define gets(x) THC_BANNED(gets)               /* use fgets or getline */
#undef atoi
#define atoi(x) THC_BANNED(atoi)               /* use parse_int64: range, junk */
#undef atol
#define atol(x) THC_BANNED(atol)
#undef gmtime
#define gmtime(t) THC_BANNED(gmtime)           /* use vntime_* */
#undef localtime
#define localtime(t) THC_BANNED(localtime)     /* use vntime_*: fixed UTC+7 */
#undef ctime
#define ctime(t) THC_BANNED(ctime)
#undef asctime
#define asctime(t) THC_BANNED(asctime)
#undef mktemp
#define mktemp(t) THC_BANNED(mktemp)           /* use mkstemp */

#endif
