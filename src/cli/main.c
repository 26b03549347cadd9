// SPDX-License-Identifier: MIT
/* pgtctl's entry point. */
#include "cli.h"

const char *argp_program_version = "pgtctl " PGTCTL_VERSION;
const char *argp_program_bug_address = "the pgtctl issue tracker";

int main(int argc, char **argv)
{
	return cli_run(argc, argv, NULL);
}
