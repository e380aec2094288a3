/* put / get steps on [queue] objects. */
#include "runtime/actor.h"

#include <stdlib.h>

#include "runtime/queue.h"
#include "runtime/runtime_int.h"
#include "util/xmem.h"

enum step_rc
step_put(struct actor *a, const struct sc_step *st)
{
	char *buf = xmalloc(SC_MAX_MESSAGE + 1);
	size_t len = interp_expand(a, st->text, buf, SC_MAX_MESSAGE + 1);
	enum step_rc rc = queue_put(a, st->obj, buf, len, st->timeout_ns);

	free(buf);
	return rc;
}

enum step_rc
step_get(struct actor *a, const struct sc_step *st)
{
	return queue_get(a, st->obj, st->timeout_ns);
}
