/* SPDX-License-Identifier: MIT */
/* Lists of names in messages: code the library and the command line share
 * (each links its own copy; libpgt does not export it). */
#ifndef PGT_UTIL_JOIN_H
#define PGT_UTIL_JOIN_H

#include <stddef.h>

/*
 * Append word to the list in buf (a C string of len bytes), after sep
 * unless the list is empty; what does not fit is cut. The one way lists
 * of names are built for messages, so that none can write or point past
 * its buffer.
 */
const char *pgt_join(char *buf, size_t len, const char *sep, const char *word);

#endif
