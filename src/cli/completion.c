/* `hyscale completion bash|zsh|fish`: scripts written from the command and option tables
 * (options.h), so a new command or option completes without another edit. */
#include <stdio.h>
#include <string.h>
#include "options.h"

static void words_of(FILE *out, const char *const *v)
{
	for (size_t i = 0; v && v[i]; i++)
		fprintf(out, "%s%s", i ? " " : "", v[i]);
}

/* Option names of a command, space separated. */
static void option_names(FILE *out, const struct command *c)
{
	bool first = true;
	for (const struct opt_doc *o = option_table(); o->groups; o++) {
		if (!(o->groups & (c->opts | OG_ALL)))
			continue;
		if (o->short_name)
			fprintf(out, "%s-%c", first ? "" : " ", o->short_name), first = false;
		if (o->long_name)
			fprintf(out, "%s--%s", first ? "" : " ", o->long_name), first = false;
	}
}

static void bash(FILE *out)
{
	fputs("# bash completion for hyscale (hyscale completion bash)\n"
	      "_hyscale() {\n"
	      "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} path='' i w c\n"
	      "  for ((i = 1; i < COMP_CWORD; i++)); do w=${COMP_WORDS[i]}; [[ $w == -* ]] && break; path=\"$path${path:+ }$w\"; done\n"
	      "  local cmds=(", out);
	for (const struct command *c = command_table(); c->words; c++)
		fprintf(out, "%s'%s'", c == command_table() ? "" : " ", c->words);
	fputs(")\n"
	      "  if [[ $cur != -* ]]; then\n"
	      "    case \"$path\" in\n"
	      "      completion) COMPREPLY=($(compgen -W 'bash zsh fish' -- \"$cur\")); return ;;\n"
	      "      schema) COMPREPLY=($(compgen -W 'service profile' -- \"$cur\")); return ;;\n"
	      "    esac\n"
	      "  fi\n"
	      "  case \"$path|$prev\" in\n", out);
	for (const struct command *c = command_table(); c->words; c++)
		for (const struct opt_doc *o = option_table(); o->groups; o++) {
			if (!(o->groups & (c->opts | OG_ALL)) || o->value == OV_NONE)
				continue;
			fputs("    ", out);
			if (o->short_name)
				fprintf(out, "'%s|-%c'%s", c->words, o->short_name, o->long_name ? "|" : "");
			if (o->long_name)
				fprintf(out, "'%s|--%s'", c->words, o->long_name);
			fputc(')', out);
			switch (o->value) {
			case OV_HSPEC:
				fputs(" COMPREPLY=($(compgen -f -X '!*.hspec' -- \"$cur\") $(compgen -d -- \"$cur\"));", out);
				break;
			case OV_HPROF:
				fputs(" COMPREPLY=($(compgen -f -X '!*.hprof' -- \"$cur\") $(compgen -d -- \"$cur\"));", out);
				break;
			case OV_DIR:
				fputs(" COMPREPLY=($(compgen -d -- \"$cur\"));", out);
				break;
			case OV_LIST:
				fputs(" COMPREPLY=($(compgen -W '", out);
				words_of(out, opt_values(o));
				fputs("' -- \"$cur\"));", out);
				break;
			default:
				fputs(" COMPREPLY=();", out);
			}
			fputs(" return ;;\n", out);
		}
	fputs("  esac\n  case \"$path\" in\n", out);
	for (const struct command *c = command_table(); c->words; c++) {
		fprintf(out, "    '%s') COMPREPLY=($(compgen -W '", c->words);
		option_names(out, c);
		fputs("' -- \"$cur\")); return ;;\n", out);
	}
	fputs("  esac\n"
	      "  [[ $cur == -* && -z $path ]] && { COMPREPLY=($(compgen -W '--help --version' -- \"$cur\")); return; }\n"
	      "  local next=()\n"
	      "  for c in \"${cmds[@]}\"; do\n"
	      "    if [[ -z $path ]]; then next+=(\"${c%% *}\")\n"
	      "    elif [[ $c == \"$path \"* ]]; then w=${c#\"$path \"}; next+=(\"${w%% *}\"); fi\n"
	      "  done\n"
	      "  COMPREPLY=($(compgen -W \"${next[*]}\" -- \"$cur\"))\n"
	      "}\n"
	      "complete -F _hyscale hyscale\n", out);
}

