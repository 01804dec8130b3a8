/*
 * pol_adapt.c - the adaptive overload detectors of Beloglazov & Buyya,
 * "Optimal online deterministic algorithms and adaptive heuristics for
 * energy and performance efficient dynamic consolidation of virtual
 * machines in cloud data centers", CCPE 24(13), 2012, section 6 (written
 * from the paper's text, not from CloudSim's code):
 *
 *   MAD  median absolute deviation of the host's CPU utilisation history:
 *        upper threshold T = 1 - s x MAD (s = 2.5); the host is overloaded
 *        when its utilisation now exceeds T.  Needs 12 samples.
 *   LR   local regression (Cleveland's loess, tricube weights) of a line
 *        through the last k = 10 utilisation samples; the host is
 *        overloaded when s x the predicted utilisation >= 1 (s = 1.2), the
 *        prediction made as far ahead as its longest migration takes (in
 *        scheduling intervals, at least one).
 * Utilisation is a share of the host's capacity (1 = full).  With less
 * history the caller falls back to the static threshold (our choice:
 * the detectors are not defined on a shorter history).  Pure C11 with libm.
 */
#include "policy.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median of v[0..n) (sorts v). */
static double median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), dcmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double aras_pol_mad(const double *u, size_t n)
{
	double v[ARAS_POL_HIST], med;

	if (n == 0 || n > ARAS_POL_HIST)
		return 0;
	memcpy(v, u, n * sizeof(*v));
	med = median(v, n);
	for (size_t i = 0; i < n; i++)
		v[i] = fabs(u[i] - med);
	return median(v, n);
}

double aras_pol_lr_predict(const double *u, size_t n, double ahead)
{
	double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0, b, a;

	if (n == 0)
		return 0;
	if (n == 1)
		return u[0];
	/*
	 * Tricube weights by distance from the newest sample: the newest has
	 * weight 1, the oldest would have 0; it gets its neighbour's weight
	 * instead so that every sample counts.  x = 1..n, oldest first.
	 */
	for (size_t i = 0; i < n; i++) {
		double d = (double)(n - 1 - (i == 0 && n > 2 ? 1 : i)) / (double)(n - 1);
		double w = pow(1 - d * d * d, 3), x = (double)(i + 1);

		sw += w;
		sx += w * x;
		sy += w * u[i];
		sxx += w * x * x;
		sxy += w * x * u[i];
	}
	if (fabs(sw * sxx - sx * sx) < 1e-12)
		return u[n - 1];
	b = (sw * sxy - sx * sy) / (sw * sxx - sx * sx);
	a = (sy - b * sx) / sw;
	return a + b * ((double)n + ahead);
}
