/*
 * Words, strings, options and scalar values of the scenario language.
 */
#include "scenario/lex.h"

#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scenario/diag.h"
#include "util/xmem.h"

/* ---- tokens ---- */

static void
lex_push(struct lex_toks *t, char *s, char *val, bool quoted)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 8;
		t->v = xreallocarray(t->v, (size_t)t->cap, sizeof(*t->v));
	}
	t->v[t->n].s = s;
	t->v[t->n].val = val;
	t->v[t->n].quoted = quoted;
	t->n++;
}

void
lex_toks_free(struct lex_toks *t)
{
	for (int i = 0; i < t->n; i++) {
		free(t->v[i].s);
		free(t->v[i].val);
	}
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}

static bool
lex_is_ident(const char *s, size_t n)
{
	if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
			return false;
	return true;
}

/* Parse a "..." string starting at *pp (on the quote). */
static char *
lex_string(const char **pp, char *err)
{
	const char *p = *pp + 1;
	size_t n = 0, cap = strlen(p) + 1;
	char *out = xmalloc(cap);

	for (;;) {
		if (*p == '\0') {
			snprintf(err, LEX_ERR_SIZE, "unterminated string: missing closing '\"'");
			free(out);
			return NULL;
		}
		if (*p == '"')
			break;
		if (*p == '\\') {
			p++;
			if (*p == '"' || *p == '\\')
				out[n++] = *p;
			else if (*p == 'n')
				out[n++] = '\n';
			else {
				char c[8];
				if (*p == '\0')
					snprintf(c, sizeof(c), "\\");
				else if ((unsigned char)*p < 0x80)
					snprintf(c, sizeof(c), "\\%c", *p);
				else
					snprintf(c, sizeof(c), "\\?");
				snprintf(err, LEX_ERR_SIZE, "unknown escape '%s' in string "
				    "(use \\\" \\\\ or \\n)", c);
				free(out);
				return NULL;
			}
			p++;
			continue;
		}
		out[n++] = *p++;
	}
	out[n] = '\0';
	p++;
	if (*p != '\0' && *p != ' ' && *p != '\t') {
		snprintf(err, LEX_ERR_SIZE, "expected a space after the closing '\"'");
		free(out);
		return NULL;
	}
	*pp = p;
	return out;
}

bool
lex_split(const char *line, struct lex_toks *t, char *err)
{
	const char *p = line;
	char cb[DIAG_CLIP_SIZE];

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return true;
		if (*p == '"') {
			char *s = lex_string(&p, err);
			if (!s)
				return false;
			lex_push(t, s, NULL, true);
			continue;
		}
		const char *start = p;
		while (*p && *p != ' ' && *p != '\t') {
			if (*p == '"') {
				const char *eq = memchr(start, '=', (size_t)(p - start));
				if (eq && eq == p - 1 && lex_is_ident(start, (size_t)(eq - start))) {
					/* key="quoted value" */
					char *val = lex_string(&p, err);
					if (!val)
						return false;
					lex_push(t, xstrndup(start, (size_t)(eq - start)), val, false);
					start = NULL;
					break;
				}
				char *w = xstrndup(start, (size_t)(p - start) + 1);
				snprintf(err, LEX_ERR_SIZE, "unexpected '\"' inside the word '%s' "
				    "(quote the whole text)", diag_clip(cb, w));
				free(w);
				return false;
			}
			p++;
		}
		if (!start)
			continue;
		size_t n = (size_t)(p - start);
		const char *eq = memchr(start, '=', n);
		if (n == 1 && *start == '=') {
			snprintf(err, LEX_ERR_SIZE, "stray '=': write options as key=value, "
			    "without spaces");
			return false;
		}
		if (eq && lex_is_ident(start, (size_t)(eq - start)))
			lex_push(t, xstrndup(start, (size_t)(eq - start)),
			    xstrndup(eq + 1, n - (size_t)(eq - start) - 1), false);
		else
			lex_push(t, xstrndup(start, n), NULL, false);
	}
}

/* ---- integers ---- */

/* Strict decimal integer with optional sign; false on junk or overflow
 * beyond LEX_INT_MAX (reported as *big). */
static bool
lex_dec(const char *s, int64_t *out, bool *big)
{
	const char *p = s;
	bool neg = false;
	int64_t v = 0;

	*big = false;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (!isdigit((unsigned char)*p))
		return false;
	for (; isdigit((unsigned char)*p); p++) {
		if (v > LEX_INT_MAX)
			*big = true;
		else
			v = v * 10 + (*p - '0');
	}
	if (*p != '\0')
		return false;
	if (v > LEX_INT_MAX)
		*big = true;
	*out = neg ? -v : v;
	return true;
}

