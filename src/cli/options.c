// SPDX-License-Identifier: MIT
/*
 * Every option of every command, parsed by one function. A command's argp
 * lists the options it accepts; argp refuses the others. Errors are ours,
 * not argp's, so that --json turns them into JSON too.
 */
#include <errno.h>
#include <string.h>

#include "cli.h"

enum {
	OPT_DUMP = 256,
	OPT_RAWFILE,
	OPT_BASE,
	OPT_FORMAT,
	OPT_ROOT,
	OPT_IAS,
	OPT_OAS,
	OPT_PGSIZE_BITMAP,
	OPT_QUIRKS,
	OPT_COHERENT,
	OPT_MODE,
	OPT_CPU_PAGE,
	OPT_ENDIAN,
	OPT_USAGE,
};

static const struct argp_option global_options[] = {
	{"json", 'j', NULL, 0, "JSON output (errors too)", -1},
	{"help", '?', NULL, 0, "this help", -1},
	{"usage", OPT_USAGE, NULL, 0, "a short usage message", -1},
	{"version", 'V', NULL, 0, "print the version", -1},
	{NULL, 0, NULL, 0, NULL, 0},
};

/* The groups' own parser: the command's parser alone hands out inputs. */
static error_t parse_group(int key, char *arg, struct argp_state *state)
{
	if (key == ARGP_KEY_INIT || key == ARGP_KEY_ARG || key == ARGP_KEY_ERROR)
		return ARGP_ERR_UNKNOWN;
	return cli_parse_opt(key, arg, state);
}

const struct argp argp_global = {global_options, parse_group, NULL, NULL, NULL, NULL, NULL};

static const struct argp_option source_options[] = {
	{NULL, 0, NULL, 0, "Memory sources (instead of an IMAGE or spec):", 1},
	{"dump", OPT_DUMP, "FILE", 0, "a crash dump: ELF core (vmcore, QEMU, image) or compressed or flattened kdump; repeatable", 1},
	{"raw", OPT_RAWFILE, "FILE", 0, "a flat memory file; give --base after it", 1},
	{"base", OPT_BASE, "PA", 0, "physical address of the preceding --raw file's first byte", 1},
	{"format", OPT_FORMAT, "NAME", 0, "the table format (see 'pgtctl formats')", 1},
	{"root", OPT_ROOT, "PA[,PA...]", 0, "root table address(es): TTBR, VTTBR, ...", 1},
	{NULL, 0, NULL, 0, "Configuration of a memory source (io_pgtable_cfg):", 2},
	{"ias", OPT_IAS, "BITS", 0, "input address size", 2},
	{"oas", OPT_OAS, "BITS", 0, "output address size", 2},
	{"pgsize-bitmap", OPT_PGSIZE_BITMAP, "SIZES", 0, "page sizes: 0x40201000 or 4K,2M,1G", 2},
	{"quirks", OPT_QUIRKS, "LIST", 0, "quirk names (arm-ns,arm-ttbr1,...) or bits", 2},
	{"coherent-walk", OPT_COHERENT, "yes|no", 0, "the walker is cache coherent", 2},
	{"mode", OPT_MODE, "N", 0, "amd-iommu-v1: number of levels (1-6)", 2},
	{"cpu-page-size", OPT_CPU_PAGE, "SIZE", 0, "the kernel's PAGE_SIZE (LPAE granule choice)", 2},
	{"endian", OPT_ENDIAN, "little|big", 0,
	 "byte order of the descriptors (default: the dump's, else little)", 2},
	{NULL, 0, NULL, 0, NULL, 0},
};

const struct argp argp_source = {source_options, parse_group, NULL, NULL, NULL, NULL, NULL};

static error_t bad_value(struct argp_state *state, const char *what, const struct pgt_error *err)
{
	((struct cli *)state->input)->err_shown = true;
	out_error("%s: %s", what, err->msg);
	return EINVAL;
}

static error_t refuse(struct argp_state *state, const char *msg)
{
	((struct cli *)state->input)->err_shown = true;
	out_error("%s", msg);
	return EINVAL;
}

