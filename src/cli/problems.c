// SPDX-License-Identifier: MIT
/* The problems of a walk, one shape in every command. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

void problem_print(const struct problem *p)
{
	out_obj_begin(NULL);
	if (p->side) {
		out_str("side", NULL, p->side == 'a' ? "a" : "b");
		out_text("%c: ", p->side == 'a' ? 'A' : 'B');
	}
	out_str("kind", "%-14s", pgt_stop_name(p->kind));
	out_uint("level", " L%llu", p->label);
	out_hex("iova", " iova 0x%llx", p->iova);
	out_hex("desc_pa", " desc @0x%llx", p->desc_pa);
	out_hex("desc", " = 0x%016llx", p->raw);
	out_str("why", ": %s\n", p->why);
	out_obj_end();
}

int problems_add(struct problems *ps, const struct pgt_problem *p, char side)
{
	ps->count++;
	if (!out_json()) {
		out_warning("%s%slevel %u descriptor 0x%016llx at 0x%llx (iova 0x%llx): %s",
			    side ? (side == 'a' ? "A" : "B") : "", side ? ": " : "", p->label,
			    (unsigned long long)p->raw, (unsigned long long)p->desc_pa,
			    (unsigned long long)p->iova, p->why);
		return 0;
	}
	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? 2 * ps->cap : 16;
		struct problem *l = realloc(ps->list, cap * sizeof(*l));
		if (!l)
			return -ENOMEM;
		ps->list = l;
		ps->cap = cap;
	}
	char *why = strdup(p->why);
	if (!why)
		return -ENOMEM;
	ps->list[ps->n++] = (struct problem){p->kind, p->label, p->iova, p->desc_pa, p->raw, side, why};
	return 0;
}

int problems_on_problem(void *ctx, const struct pgt_problem *p)
{
	return problems_add(ctx, p, 0);
}

void problems_print(struct problems *ps)
{
	out_arr_begin("problems");
	for (size_t i = 0; i < ps->n; i++) {
		problem_print(&ps->list[i]);
		free(ps->list[i].why);
	}
	out_arr_end();
	out_uint("problem_count", NULL, ps->count);
	free(ps->list);
	ps->list = NULL;
	ps->n = ps->cap = 0;
}
