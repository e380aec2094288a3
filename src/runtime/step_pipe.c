/* send / recv / close steps on [pipe] ends. */
#include "runtime/actor.h"

#include <stdlib.h>

#include "runtime/pipe.h"
#include "runtime/runtime_int.h"
#include "util/xmem.h"

#define STEP_MSG_SMALL 512

enum step_rc
step_send(struct actor *a, const struct sc_step *st)
{
	/* Most messages are short: expand on the stack; a text that did not
	 * fit is expanded again at full size, where more than SC_MAX_MESSAGE
	 * bytes is a ValueError (interp_message), never cut. */
	char small[STEP_MSG_SMALL], *buf = small;
	size_t len = interp_expand(a, st->text, small, sizeof small);
	enum step_rc rc;

	if (len >= sizeof small - 1) {
		rc = interp_message(a, st->text, &buf, &len);
		if (!buf)
			return rc;
	}
	rc = pipe_send(a, st->obj, st->end, buf, len);
	if (buf != small)
		free(buf);
	return rc;
}

enum step_rc
step_recv(struct actor *a, const struct sc_step *st)
{
	return pipe_recv(a, st->obj, st->end, st->timeout_ns);
}

enum step_rc
step_close_end(struct actor *a, const struct sc_step *st)
{
	return pipe_close(a, st->obj, st->end);
}
