/* What the command line decides for a whole run, shared by the model and the emitters. */
#ifndef HS_OPTIONS_H
#define HS_OPTIONS_H
#include <stdbool.h>

struct run_opts {
	const char *app;              /* -a, validated */
	const char *ns;               /* -n, or NULL: objects are placed in "default" */
	const char *provider;         /* --provider override, or NULL */
	bool gateway_experimental;    /* --gateway-channel experimental */
	bool strict;                  /* --strict */
};

#define HS_DEFAULT_ENV "dev"
#define HS_DEFAULT_NAMESPACE "default"
#endif
