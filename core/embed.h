/* Files embedded into a binary at build time (cmake/embed.cmake). */
#ifndef CONTEST_EMBED_H
#define CONTEST_EMBED_H

#include <stddef.h>

struct embed_file {
	const char *name;            /* base name, e.g. "001_init.sql" */
	const unsigned char *data;   /* contents, followed by a NUL byte */
	size_t len;                  /* length without the NUL */
};

#endif
