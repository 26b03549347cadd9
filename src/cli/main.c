// SPDX-License-Identifier: MIT
/* pgtctl's entry point. */
#include "cli.h"

int main(int argc, char **argv)
{
	return cli_run(argc, argv, NULL);
}