static error_t config_number(struct argp_state *state, const char *what, const char *arg,
			     unsigned max, unsigned *out)
{
	struct pgt_error err;
	uint64_t v;
	if (pgt_parse_u64(arg, &v, &err))
		return bad_value(state, what, &err);
	if (v > max) {
		pgt_fail(&err, -ERANGE, "%llu is larger than %u", (unsigned long long)v, max);
		return bad_value(state, what, &err);
	}
	*out = (unsigned)v;
	return 0;
}

void cli_each_option(const struct argp *argp,
		     void (*visit)(const struct argp_option *op, void *ctx), void *ctx)
{
	for (const struct argp_option *op = argp->options; op && (op->name || op->key || op->doc);
	     op++)
		if ((op->name || op->key) && !(op->flags & OPTION_DOC))
			visit(op, ctx);
	for (const struct argp_child *ch = argp->children; ch && ch->argp; ch++)
		cli_each_option(ch->argp, visit, ctx);
}

/* --- what is wrong with an option word --------------------------------------
 * argp (getopt) only says that something is; the user is told which option,
 * why, and what comes near it. */

enum verdict { WORD_OK, WORD_UNKNOWN, WORD_AMBIGUOUS, WORD_NEEDS_VALUE, WORD_NO_VALUE };

struct word {
	const char *text; /* the word: "--name", "--name=value", "-abc" */
	size_t len;	  /* of the option's name in it (after the dashes) */
	const char *name;
	char shorts;	  /* the short option looked up, or 0 */
	unsigned exact, prefixes;
	const struct argp_option *op;
	char names[160]; /* the long options an ambiguous prefix names */
	struct similar near;
};

static void match_long(const struct argp_option *op, void *ctx)
{
	struct word *w = ctx;
	if (!op->name)
		return;
	similar_add(&w->near, op->name);
	if (strncmp(op->name, w->name, w->len))
		return;
	if (!op->name[w->len]) {
		w->exact++;
		w->op = op;
		return;
	}
	if (w->exact)
		return;
	/* getopt_long takes a prefix that names one option, under any name */
	if (!w->op || w->op->key != op->key) {
		char b[48];
		snprintf(b, sizeof(b), "--%s", op->name);
		pgt_join(w->names, sizeof(w->names), ", ", b);
		w->prefixes++;
	}
	w->op = op;
}

static void match_short(const struct argp_option *op, void *ctx)
{
	struct word *w = ctx;
	if (op->key == w->shorts)
		w->op = op;
}

/* Look one word up in argp's options; last: no word follows it. */
static enum verdict check_word(const struct argp *argp, const char *text, bool last,
			       struct word *w)
{
	memset(w, 0, sizeof(*w));
	w->text = text;
	if (text[0] != '-' || !text[1] || !strcmp(text, "--"))
		return WORD_OK;
	if (text[1] == '-') {
		const char *eq = strchr(text, '=');
		w->name = text + 2;
		w->len = eq ? (size_t)(eq - w->name) : strlen(w->name);
		similar_init(&w->near, w->name, w->len);
		cli_each_option(argp, match_long, w);
		if (!w->exact && w->prefixes > 1)
			return WORD_AMBIGUOUS;
		if (!w->op)
			return WORD_UNKNOWN;
		if (eq && !w->op->arg)
			return WORD_NO_VALUE;
		if (!eq && w->op->arg && !(w->op->flags & OPTION_ARG_OPTIONAL) && last)
			return WORD_NEEDS_VALUE;
		return WORD_OK;
	}
	for (const char *p = text + 1; *p; p++) {
		w->shorts = *p;
		w->op = NULL;
		cli_each_option(argp, match_short, w);
		if (!w->op)
			return WORD_UNKNOWN;
		if (w->op->arg)
			return p[1] || !last || (w->op->flags & OPTION_ARG_OPTIONAL) ? WORD_OK
										  : WORD_NEEDS_VALUE;
	}
	return WORD_OK;
}

/* The option as the user typed it, for the message: "--name" or "-k". */
static const char *typed(const struct word *w, char *buf, size_t len)
{
	if (w->shorts)
		snprintf(buf, len, "-%c", w->shorts);
	else
		snprintf(buf, len, "--%.*s", (int)(w->len > 60 ? 60 : w->len), w->name);
	return buf;
}

