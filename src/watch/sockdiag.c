/* AF_UNIX socket table from NETLINK_SOCK_DIAG. */
#include "watch/sockdiag.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

#include "util/xmem.h"

static int
cmp_usock(const void *a, const void *b)
{
	const struct watch_usock *x = a, *y = b;
	return (x->inode > y->inode) - (x->inode < y->inode);
}

static void
parse_msg(struct watch_sockdiag *sd, const struct nlmsghdr *h)
{
	const struct unix_diag_msg *m = NLMSG_DATA(h);
	if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*m)))
		return;
	if (sd->n == sd->cap) {
		sd->cap = sd->cap ? sd->cap * 2 : 128;
		sd->v = xreallocarray(sd->v, sd->cap, sizeof(*sd->v));
	}
	struct watch_usock *u = &sd->v[sd->n++];
	memset(u, 0, sizeof(*u));
	u->inode = m->udiag_ino;
	u->type = m->udiag_type;
	u->state = m->udiag_state;
	/* The attribute walk casts away const: RTA_NEXT is a macro that
	 * cannot take a const pointer; nothing is written. */
	struct rtattr *a = (struct rtattr *)(uintptr_t)(m + 1);
	int len = (int)(h->nlmsg_len - NLMSG_LENGTH(sizeof(*m)));
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		const void *d = RTA_DATA(a);
		size_t dl = RTA_PAYLOAD(a);
		switch (a->rta_type) {
		case UNIX_DIAG_NAME: {
			size_t k = dl < sizeof(u->name) - 1 ? dl : sizeof(u->name) - 1;
			memcpy(u->name, d, k);
			u->name[k] = '\0';
			if (k && u->name[0] == '\0')
				u->name[0] = '@';
			break;
		}
		case UNIX_DIAG_PEER:
			if (dl >= sizeof(uint32_t)) {
				uint32_t p;
				memcpy(&p, d, sizeof(p));
				u->peer = p;
			}
			break;
		case UNIX_DIAG_RQLEN:
			if (dl >= sizeof(struct unix_diag_rqlen)) {
				struct unix_diag_rqlen q;
				memcpy(&q, d, sizeof(q));
				u->rqueue = q.udiag_rqueue;
				u->wqueue = q.udiag_wqueue;
			}
			break;
		case UNIX_DIAG_MEMINFO:
			if (dl >= sizeof(uint32_t) * (SK_MEMINFO_SNDBUF + 1)) {
				uint32_t mi[SK_MEMINFO_SNDBUF + 1];
				memcpy(mi, d, sizeof(mi));
				u->rcvbuf = mi[SK_MEMINFO_RCVBUF];
				u->sndbuf = mi[SK_MEMINFO_SNDBUF];
			}
			break;
		default:
			break;
		}
	}
}

int
watch_sockdiag_query(struct watch_sockdiag *sd)
{
	sd->n = 0;
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -errno;
	struct {
		struct nlmsghdr nlh;
		struct unix_diag_req r;
	} req;
	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = sizeof(req);
	req.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.nlh.nlmsg_seq = 1;
	req.r.sdiag_family = AF_UNIX;
	req.r.udiag_states = ~0u;
	req.r.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER |
	    UDIAG_SHOW_RQLEN | UDIAG_SHOW_MEMINFO;
	struct sockaddr_nl nl = { .nl_family = AF_NETLINK };
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&nl,
	    sizeof(nl)) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	enum { BUFLEN = 65536 };
	long *buf = xmalloc(BUFLEN);  /* long: aligned for nlmsghdr */
	int rc = 0, done = 0;
	while (!done) {
		ssize_t r = recv(fd, buf, BUFLEN, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		if (r == 0)
			break;
		int len = (int)r;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf;
		    NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);
				rc = e->error ? e->error : -EIO;
				done = 1;
				break;
			}
			if (h->nlmsg_type == SOCK_DIAG_BY_FAMILY)
				parse_msg(sd, h);
		}
	}
	close(fd);
	free(buf);
	if (rc < 0) {
		sd->n = 0;
		return rc;
	}
	qsort(sd->v, sd->n, sizeof(*sd->v), cmp_usock);
	return 0;
}

const struct watch_usock *
watch_sockdiag_find(const struct watch_sockdiag *sd, unsigned long inode)
{
	size_t lo = 0, hi = sd->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sd->v[mid].inode == inode)
			return &sd->v[mid];
		if (sd->v[mid].inode < inode)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void
watch_sockdiag_clear(struct watch_sockdiag *sd)
{
	free(sd->v);
	memset(sd, 0, sizeof(*sd));
}
