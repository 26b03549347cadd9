// SPDX-License-Identifier: MIT
/* libyaml's functions, as util/dl_yaml.h names them. */
#include <yaml.h>

#include "util/dl.h"

__typeof__(yaml_event_delete) *dl_yaml_event_delete;
__typeof__(yaml_parser_delete) *dl_yaml_parser_delete;
__typeof__(yaml_parser_initialize) *dl_yaml_parser_initialize;
__typeof__(yaml_parser_parse) *dl_yaml_parser_parse;
__typeof__(yaml_parser_set_input_string) *dl_yaml_parser_set_input_string;

static const struct dl_sym syms[] = {
	DL_SYM(yaml_event_delete),
	DL_SYM(yaml_parser_delete),
	DL_SYM(yaml_parser_initialize),
	DL_SYM(yaml_parser_parse),
	DL_SYM(yaml_parser_set_input_string),
};
static struct dl_lib lib = DL_LIB("libyaml", "libyaml-0.so.2", syms);

int dl_libyaml(struct pgt_error *err)
{
	return dl_load(&lib, err);
}