/* Report word's problem, w's verdict v, as a message of cmd ("" for none). */
static void say(const char *cmd, const struct word *w, enum verdict v)
{
	char opt[72], hint[160];
	const char *sep = *cmd ? ": " : "";
	switch (v) {
	case WORD_UNKNOWN:
		out_error("%s%sunknown option '%s'%s", cmd, sep, typed(w, opt, sizeof(opt)),
			  w->shorts ? "" : similar_text(&w->near, "--", hint, sizeof(hint)));
		break;
	case WORD_AMBIGUOUS:
		out_error("%s%soption '%s' is ambiguous (%s)", cmd, sep,
			  typed(w, opt, sizeof(opt)), w->names);
		break;
	case WORD_NEEDS_VALUE:
		out_error("%s%soption '%s' needs a value (%s)", cmd, sep,
			  typed(w, opt, sizeof(opt)), w->op->arg);
		break;
	case WORD_NO_VALUE:
		out_error("%s%soption '%s' takes no value", cmd, sep, typed(w, opt, sizeof(opt)));
		break;
	case WORD_OK:
		break;
	}
}

/* After the message, as coreutils and git do: the command's one-line usage
 * and where the rest is. Text only: in JSON the message is the document. */
static void usage_hint(const char *prog, const char *args)
{
	if (out_json())
		return;
	int n = (int)strcspn(args, "\n");
	fprintf(stderr, "Usage: %s [OPTION...]%s%.*s\n", prog, n ? " " : "", n, args);
	fprintf(stderr, "Try '%s --help' for more information.\n", prog);
}

/* argp refused an option (getopt leaves next past the word, or on it when
 * the bad letter is inside a group of short options). */
static void option_error(struct cli *c, struct argp_state *state)
{
	struct word w;
	enum verdict v = WORD_OK;
	for (int i = state->next - 1; i <= state->next && v == WORD_OK; i++)
		if (i >= 0 && i < state->argc)
			v = check_word(state->root_argp, state->argv[i], i + 1 == state->argc, &w);
	if (v == WORD_OK) {
		out_error("internal error: %s: getopt refused an option that pgtctl finds right",
			  c->cmd->name);
	} else {
		say(c->cmd->name, &w, v);
	}
	char prog[64];
	snprintf(prog, sizeof(prog), "%s%s", c->session ? "" : "pgtctl ", c->cmd->name);
	usage_hint(prog, c->cmd->argp->args_doc ? c->cmd->argp->args_doc : "");
}

int cli_option_without_command(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
		struct word w;
		bool known = false, value = false;
		for (const struct cmd *const *c = commands; *c; c++) {
			enum verdict v = check_word((*c)->argp, argv[i], i + 1 == argc, &w);
			known |= v != WORD_UNKNOWN;
			value |= v == WORD_OK && w.op && w.op->arg && !w.shorts && !strchr(argv[i], '=');
		}
		if (!known) {
			/* what is near it among the options every command takes */
			check_word(&argp_global, argv[i], i + 1 == argc, &w);
			say("", &w, WORD_UNKNOWN);
			usage_hint("pgtctl", "COMMAND [ARG...]");
			return EXIT_USAGE;
		}
		i += value;
	}
	return EXIT_OK;
}

