#ifndef IPCSCOPE_SCENARIO_TEMPLATE_H
#define IPCSCOPE_SCENARIO_TEMPLATE_H
/*
 * Text templates: "{pid} got {value}". Placeholders are {pid} {ppid} {tid}
 * {arg} {i} {value} {name}; "{{" and "}}" stand for literal braces. The
 * runtime expands them; the loader only checks them.
 */
#include <stdbool.h>

#include "scenario/lex.h"

/* The placeholder names, for documentation and messages. */
extern const char *const template_names[];
extern const int template_nnames;

/* Check 'text'; on failure write a message naming 'what' into err. */
bool template_check(const char *what, const char *text, char *err);

#endif
