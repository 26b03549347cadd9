/* SPDX-License-Identifier: MIT */
/* What the PGTCTL note of an image says. */
#ifndef PGT_IMAGE_NOTE_H
#define PGT_IMAGE_NOTE_H

#include "pgt/image.h"

struct image_note {
	const struct pgt_format *fmt;
	struct pgt_cfg cfg;
	pgt_addr roots[PGT_MAX_ROOTS];
	unsigned n_roots;
	bool big_endian; /* descriptors of a big-endian kernel's table */
};

int pgt_image_note_parse(const char *desc, size_t len, struct image_note *n,
			 struct pgt_error *err);

/* What the IMAGE at path holds that pgtctl does not write, as
 * "1 more PT_LOAD segment, 2 other notes" (empty when nothing). */
int pgt_image_foreign(const char *path, char *what, size_t len);

#endif
