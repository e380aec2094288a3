/* put / get steps on [queue] objects. */
#include "runtime/actor.h"

#include <stdlib.h>

#include "runtime/queue.h"
#include "runtime/runtime_int.h"
#include "util/xmem.h"

#define STEP_MSG_SMALL 512

enum step_rc
step_put(struct actor *a, const struct sc_step *st)
{
	/* Most messages are short: expand on the stack, again into a full-size
	 * buffer only when the text did not fit. */
	char small[STEP_MSG_SMALL], *buf = small;
	size_t len = interp_expand(a, st->text, small, sizeof small);
	if (len >= sizeof small - 1) {
		buf = xmalloc(SC_MAX_MESSAGE + 1);
		len = interp_expand(a, st->text, buf, SC_MAX_MESSAGE + 1);
	}
	enum step_rc rc = queue_put(a, st->obj, buf, len, st->timeout_ns);

	if (buf != small)
		free(buf);
	return rc;
}

enum step_rc
step_get(struct actor *a, const struct sc_step *st)
{
	return queue_get(a, st->obj, st->timeout_ns);
}
