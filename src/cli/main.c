// SPDX-License-Identifier: MIT
/* pgtctl's entry point; pgtctl __complete is the shells' completion. */
#include <string.h>

#include "cli.h"
#include "complete.h"

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "__complete"))
		return complete_main(argc - 1, argv + 1);
	return cli_run(argc, argv, NULL);
}
