/* Did-you-mean for command-line words (commands, options, enum values). */
#include <string.h>
#include <strings.h>
#include "cli.h"
#include "../util/names.h"

const char *suggest(const char *s, const char *const *words)
{
	const char *best = NULL;
	size_t bestd = strlen(s) < 4 ? 2 : 3; /* a distance of 3 in a 3-letter word is any word */
	for (const char *const *w = words; *w; w++) {
		size_t d = edit_distance(s, *w, bestd);
		if (d < bestd || (!best && !strcasecmp(s, *w))) {
			bestd = d;
			best = *w;
		}
	}
	return best;
}

const char *did_you_mean(struct arena *a, const char *s, const char *const *words)
{
	const char *b = suggest(s, words);
	return b ? arena_printf(a, "; did you mean '%s'?", b) : "";
}
