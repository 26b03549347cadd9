// SPDX-License-Identifier: MIT
/* pgtctl's entry point; pgtctl __complete is the shells' completion. */
#include <string.h>

#include "cli.h"
#include "complete.h"

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "__complete"))
		return complete_main(argc - 1, argv + 1);
	/* pgtctl owns its process: a signal that ends a write removes its
	 * temporary file, a file size limit fails the write */
	pgt_replace_guard_signals(true);
	return cli_run(argc, argv, NULL);
}
