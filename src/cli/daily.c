/*
 * serve --feedback-daily HH:MM: the daily feedback run (escalation of
 * overdue requests, reminders of those due next) inside the server, at
 * that time of day in Việt Nam, and once at start when the server starts
 * after it (a restart never skips a day).  The run is the one `thichung
 * feedback escalate` does; it is safe to repeat, so no state is kept.
 * One thread, waiting on a condition so that stopping is immediate.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "base/log.h"
#include "base/vntime.h"
#include "cli/cli.h"
#include "store/feedback.h"
#include "store/store.h"
#include "base/banned.h"

#define DAILY_DAY_MS (86400LL * 1000)

struct cli_daily {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
	int minute;                      /* of the day, Asia/Ho_Chi_Minh */
	struct store_pool *pool;
	const struct feedback_rules *rules;
};

/* Today's run (UTC ms): the time of day in Việt Nam on today's date there. */
static int64_t daily_today_at(int minute, int64_t now)
{
	int64_t off = VNTIME_OFFSET_S * 1000LL;

	return ((now + off) / DAILY_DAY_MS) * DAILY_DAY_MS - off + minute * 60000LL;
}

/* The next run after `now`: today's if still ahead, else tomorrow's. */
static int64_t daily_next(int minute, int64_t now)
{
	int64_t at = daily_today_at(minute, now);

	return at > now ? at : at + DAILY_DAY_MS;
}

static void daily_run(struct cli_daily *d)
{
	struct store_actor actor = { .user_id = 0, .username = "system:daily", .addr = "serve",
	                             .now_ms = vntime_now_ms() };
	int32_t today = vntime_day_of(actor.now_ms / 1000);
	struct error err = ERROR_INIT;
	struct store *st = NULL;
	size_t up = 0, reminded = 0;
	int rc;

	if ((rc = store_pool_get(d->pool, 60000, &st, &err)) == 0) {
		rc = store_feedback_escalate(st, &actor, d->rules, today, &up, &err);
		if (rc == 0)
			rc = store_feedback_remind(st, &actor, d->rules, today, &reminded, &err);
		store_pool_put(d->pool, st);
	}
	if (rc < 0)
		log_error("feedback.daily", "code=%s", error_slug(err.code));
	else
		log_info("feedback.daily", "escalated=%zu reminded=%zu", up, reminded);
}

static void *daily_main(void *arg)
{
	struct cli_daily *d = arg;
	int64_t now = vntime_now_ms();
	/* Started after today's time: run now, then at the time each day. */
	int64_t next = daily_today_at(d->minute, now) <= now ? now : daily_next(d->minute, now);

	pthread_mutex_lock(&d->mu);
	while (!d->stop) {
		now = vntime_now_ms();
		if (now >= next) {
			pthread_mutex_unlock(&d->mu);
			daily_run(d);
			pthread_mutex_lock(&d->mu);
			next = daily_next(d->minute, vntime_now_ms());
			continue;
		}
		struct timespec ts = { .tv_sec = (time_t)(next / 1000),
		                       .tv_nsec = (long)(next % 1000) * 1000000L };
		int w = pthread_cond_timedwait(&d->cv, &d->mu, &ts);

		(void)w;   /* woken, timed out or interrupted: the loop looks again */
	}
	pthread_mutex_unlock(&d->mu);
	return NULL;
}

int cli_daily_start(struct store_pool *pool, const struct feedback_rules *rules, int minute,
                    struct cli_daily **out, struct error *err)
{
	struct cli_daily *d = calloc(1, sizeof(*d));

	*out = NULL;
	if (d == NULL)
		return error_set(err, THC_ENOMEM, "hết bộ nhớ", "out of memory");
	*d = (struct cli_daily){ .minute = minute, .pool = pool, .rules = rules };
	pthread_mutex_init(&d->mu, NULL);
	pthread_cond_init(&d->cv, NULL);
	if (pthread_create(&d->thread, NULL, daily_main, d) != 0) {
		pthread_cond_destroy(&d->cv);
		pthread_mutex_destroy(&d->mu);
		free(d);
		return error_set(err, THC_EINTERNAL, "không tạo được luồng chạy hằng ngày",
		                 "cannot start the daily thread");
	}
	*out = d;
	return 0;
}

void cli_daily_stop(struct cli_daily *d)
{
	if (d == NULL)
		return;
	pthread_mutex_lock(&d->mu);
	d->stop = 1;
	pthread_cond_signal(&d->cv);
	pthread_mutex_unlock(&d->mu);
	pthread_join(d->thread, NULL);
	pthread_cond_destroy(&d->cv);
	pthread_mutex_destroy(&d->mu);
	free(d);
}