bool
lex_int(const char *what, const char *s, int64_t lo, int64_t hi,
    int64_t *out, char *err)
{
	char cb[DIAG_CLIP_SIZE];
	int64_t v;
	bool big;

	if (!lex_dec(s, &v, &big)) {
		if (*s == '\0')
			snprintf(err, LEX_ERR_SIZE, "missing number for %s: expected an "
			    "integer from %lld to %lld", what, (long long)lo, (long long)hi);
		else if (strstr(s, " ;") || strstr(s, " #"))
			snprintf(err, LEX_ERR_SIZE, "bad number '%s' for %s: expected an "
			    "integer (comments must be on their own line)",
			    diag_clip(cb, s), what);
		else
			snprintf(err, LEX_ERR_SIZE, "bad number '%s' for %s: expected an "
			    "integer from %lld to %lld", diag_clip(cb, s), what,
			    (long long)lo, (long long)hi);
		return false;
	}
	if (big || v < lo || v > hi) {
		snprintf(err, LEX_ERR_SIZE, "%s %s is out of range (%lld..%lld)",
		    what, diag_clip(cb, s), (long long)lo, (long long)hi);
		return false;
	}
	*out = v;
	return true;
}

/* ---- durations ---- */

static const struct {
	const char *unit;
	int64_t ns;
} lex_units[] = {
	{ "us", 1000LL },
	{ "ms", 1000000LL },
	{ "s", 1000000000LL },
	{ "m", 60000000000LL },
};

const char *
lex_duration_str(int64_t ns, char buf[32])
{
	if (ns % 60000000000LL == 0 && ns >= 60000000000LL)
		snprintf(buf, 32, "%lldm", (long long)(ns / 60000000000LL));
	else if (ns % 1000000000LL == 0)
		snprintf(buf, 32, "%llds", (long long)(ns / 1000000000LL));
	else if (ns % 1000000LL == 0)
		snprintf(buf, 32, "%lldms", (long long)(ns / 1000000LL));
	else if (ns % 1000LL == 0)
		snprintf(buf, 32, "%lldus", (long long)(ns / 1000LL));
	else
		snprintf(buf, 32, "%lldns", (long long)ns);
	return buf;
}

bool
lex_duration(const char *what, const char *s, int64_t lo_ns, int64_t hi_ns,
    int64_t *out, char *err)
{
	char cb[DIAG_CLIP_SIZE], b1[DIAG_CLIP_SIZE], b2[32];
	const char *p = s;
	int64_t whole = 0, frac = 0, scale = 1, unit = 0;
	bool big = false;
	int nd = 0;

	for (; isdigit((unsigned char)*p); p++, nd++) {
		if (whole > LEX_INT_MAX)
			big = true;
		else
			whole = whole * 10 + (*p - '0');
	}
	if (*p == '.') {
		p++;
		for (; isdigit((unsigned char)*p); p++, nd++)
			if (scale < 1000000000LL) {
				frac = frac * 10 + (*p - '0');
				scale *= 10;
			}
	}
	for (size_t i = 0; nd > 0 && i < sizeof(lex_units) / sizeof(lex_units[0]); i++)
		if (strcmp(p, lex_units[i].unit) == 0)
			unit = lex_units[i].ns;
	if (unit == 0) {
		if (nd > 0 && *p == '\0')
			snprintf(err, LEX_ERR_SIZE, "bad duration '%s' for %s: missing unit "
			    "(us, ms, s or m), e.g. %ss", diag_clip(cb, s), what,
			    diag_clip(b1, s));
		else
			snprintf(err, LEX_ERR_SIZE, "bad duration '%s' for %s: expected a "
			    "number and a unit (us, ms, s or m), e.g. 500ms or 1.5s",
			    diag_clip(cb, s), what);
		return false;
	}
	/* whole <= 1e12 and unit <= 6e10 could overflow: compare first. */
	if (big || whole > hi_ns / unit + 1) {
		snprintf(err, LEX_ERR_SIZE, "duration %s for %s is too long (at most %s)",
		    diag_clip(cb, s), what, lex_duration_str(hi_ns, b2));
		return false;
	}
	int64_t ns = whole * unit + frac * (unit / scale) +
	    (frac * (unit % scale)) / scale;
	if (ns > hi_ns) {
		snprintf(err, LEX_ERR_SIZE, "duration %s for %s is too long (at most %s)",
		    diag_clip(cb, s), what, lex_duration_str(hi_ns, b2));
		return false;
	}
	if (ns < lo_ns) {
		snprintf(err, LEX_ERR_SIZE, "duration %s for %s is too short (at least %s)",
		    diag_clip(cb, s), what, lex_duration_str(lo_ns, b2));
		return false;
	}
	*out = ns;
	return true;
}

/* ---- booleans, names ---- */

