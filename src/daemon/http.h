/*
 * http.h - the /metrics endpoint (metricsAddress, arasd.conf(5)): a
 * libmicrohttpd daemon in external-select mode, a source of the loop
 * (loop.h), so that a scrape renders the model in the loop thread like an
 * SNMP request (snmp/prom.h), without locks.  GET /metrics: the Prometheus
 * text; /: a page linking it; other paths 404, other methods 405.  HTTPS
 * with metricsTlsCert + metricsTlsKey, basic auth with metricsUser lines
 * (bcrypt hashes, checked with crypt_r).
 */
#ifndef ARAS_DAEMON_HTTP_H
#define ARAS_DAEMON_HTTP_H

struct arasd;
struct aras_loop;
struct aras_http;

/*
 * Listen on d->metrics (a port in use, a bad certificate: logged, -1) and
 * register with the loop; the handle in d->http.  Nothing when the port is 0.
 */
int aras_http_start(struct arasd *d, struct aras_loop *l);
/* Close the socket and free (after the loop is gone). */
void aras_http_stop(struct arasd *d);

#endif
