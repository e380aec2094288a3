/* put / get steps on [queue] objects. */
#include "runtime/actor.h"

#include <stdlib.h>

#include "runtime/queue.h"
#include "runtime/runtime_int.h"
#include "util/xmem.h"

enum step_rc
step_put(struct actor *a, const struct sc_step *st)
{
	char *buf;
	size_t len;
	enum step_rc rc = interp_message(a, st->text, &buf, &len);

	if (!buf)
		return rc;
	rc = queue_put(a, st->obj, buf, len, st->timeout_ns);
	free(buf);
	return rc;
}

enum step_rc
step_get(struct actor *a, const struct sc_step *st)
{
	return queue_get(a, st->obj, st->timeout_ns);
}
