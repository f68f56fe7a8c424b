/* trivial.c - the trivial process of the start and memory baselines: exit, or wait idle with "idle" */

#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "idle"))
		for (;;) pause();
	return 0;
}
