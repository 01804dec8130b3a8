/*
 * http.c - the /metrics endpoint (http.h): the listening socket (ours, so
 * that a port in use is reported with its reason), libmicrohttpd on it in
 * external-select mode as a loop source, the requests answered from
 * snmp/prom.c's rendering of the model.
 */
#include "http.h"

#include "arasd.h"

#include "loop.h"
#include "snmp/prom.h"
#include "util/log.h"

#include <arpa/inet.h>
#include <crypt.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

/* Log lines of this file say where they come from (util/log.h). */
static const char log_token[] = "metrics";

struct aras_http {
	struct arasd *d;
	struct MHD_Daemon *mhd;
	int fd;
	char *cert, *key;        /* PEM, in memory for libmicrohttpd */
	struct crypt_data crypt; /* crypt_r's work area (large: not on the stack) */
	/*
	 * Per metricsUser line, the password that last matched its hash: a
	 * scrape every few seconds would otherwise cost a bcrypt (tens of ms
	 * of the loop) each time, as exporter-toolkit caches too.  Memory only.
	 */
	char **good;
};

static const char page[] = "<html><head><title>arasd</title></head><body><h1>arasd</h1>"
			   "<p><a href=\"/metrics\">Metrics</a></p></body></html>\n";

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *type, const char *body)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result rc;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

/* Constant time over the length of a: no early exit on the first difference. */
static int same(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	unsigned char diff = la != lb;

	for (size_t i = 0; i < la; i++)
		diff |= (unsigned char)(a[i] ^ b[i < lb ? i : 0]);
	return diff == 0;
}

static void forget(char **secret)
{
	if (*secret) {
		explicit_bzero(*secret, strlen(*secret));
		free(*secret);
		*secret = NULL;
	}
}

/* The request's basic-auth credentials match a metricsUser line. */
static int authorized(struct aras_http *h, struct MHD_Connection *c)
{
	const struct aras_metrics_conf *mc = &h->d->metrics;
	char *pass = NULL, *user = MHD_basic_auth_get_username_password(c, &pass);
	int ok = 0;

	for (size_t i = 0; user && pass && i < mc->nusers; i++) {
		if (strcmp(mc->users[i].name, user) != 0)
			continue;
		if (h->good[i] && same(pass, h->good[i])) {
			ok = 1;
			break;
		}
		/* crypt_r verifies bcrypt ($2a$, $2b$, $2y$: libxcrypt) with the hash as its setting */
		const char *got = crypt_r(pass, mc->users[i].hash, &h->crypt);

		ok = got && got[0] != '*' && same(got, mc->users[i].hash);
		if (ok) {
			forget(&h->good[i]);
			h->good[i] = strdup(pass); /* NULL: no cache, still right */
		}
	}
	if (user && !ok)
		log_info("basic auth failed for user %s", user);
	MHD_free(user);
	if (pass) {
		explicit_bzero(pass, strlen(pass));
		MHD_free(pass);
	}
	return ok;
}

static enum MHD_Result metrics(struct MHD_Connection *c)
{
	struct aras_prom_out out = { 0 };
	struct MHD_Response *r;
	enum MHD_Result rc;

	if (aras_prom_render(&out) < 0) {
		aras_prom_out_free(&out);
		log_err("cannot render /metrics: out of memory");
		return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "text/plain", "out of memory\n");
	}
	r = MHD_create_response_from_buffer(out.len, out.buf, MHD_RESPMEM_MUST_FREE);
	if (!r) {
		aras_prom_out_free(&out);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
	rc = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			      const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	struct aras_http *h = cls;

	(void)version;
	(void)upload;
	(void)con_cls;
	/* answered on the first call, before any body: a request body is never read */
	*upload_size = 0;
	if (h->d->metrics.nusers && !authorized(h, c)) {
		struct MHD_Response *r = MHD_create_response_from_buffer(
			strlen("Unauthorized\n"), (void *)"Unauthorized\n", MHD_RESPMEM_PERSISTENT);
		enum MHD_Result rc;

		if (!r)
			return MHD_NO;
		rc = MHD_queue_basic_auth_fail_response(c, "arasd", r);
		MHD_destroy_response(r);
		return rc;
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", "Method Not Allowed\n");
	if (strcmp(url, "/metrics") == 0)
		return metrics(c);
	if (strcmp(url, "/") == 0)
		return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", page);
	return reply(c, MHD_HTTP_NOT_FOUND, "text/plain", "Not Found\n");
}

/* libmicrohttpd's messages (MHD_OPTION_EXTERNAL_LOGGER): printf-style */
__attribute__((format(printf, 2, 0))) static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char buf[512];

	(void)cls;
	vsnprintf(buf, sizeof(buf), fmt, ap);
	buf[strcspn(buf, "\n")] = '\0';
	log_warn("libmicrohttpd: %s", buf);
}

static void http_prepare(void *arg, int *maxfd, fd_set *r, fd_set *w, fd_set *e, int *timeout_ms)
{
	struct aras_http *h = arg;
	MHD_UNSIGNED_LONG_LONG ms;
	MHD_socket max = -1;

	/* *maxfd counts descriptors as select's nfds (loop.h); libmicrohttpd gives the highest */
	if (MHD_get_fdset2(h->mhd, r, w, e, &max, FD_SETSIZE) == MHD_YES && max + 1 > *maxfd)
		*maxfd = max + 1;
	if (MHD_get_timeout(h->mhd, &ms) == MHD_YES && ms < (MHD_UNSIGNED_LONG_LONG)*timeout_ms)
		*timeout_ms = (int)ms;
}

