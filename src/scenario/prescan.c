/*
 * The byte-level pass over a scenario file, before inih sees it: whatever
 * the bytes, every line is either accepted as is or reported and blanked.
 */
#include <string.h>

#include "scenario/loader.h"
#include "util/xmem.h"

/* Length of the valid UTF-8 sequence at p (n bytes left), or 0. */
static size_t
prescan_utf8(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	size_t len;
	unsigned min, cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2; min = 0x80; cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3; min = 0x800; cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4; min = 0x10000; cp = c & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

/* Check one line (without its newline); false if it was reported. */
static bool
prescan_line(struct loader *ld, int lineno, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	if (n > LD_LINE_MAX) {
		diag_add(&ld->diag, lineno, "line is too long (%zu bytes; at most %d)",
		    n, LD_LINE_MAX);
		return false;
	}
	for (size_t i = 0; i < n;) {
		if (p[i] == '\0') {
			diag_add(&ld->diag, lineno, "NUL byte in column %zu "
			    "(a scenario is a text file)", i + 1);
			return false;
		}
		if ((p[i] < 0x20 && p[i] != '\t') || p[i] == 0x7F) {
			if (p[i] == '\r' && i + 1 == n)
				break;    /* CRLF line ending */
			diag_add(&ld->diag, lineno, "control character 0x%02x in column %zu "
			    "(a scenario is a text file)", p[i], i + 1);
			return false;
		}
		size_t k = prescan_utf8(p + i, n - i);
		if (k == 0) {
			diag_add(&ld->diag, lineno, "invalid UTF-8 (byte 0x%02x in column %zu)",
			    p[i], i + 1);
			return false;
		}
		i += k;
	}
	while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0)
		return true;
	if (s[0] == ' ' || s[0] == '\t') {
		diag_add(&ld->diag, lineno, "indentation is not allowed (start every "
		    "line in column 1; repeat a key such as description = to continue)");
		return false;
	}
	if (s[0] == ';' || s[0] == '#')
		return true;
	if (s[0] == '[') {
		const char *close = memchr(s, ']', n);
		bool ok = close && close == s + n - 1;
		if (!close)
			diag_add(&ld->diag, lineno, "unterminated section header: missing ']'");
		else if (!ok)
			diag_add(&ld->diag, lineno, "unexpected text after ']' in section header");
		/* A bad header still starts a section, whose keys are skipped. */
		if (ld->nhdr % 64 == 0)
			ld->hdr = xreallocarray(ld->hdr, (size_t)ld->nhdr + 64, sizeof(*ld->hdr));
		ld->hdr[ld->nhdr].line = lineno;
		ld->hdr[ld->nhdr].text = ok ? xstrndup(s + 1, n - 2) : NULL;
		ld->nhdr++;
		return ok;
	}
	const char *eq = memchr(s, '=', n), *colon = memchr(s, ':', n);
	if (!eq && !colon) {
		diag_add(&ld->diag, lineno, "expected 'key = value', a [section] header "
		    "or a comment");
		return false;
	}
	if (s[0] == '=' || s[0] == ':') {
		diag_add(&ld->diag, lineno, "missing key name before '%c'", s[0]);
		return false;
	}
	return true;
}

char *
ld_prescan(struct loader *ld, const char *buf, size_t len)
{
	char *out = xmalloc(len + 2);
	size_t o = 0, pos = 0;
	int lineno = 0;

	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (buf + pos)) : len - pos;
		const char *s = buf + pos;
		size_t skip = 0;

		lineno++;
		if (lineno == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
			skip = 3;     /* UTF-8 byte order mark: inih skips it too */
		if (lineno < 0x7fffffff && prescan_line(ld, lineno, s + skip, n - skip)) {
			memcpy(out + o, s, n);
			o += n;
		}
		out[o++] = '\n';
		pos += n + (nl ? 1 : 0);
	}
	out[o] = '\0';
	return out;
}
