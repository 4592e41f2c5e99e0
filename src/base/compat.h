/* Small compiler helpers shared by every layer. */
#ifndef THC_COMPAT_H
#define THC_COMPAT_H

#include <stddef.h>

#define THC_MUST_CHECK __attribute__((warn_unused_result))
#define THC_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define THC_UNUSED __attribute__((unused))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))
#endif

#endif