static void fish(FILE *out)
{
	fputs("# fish completion for hyscale (hyscale completion fish)\n"
	      "function __hyscale_path\n"
	      "    set -l words (commandline -opc)[2..-1]\n"
	      "    set -l path\n"
	      "    for w in $words\n"
	      "        string match -q -- '-*' $w; and break\n"
	      "        set path $path $w\n"
	      "    end\n"
	      "    echo (string join ' ' $path)\n"
	      "end\n"
	      "function __hyscale_at\n"
	      "    test (__hyscale_path) = \"$argv[1]\"\n"
	      "end\n"
	      "complete -c hyscale -f\n", out);
	/* Command words: each word is offered after the words before it. */
	for (const struct command *c = command_table(); c->words; c++) {
		const char *w = c->words;
		for (;;) {
			const char *sp = strchr(w, ' ');
			int plen = (int)(w - c->words) - (w > c->words);
			fprintf(out, "complete -c hyscale -n '__hyscale_at \"%.*s\"' -a '%.*s' -d '%s'\n", plen < 0 ? 0 : plen,
				c->words, sp ? (int)(sp - w) : (int)strlen(w), w, sp ? "" : c->summary);
			if (!sp)
				break;
			w = sp + 1;
		}
	}
	fputs("complete -c hyscale -n '__hyscale_at completion' -a 'bash zsh fish'\n"
	      "complete -c hyscale -n '__hyscale_at schema' -a 'service profile'\n", out);
	for (const struct command *c = command_table(); c->words; c++)
		for (const struct opt_doc *o = option_table(); o->groups; o++) {
			if (!(o->groups & (c->opts | OG_ALL)))
				continue;
			fprintf(out, "complete -c hyscale -n '__hyscale_at \"%s\"'", c->words);
			if (o->short_name)
				fprintf(out, " -s %c", o->short_name);
			if (o->long_name)
				fprintf(out, " -l %s", o->long_name);
			if (o->value == OV_LIST) {
				fputs(" -x -a '", out);
				words_of(out, opt_values(o));
				fputc('\'', out);
			} else if (o->value == OV_HSPEC || o->value == OV_HPROF || o->value == OV_DIR) {
				fputs(" -r -F", out);
			} else if (o->value != OV_NONE) {
				fputs(" -x", out);
			}
			fputs(" -d '", out);
			for (const char *p = o->help; *p && *p != '\n'; p++)
				fputs(*p == '\'' ? "\\'" : (char[]){ *p, 0 }, out);
			fputs("'\n", out);
		}
}

bool write_completion(const char *shell, FILE *out)
{
	if (!strcmp(shell, "bash")) {
		bash(out);
	} else if (!strcmp(shell, "zsh")) {
		/* zsh runs the bash function through its bashcompinit layer. */
		fputs("#compdef hyscale\nautoload -U +X bashcompinit && bashcompinit\n", out);
		bash(out);
	} else if (!strcmp(shell, "fish")) {
		fish(out);
	} else {
		return false;
	}
	return true;
}

int cmd_completion(int argc, char **argv, const struct command *cmd)
{
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs(cmd->help, stdout);
		return EXIT_OK;
	}
	if (argc != 2) {
		usage_error(cmd, "expected one shell: bash, zsh or fish");
		return EXIT_USAGE;
	}
	if (!write_completion(argv[1], stdout)) {
		usage_error(cmd, "unknown shell '%s'; expected bash, zsh or fish", argv[1]);
		return EXIT_USAGE;
	}
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_OUTPUT;
}

int cmd_man(int argc, char **argv, const struct command *cmd)
{
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs(cmd->help, stdout);
		return EXIT_OK;
	}
	if (argc != 1) {
		usage_error(cmd, "unexpected argument '%s'", argv[1]);
		return EXIT_USAGE;
	}
	write_man_page(stdout);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_OUTPUT;
}
