/* send / recv / close steps on [pipe] ends. */
#include "runtime/actor.h"

#include <stdlib.h>

#include "runtime/pipe.h"
#include "runtime/runtime_int.h"
#include "util/xmem.h"

enum step_rc
step_send(struct actor *a, const struct sc_step *st)
{
	char *buf;
	size_t len;
	enum step_rc rc = interp_message(a, st->text, &buf, &len);

	if (!buf)
		return rc;
	rc = pipe_send(a, st->obj, st->end, buf, len);
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