bool
lex_bool(const char *what, const char *s, bool *out, char *err)
{
	static const char *const yes[] = { "true", "yes", "1", "on" };
	static const char *const no[] = { "false", "no", "0", "off" };
	char cb[DIAG_CLIP_SIZE];

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	snprintf(err, LEX_ERR_SIZE, "bad boolean '%s' for %s: expected true, false, "
	    "yes, no, 1 or 0", diag_clip(cb, s), what);
	return false;
}

bool
lex_name(const char *s, char *err)
{
	char cb[DIAG_CLIP_SIZE];
	size_t n = strlen(s);

	if (n == 0) {
		snprintf(err, LEX_ERR_SIZE, "missing name");
		return false;
	}
	if (!lex_is_ident(s, n)) {
		snprintf(err, LEX_ERR_SIZE, "invalid name '%s': use letters, digits and _, "
		    "not starting with a digit", diag_clip(cb, s));
		return false;
	}
	if (n > SC_NAME_MAX) {
		snprintf(err, LEX_ERR_SIZE, "name '%s' is too long (%zu bytes; at most %d)",
		    diag_clip(cb, s), n, SC_NAME_MAX);
		return false;
	}
	return true;
}

/* ---- expressions ---- */

bool
lex_expr(const char *what, const char *s, struct sc_expr *out, char *err)
{
	char cb[DIAG_CLIP_SIZE];
	char buf[96];
	size_t n = 0;
	const char *p;
	bool brace = false, big = false;
	struct sc_expr e = { SC_BASE_CONST, 0, 0 };

	/* Drop spaces: "arg + 1000" and "arg+1000" are the same. */
	for (p = s; *p && n < sizeof(buf) - 1; p++)
		if (*p != ' ' && *p != '\t')
			buf[n++] = *p;
	buf[n] = '\0';
	if (*p)
		goto bad;
	p = buf;
	if (*p == '{') {
		brace = true;
		p++;
	}
	if (strncmp(p, "arg", 3) == 0 && !isalnum((unsigned char)p[3])) {
		e.base = SC_BASE_ARG;
		p += 3;
	} else if (strncmp(p, "pid", 3) == 0 && !isalnum((unsigned char)p[3])) {
		e.base = SC_BASE_PID;
		p += 3;
	} else if (p[0] == 'i' && !isalnum((unsigned char)p[1]) && p[1] != '_') {
		e.base = SC_BASE_I;
		p += 1;
	} else {
		char num[32];
		size_t k = 0;
		if (*p == '-' || *p == '+')
			num[k++] = *p++;
		while (isdigit((unsigned char)*p) && k < sizeof(num) - 1)
			num[k++] = *p++;
		num[k] = '\0';
		if (!lex_dec(num, &e.n, &big))
			goto bad;
		if (big)
			goto range;
	}
	if (brace && *p == '}') {
		brace = false;
		p++;
	}
	if (*p && strchr("+-*/%", *p)) {
		char num[32];
		size_t k = 0;
		e.op = *p++;
		if (*p == '-' || *p == '+')
			num[k++] = *p++;
		while (isdigit((unsigned char)*p) && k < sizeof(num) - 1)
			num[k++] = *p++;
		num[k] = '\0';
		if (e.base == SC_BASE_CONST)
			goto bad;     /* "3 + 4": write 7 */
		if (!lex_dec(num, &e.n, &big))
			goto bad;
		if (big)
			goto range;
		if ((e.op == '/' || e.op == '%') && e.n == 0) {
			snprintf(err, LEX_ERR_SIZE, "division by zero in '%s' for %s",
			    diag_clip(cb, s), what);
			return false;
		}
	}
	if (brace && *p == '}') {
		brace = false;
		p++;
	}
	if (brace || *p != '\0')
		goto bad;
	*out = e;
	return true;
range:
	snprintf(err, LEX_ERR_SIZE, "number in '%s' for %s is out of range "
	    "(-%lld..%lld)", diag_clip(cb, s), what, LEX_INT_MAX, LEX_INT_MAX);
	return false;
bad:
	snprintf(err, LEX_ERR_SIZE, "bad expression '%s' for %s: expected a number, "
	    "arg, i or pid, optionally followed by + - * / %% and a number, "
	    "e.g. arg + 1000", diag_clip(cb, s), what);
	return false;
}

