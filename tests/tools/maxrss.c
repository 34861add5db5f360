/* maxrss.c - runs a command and reports its peak resident memory
 *
 * Usage: maxrss [-o FILE] [--max KIB] CMD [ARG...]
 *
 * Runs CMD (standard input, output and error shared), waits for it and
 * writes the peak resident set size of it and its waited-for descendants
 * (getrusage RUSAGE_CHILDREN, ru_maxrss, in KiB) as one number and a
 * newline to FILE (default: standard error).  With --max, a peak over KIB
 * is also reported as "maxrss: peak N KiB over the bound of KIB KiB" on
 * standard error and makes the status 1.  Otherwise the exit status is
 * CMD's (128 + N if a signal N ended it; 127 if it could not be run).
 * For the bounded-memory tests (issue 9): `$GENDATA ... | maxrss hicard
 * SUB ...`; the generator's own memory is not counted because only CMD is
 * a child of maxrss.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static int usage(void)
{
	fputs("usage: maxrss [-o FILE] [--max KIB] CMD [ARG...]\n", stderr);
	return 2;
}

int main(int argc, char **argv)
{
	const char *outpath = NULL;
	long long max = -1;
	struct rusage ru;
	int i = 1, status, rc;
	pid_t pid;
	FILE *out;

	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			outpath = argv[i + 1];
			i += 2;
		} else if (strcmp(argv[i], "--max") == 0 && i + 1 < argc) {
			char *end;
			max = strtoll(argv[i + 1], &end, 10);
			if (*end || max < 0)
				return usage();
			i += 2;
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else {
			return usage();
		}
	}
	if (i >= argc)
		return usage();
	pid = fork();
	if (pid < 0) {
		perror("maxrss: fork");
		return 127;
	}
	if (pid == 0) {
		execvp(argv[i], argv + i);
		fprintf(stderr, "maxrss: cannot run %s: %s\n", argv[i], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("maxrss: waitpid");
			return 127;
		}
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (getrusage(RUSAGE_CHILDREN, &ru) != 0) {
		perror("maxrss: getrusage");
		return 127;
	}
	out = outpath ? fopen(outpath, "w") : stderr;
	if (!out || fprintf(out, "%ld\n", ru.ru_maxrss) < 0 ||
	    (outpath && fclose(out) != 0)) {
		perror("maxrss: writing the result");
		return 127;
	}
	if (max >= 0 && ru.ru_maxrss > max) {
		fprintf(stderr, "maxrss: peak %ld KiB over the bound of %lld KiB\n",
			ru.ru_maxrss, max);
		return 1;
	}
	return rc;
}
