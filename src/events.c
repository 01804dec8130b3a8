/*
 * events.c - see events.h.
 */
#include "events.h"

#include "core/log.h"
#include "notify/mail.h"
#include "notify/script.h"
#include "snmp/mib.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

void aras_events_alert(struct arasd *d, const struct aras_alert *a)
{
	uint32_t actions = d->state.settings.v[ARAS_S_ACTIONS];
	struct aras_event *e = d->evlog ? aras_evlog_add(d->evlog, a) : NULL;

	log_info("%s: VM %s on %s: %s", aras_event_name(a->type), a->vm_name, a->host_name, a->text);
	if (a->type != ARAS_EV_BREACH && a->type != ARAS_EV_CLEAR)
		return;
	if ((actions & ARAS_ACT_TRAP) && e)
		aras_notify_event(d, e);
	if ((actions & ARAS_ACT_EMAIL) && d->mailer && aras_mailer_send(d->mailer, a) < 0)
		d->counters.mail_failed++;
	if ((actions & ARAS_ACT_SCRIPT) && d->scripts) {
		if (aras_scripts_run(d->scripts, a) < 0)
			d->counters.script_failed++;
		else
			d->counters.script_runs++;
	}
	/*
	 * allocate: nothing to hand over here - the controller's next round
	 * (src/actions.c) considers every VM whose alert is firing, so alerts
	 * that fired before a policy change are taken too.
	 */
}

void aras_events_host(struct arasd *d, const struct aras_host *h)
{
	struct aras_alert a;
	int st = aras_host_mib_state(h);

	aras_alert_init(&a, st == ARAS_HOST_DOWN ? ARAS_EV_HOST_DOWN : ARAS_EV_HOST_UP, time(NULL), NULL, NULL,
			h->index, h->name, ARAS_RES_NONE);
	snprintf(a.text, sizeof(a.text), "host %.64s is %s%s%.160s", h->name,
		 st == ARAS_HOST_DOWN ? "down" : st == ARAS_HOST_MAINTENANCE ? "in maintenance" : "up",
		 h->last_error[0] ? ": " : "", h->last_error);
	log_warn("%s", a.text);
	if (d->evlog)
		aras_evlog_add(d->evlog, &a);
	aras_notify_host_state(d, h);
}