bool
lex_range(const char *what, const char *s, int64_t maxn, int64_t *lo,
    int64_t *hi, char *err)
{
	char cb[DIAG_CLIP_SIZE], a[32], b[32];
	const char *dots = strstr(s, "..");
	int64_t l, h;
	bool big1, big2;

	if (!dots || (size_t)(dots - s) >= sizeof(a) || strlen(dots + 2) >= sizeof(b))
		goto bad;
	memcpy(a, s, (size_t)(dots - s));
	a[dots - s] = '\0';
	strcpy(b, dots + 2);
	if (!lex_dec(a, &l, &big1) || !lex_dec(b, &h, &big2))
		goto bad;
	if (big1 || big2) {
		snprintf(err, LEX_ERR_SIZE, "range %s for %s is out of range "
		    "(-%lld..%lld)", diag_clip(cb, s), what, LEX_INT_MAX, LEX_INT_MAX);
		return false;
	}
	if (l > h) {
		snprintf(err, LEX_ERR_SIZE, "empty range %s for %s: LO must not be "
		    "greater than HI", diag_clip(cb, s), what);
		return false;
	}
	if (h - l + 1 > maxn) {
		snprintf(err, LEX_ERR_SIZE, "range %s for %s has %lld items (at most %lld)",
		    diag_clip(cb, s), what, (long long)(h - l + 1), (long long)maxn);
		return false;
	}
	*lo = l;
	*hi = h;
	return true;
bad:
	snprintf(err, LEX_ERR_SIZE, "bad range '%s' for %s: expected LO..HI, e.g. 0..9",
	    diag_clip(cb, s), what);
	return false;
}

/* ---- signals ---- */

static const struct {
	const char *name;
	int sig;
	bool ends;            /* default action ends the process */
} lex_signals[] = {
	{ "HUP", SIGHUP, true }, { "INT", SIGINT, true }, { "QUIT", SIGQUIT, true },
	{ "ILL", SIGILL, true }, { "TRAP", SIGTRAP, true }, { "ABRT", SIGABRT, true },
	{ "BUS", SIGBUS, true }, { "FPE", SIGFPE, true }, { "KILL", SIGKILL, true },
	{ "USR1", SIGUSR1, true }, { "SEGV", SIGSEGV, true }, { "USR2", SIGUSR2, true },
	{ "PIPE", SIGPIPE, true }, { "ALRM", SIGALRM, true }, { "TERM", SIGTERM, true },
	{ "STKFLT", SIGSTKFLT, true }, { "CHLD", SIGCHLD, false },
	{ "CONT", SIGCONT, false }, { "STOP", SIGSTOP, false },
	{ "TSTP", SIGTSTP, false }, { "TTIN", SIGTTIN, false },
	{ "TTOU", SIGTTOU, false }, { "URG", SIGURG, false },
	{ "XCPU", SIGXCPU, true }, { "XFSZ", SIGXFSZ, true },
	{ "VTALRM", SIGVTALRM, true }, { "PROF", SIGPROF, true },
	{ "WINCH", SIGWINCH, false }, { "IO", SIGIO, true }, { "PWR", SIGPWR, true },
	{ "SYS", SIGSYS, true },
};
#define LEX_NSIGNALS (sizeof(lex_signals) / sizeof(lex_signals[0]))

const char *
lex_signal_name(int sig)
{
	for (size_t i = 0; i < LEX_NSIGNALS; i++)
		if (lex_signals[i].sig == sig)
			return lex_signals[i].name;
	return NULL;
}

bool
lex_signal(const char *s, int *sig, char *err)
{
	char cb[DIAG_CLIP_SIZE];
	const char *name = s;
	int64_t v;
	bool big;

	if (lex_dec(s, &v, &big)) {
		if (big || v < 1 || v > 64 || (v > 31 && v < 34)) {
			snprintf(err, LEX_ERR_SIZE, "signal %s for crash is out of range "
			    "(1..31 or 34..64)", diag_clip(cb, s));
			return false;
		}
		for (size_t i = 0; i < LEX_NSIGNALS; i++)
			if (lex_signals[i].sig == v && !lex_signals[i].ends) {
				snprintf(err, LEX_ERR_SIZE, "signal %s (SIG%s) does not end a "
				    "process by default; crash needs one that does, e.g. KILL",
				    diag_clip(cb, s), lex_signals[i].name);
				return false;
			}
		*sig = (int)v;
		return true;
	}
	if (strncasecmp(name, "SIG", 3) == 0)
		name += 3;
	for (size_t i = 0; i < LEX_NSIGNALS; i++) {
		if (strcasecmp(name, lex_signals[i].name) != 0)
			continue;
		if (!lex_signals[i].ends) {
			snprintf(err, LEX_ERR_SIZE, "signal %s does not end a process by "
			    "default; crash needs one that does, e.g. KILL", diag_clip(cb, s));
			return false;
		}
		*sig = lex_signals[i].sig;
		return true;
	}
	snprintf(err, LEX_ERR_SIZE, "unknown signal '%s' for crash: expected a name "
	    "such as KILL, SEGV, TERM, ABRT or a number", diag_clip(cb, s));
	return false;
}
