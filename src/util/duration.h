/* Durations as the spec writes them and as Go / Kubernetes APIs read them. */
#ifndef HS_DURATION_H
#define HS_DURATION_H
#include "arena.h"

/* Duration "90s", "30m", "1h30m", or a number of seconds; -1 when invalid. */
long duration_seconds(const char *s);
/* Seconds as a Go / Gateway API duration: 1800 → "30m", 5400 → "1h30m", 45 → "45s". */
const char *duration_text(struct arena *a, long seconds);
#endif