static void http_dispatch(void *arg, int nready, fd_set *r, fd_set *w, fd_set *e)
{
	struct aras_http *h = arg;

	(void)nready;
	/* also with nothing ready: libmicrohttpd closes idle connections then */
	MHD_run_from_select(h->mhd, r, w, e);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			char *p = realloc(buf, cap = cap ? cap * 2 : 8192);

			if (!p) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = p;
		}
		size_t n = fread(buf + len, 1, cap - len - 1, f);

		len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	buf[len] = '\0';
	return buf;
}

/* Our listening socket on ADDR:PORT: -1 (logged with the reason) or the fd. */
static int listen_on(const struct aras_metrics_conf *mc, int *v6)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *in = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	const char *addr = mc->addr ? mc->addr : "127.0.0.1";
	socklen_t len;
	int fd, one = 1;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &in->sin_addr) == 1) {
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)mc->port);
		len = sizeof(*in);
		*v6 = 0;
	} else if (inet_pton(AF_INET6, addr, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)mc->port);
		len = sizeof(*in6);
		*v6 = 1;
	} else {
		log_err("metricsAddress %s: not a numeric address", addr);
		return -1;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		log_err("metricsAddress: socket: %s", strerror(errno));
		return -1;
	}
	/* a restart finds the port in TIME_WAIT; a second listener is still refused */
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (*v6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 || listen(fd, 64) < 0) {
		log_err("metricsAddress %s%s%s:%u: cannot listen: %s", *v6 ? "[" : "", addr, *v6 ? "]" : "",
			mc->port, strerror(errno));
		close(fd);
		return -1;
	}
	if (fd >= FD_SETSIZE) {
		log_err("metricsAddress: descriptor %d beyond FD_SETSIZE", fd);
		close(fd);
		return -1;
	}
	return fd;
}

int aras_http_start(struct arasd *d, struct aras_loop *l)
{
	const struct aras_metrics_conf *mc = &d->metrics;
	struct aras_loop_source src = { NULL, http_prepare, http_dispatch };
	struct MHD_OptionItem opts[8];
	struct aras_http *h;
	unsigned flags = MHD_USE_ERROR_LOG;
	int v6 = 0, n = 0;

	if (!mc->port)
		return 0;
	h = calloc(1, sizeof(*h));
	if (!h) {
		log_err("out of memory");
		return -1;
	}
	h->d = d;
	d->http = h;
	h->good = calloc(mc->nusers ? mc->nusers : 1, sizeof(*h->good));
	if (!h->good) {
		log_err("out of memory");
		return -1;
	}
	h->fd = listen_on(mc, &v6);
	if (h->fd < 0)
		return -1;
	if (v6)
		flags |= MHD_USE_IPv6;
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_LISTEN_SOCKET, h->fd, NULL };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_LIMIT, 64, NULL };
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_CONNECTION_TIMEOUT, 30, NULL };
	if (mc->tls_cert) {
		h->cert = slurp(mc->tls_cert);
		h->key = slurp(mc->tls_key);
		if (!h->cert || !h->key) {
			log_err("cannot read %s: %s", h->cert ? mc->tls_key : mc->tls_cert, strerror(errno));
			return -1;
		}
		flags |= MHD_USE_TLS;
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0, h->cert };
		opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0, h->key };
	}
	opts[n++] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	h->mhd = MHD_start_daemon(flags, (uint16_t)mc->port, NULL, NULL, answer, h,
				  /* the logger first, or libmicrohttpd logs to stderr before it is set */
				  MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_ARRAY, opts,
				  MHD_OPTION_END);
	if (!h->mhd) {
		log_err("cannot start the metrics endpoint on port %u (libmicrohttpd: above)%s", mc->port,
			mc->tls_cert ? "; check metricsTlsCert / metricsTlsKey" : "");
		return -1;
	}
	h->fd = -1; /* libmicrohttpd's now: MHD_stop_daemon closes it */
	src.arg = h;
	if (aras_loop_add_source(l, &src) < 0) {
		log_err("cannot register the metrics endpoint with the loop");
		return -1;
	}
	log_info("metrics endpoint on %s://%s%s%s:%u/metrics%s", mc->tls_cert ? "https" : "http",
		 v6 ? "[" : "", mc->addr ? mc->addr : "127.0.0.1", v6 ? "]" : "", mc->port,
		 mc->nusers ? " (basic auth)" : "");
	return 0;
}

void aras_http_stop(struct arasd *d)
{
	struct aras_http *h = d->http;

	if (!h)
		return;
	if (h->mhd)
		MHD_stop_daemon(h->mhd);
	if (h->fd >= 0)
		close(h->fd);
	free(h->cert);
	if (h->key) {
		explicit_bzero(h->key, strlen(h->key));
		free(h->key);
	}
	for (size_t i = 0; h->good && i < d->metrics.nusers; i++)
		forget(&h->good[i]);
	free(h->good);
	explicit_bzero(&h->crypt, sizeof(h->crypt));
	free(h);
	d->http = NULL;
}
