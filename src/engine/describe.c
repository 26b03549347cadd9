// SPDX-License-Identifier: MIT
/* Building the descriptions formats give of themselves: decoded fields of a
 * descriptor and output registers. */
#include "engine.h"

void pgt_field_add(struct pgt_fields *f, const char *name, uint64_t value, const char *meaning)
{
	if (f->n < f->max)
		f->out[f->n++] = (struct pgt_field){name, value, meaning};
}

static struct pgt_reg *reg_new(struct pgt_regs *r, const char *name, enum pgt_reg_kind kind)
{
	struct pgt_reg *g = &r->reg[r->n++];
	memset(g, 0, sizeof(*g));
	g->name = name;
	g->kind = kind;
	return g;
}

void pgt_reg_value(struct pgt_regs *r, const char *name, uint64_t value)
{
	reg_new(r, name, PGT_REG_VALUE)->value = value;
}

void pgt_reg_count(struct pgt_regs *r, const char *name, uint64_t value)
{
	reg_new(r, name, PGT_REG_COUNT)->value = value;
}

struct pgt_reg *pgt_reg_group(struct pgt_regs *r, const char *name)
{
	return reg_new(r, name, PGT_REG_FIELDS);
}

struct pgt_reg *pgt_reg_image(struct pgt_regs *r, const char *name, uint64_t value)
{
	struct pgt_reg *g = reg_new(r, name, PGT_REG_FIELDS);
	g->image = true;
	g->value = value;
	return g;
}

void pgt_reg_field(struct pgt_reg *g, const char *name, uint64_t value)
{
	g->field[g->n].name = name;
	g->field[g->n].value = value;
	g->n++;
}

struct pgt_reg *pgt_reg_list(struct pgt_regs *r, const char *name)
{
	return reg_new(r, name, PGT_REG_LIST);
}
