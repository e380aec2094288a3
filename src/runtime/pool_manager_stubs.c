/* TEMPORARY STUBS - delete at merge: H5's pool*.c / manager*.c provide
 * these eight functions. Until then pool and manager steps fail with
 * NotImplementedError and start-up / shut-down do nothing. */
#include "runtime/actor.h"

#define STUB(fn) \
	enum step_rc fn(struct actor *a, const struct sc_step *st) \
	{ return actor_error(a, "NotImplementedError", "%s", #fn); }

STUB(step_pool_apply)
STUB(step_pool_apply_async)
STUB(step_pool_map)
STUB(step_pool_wait)
STUB(step_pool_close)
STUB(step_pool_join)
STUB(step_pool_terminate)
STUB(step_manager_op)

void manager_startup(struct actor *main_actor) { (void)main_actor; }
void pool_startup(struct actor *main_actor) { (void)main_actor; }
void pool_shutdown(struct actor *main_actor) { (void)main_actor; }
void manager_shutdown(struct actor *main_actor) { (void)main_actor; }
