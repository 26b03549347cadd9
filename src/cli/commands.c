// SPDX-License-Identifier: MIT
/* The one command table: the CLI (and later the REPL and batch) dispatch
 * through it, so a command exists everywhere or nowhere. */
#include "cli.h"

extern const struct cmd cmd_formats, cmd_build, cmd_map, cmd_unmap, cmd_translate, cmd_dump,
	cmd_info, cmd_check, cmd_scan, cmd_diff, cmd_whereis, cmd_free, cmd_fault, cmd_devices, cmd_emit,
	cmd_batch, cmd_repl, cmd_load, cmd_save, cmd_new, cmd_kernel, cmd_undo, cmd_help, cmd_quit,
	cmd_exit;

const struct cmd *const commands[] = {
	&cmd_formats, &cmd_build, &cmd_map,  &cmd_unmap, &cmd_translate, &cmd_dump,
	&cmd_info,    &cmd_check, &cmd_scan, &cmd_diff,  &cmd_whereis,	 &cmd_free,  &cmd_fault, &cmd_devices,
	&cmd_emit,    &cmd_batch, &cmd_repl, &cmd_load, &cmd_save,	 &cmd_new,
	&cmd_kernel, &cmd_undo,    &cmd_help,  &cmd_quit, &cmd_exit, NULL,
};
