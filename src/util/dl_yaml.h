/* SPDX-License-Identifier: MIT */
/*
 * libyaml (YAML specs), loaded on first use (util/dl.h): every
 * function this file's users call goes through a pointer of its own type,
 * named like the function, that dl_libyaml() fills. Call dl_libyaml() before any
 * of them.
 */
#ifndef PGT_UTIL_DL_YAML_H
#define PGT_UTIL_DL_YAML_H

#include <yaml.h>

#include "util/dl.h"

extern __typeof__(yaml_event_delete) *dl_yaml_event_delete;
extern __typeof__(yaml_parser_delete) *dl_yaml_parser_delete;
extern __typeof__(yaml_parser_initialize) *dl_yaml_parser_initialize;
extern __typeof__(yaml_parser_parse) *dl_yaml_parser_parse;
extern __typeof__(yaml_parser_set_input_string) *dl_yaml_parser_set_input_string;

#define yaml_event_delete dl_yaml_event_delete
#define yaml_parser_delete dl_yaml_parser_delete
#define yaml_parser_initialize dl_yaml_parser_initialize
#define yaml_parser_parse dl_yaml_parser_parse
#define yaml_parser_set_input_string dl_yaml_parser_set_input_string

#endif
