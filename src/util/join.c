// SPDX-License-Identifier: MIT
#include <string.h>

#include "util/join.h"

const char *pgt_join(char *buf, size_t len, const char *sep, const char *word)
{
	size_t used = strnlen(buf, len);
	if (used >= len)
		return buf; /* not a string: leave it */
	const char *parts[2] = {used ? sep : "", word};
	for (unsigned i = 0; i < 2; i++) {
		size_t n = strlen(parts[i]), room = len - 1 - used;
		if (n > room)
			n = room;
		memcpy(buf + used, parts[i], n);
		used += n;
	}
	buf[used] = 0;
	return buf;
}
