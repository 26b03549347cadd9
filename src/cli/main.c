// SPDX-License-Identifier: MIT
/* pgtctl's entry point. */
#include "cli.h"

int main(int argc, char **argv)
{
	/* pgtctl owns its process: a signal that ends a write removes its
	 * temporary file, a file size limit fails the write */
	pgt_replace_guard_signals(true);
	return cli_run(argc, argv, NULL);
}