error_t cli_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct cli *c = state->input;
	struct source_opts *s = &c->src;
	struct pgt_error err;

	switch (key) {
	case ARGP_KEY_INIT:
		for (unsigned i = 0; state->root_argp->children &&
				     state->root_argp->children[i].argp;
		     i++)
			state->child_inputs[i] = state->input;
		return 0;
	case 'j':
		c->json = true;
		return 0;
	case '?':
		argp_help(state->root_argp, stdout, ARGP_HELP_STD_HELP & ~ARGP_HELP_EXIT_OK,
			  (char *)state->name);
		c->help_shown = true;
		return 0;
	case OPT_USAGE:
		argp_help(state->root_argp, stdout, ARGP_HELP_USAGE, (char *)state->name);
		c->help_shown = true;
		return 0;
	case 'V':
		printf("%s\n", argp_program_version);
		c->help_shown = true;
		return 0;
	case 'v':
		c->verbose = true;
		return 0;
	case 'o':
		c->out_path = arg;
		return 0;
	case 'O':
		if (strcmp(arg, "yaml") && strcmp(arg, "text"))
			return refuse(state, "--output: valid forms are text and yaml");
		c->out_fmt = arg;
		return 0;
	case 'p':
		c->prot = arg;
		return 0;
	case 's':
		c->pgsize = arg ? arg : "";
		return 0;
	case 'D':
		c->descriptors = true;
		return 0;
	case 'z':
		c->free_size = arg;
		return 0;
	case 'a':
		c->free_align = arg;
		return 0;
	case 'g':
		c->free_range = arg;
		return 0;
	case 'c':
		c->commands = arg;
		return 0;
	case OPT_FAULT_KIND:
		c->fault_kind = arg;
		return 0;
	case OPT_FAULT_LOG:
		c->fault_log = arg;
		return 0;
	case 'T':
		c->trace_tlb = true;
		return 0;
	case 'R':
		c->raw_out = true;
		return 0;
	case 'E':
		c->elf_out = true;
		return 0;
	case 'l':
		c->leaves = true;
		return 0;
	case 't':
		c->tree = true;
		return 0;
	case 'S':
		c->split = true;
		return 0;
	case 'r':
		c->replace = true;
		return 0;
	case 'n':
		c->top = arg;
		return 0;
	case OPT_DUMP:
	case OPT_RAWFILE:
		if (s->n_files == MAX_MEM_FILES)
			return refuse(state, "too many memory files");
		s->file[s->n_files++] = (struct mem_file){arg, key == OPT_RAWFILE, false, 0};
		return 0;
	case OPT_BASE: {
		struct mem_file *f = s->n_files ? &s->file[s->n_files - 1] : NULL;
		if (!f || !f->raw || f->has_base)
			return refuse(state, "--base: give it right after the --raw FILE it places");
		if (pgt_parse_u64(arg, &f->base, &err))
			return bad_value(state, "--base", &err);
		f->has_base = true;
		return 0;
	}
	case OPT_FORMAT:
		s->format = arg;
		return 0;
	case OPT_ROOT:
		s->roots = arg;
		return 0;
	case OPT_IAS:
		s->given |= GIVEN_IAS;
		return config_number(state, "--ias", arg, 64, &s->cfg.ias);
	case OPT_OAS:
		s->given |= GIVEN_OAS;
		return config_number(state, "--oas", arg, 64, &s->cfg.oas);
	case OPT_MODE:
		s->given |= GIVEN_MODE;
		return config_number(state, "--mode", arg, 6, &s->cfg.amd_mode);
	case OPT_PGSIZE_BITMAP:
		s->given |= GIVEN_PGSIZES;
		if (pgt_parse_pgsizes(arg, &s->cfg.pgsize_bitmap, &err))
			return bad_value(state, "--pgsize-bitmap", &err);
		return 0;
	case OPT_QUIRKS:
		s->given |= GIVEN_QUIRKS;
		if (pgt_parse_quirks(arg, &s->cfg.quirks, &err))
			return bad_value(state, "--quirks", &err);
		return 0;
	case OPT_COHERENT:
		s->given |= GIVEN_COHERENT;
		if (pgt_parse_bool(arg, &s->cfg.coherent_walk, &err))
			return bad_value(state, "--coherent-walk", &err);
		return 0;
	case OPT_ENDIAN:
		if (strcmp(arg, "little") && strcmp(arg, "big"))
			return refuse(state, "--endian: little or big");
		s->endian = true;
		s->big_endian = !strcmp(arg, "big");
		return 0;
	case OPT_CPU_PAGE:
		s->given |= GIVEN_PAGE;
		if (pgt_parse_pow2(arg, &s->cfg.cpu_page_size, &err))
			return bad_value(state, "--cpu-page-size", &err);
		return 0;
	case ARGP_KEY_ARG:
		if (c->n_args == MAX_ARGS)
			return refuse(state, "too many arguments");
		c->args[c->n_args++] = arg;
		return 0;
	case ARGP_KEY_ERROR:
		if (!c->err_shown)
			option_error(c, state);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}
