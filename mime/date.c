/* date: RFC 5322 dates and the obsolete forms seen in real mail. */
#include "config.h"

#include <string.h>

#include "core/str.h"
#include "mime/mime_int.h"

static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
    "jul", "aug", "sep", "oct", "nov", "dec"};

static const struct {
	const char *name;
	int minutes;
} zones[] = {
    {"ut", 0},
    {"utc", 0},
    {"gmt", 0},
    {"z", 0},
    {"est", -300},
    {"edt", -240},
    {"cst", -360},
    {"cdt", -300},
    {"mst", -420},
    {"mdt", -360},
    {"pst", -480},
    {"pdt", -420},
    {"cet", 60},
    {"cest", 120},
    {"met", 60},
    {"mest", 120},
    {"bst", 60},
    {"ist", 330},
    {"jst", 540},
    {"kst", 540},
    {"eet", 120},
    {"eest", 180},
    {"wet", 0},
    {"west", 60},
};

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long long
days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static int
mdays(int y, int m)
{
	static const int n[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return n[m - 1];
}

/* Skips blanks then a ':' (obsolete syntax allows blanks around it). */
static int
colon(const char *s, size_t len, size_t *i)
{
	size_t j = *i;

	while (j < len && (s[j] == ' ' || s[j] == '\t'))
		j++;
	if (j >= len || s[j] != ':')
		return 0;
	for (j++; j < len && (s[j] == ' ' || s[j] == '\t'); j++)
		;
	*i = j;
	return 1;
}

/* Up to two digits. */
static long
num2(const char *s, size_t len, size_t *i)
{
	long v = 0;
	size_t n = 0;

	while (*i < len && s[*i] >= '0' && s[*i] <= '9' && n++ < 2)
		v = v * 10 + (s[(*i)++] - '0');
	return v;
}

int
mime_date_parse(const char *s, size_t len, time_t *t_r, int *zone_r)
{
	int day = -1, mon = -1, year = -1, hh = -1, mi = 0, ss = 0;
	int zone = 0, have_zone = 0, depth = 0;
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t st = i;

		if (depth > 0 || c == '(') { /* comments */
			depth += c == '(' ? 1 : c == ')' ? -1 : 0;
			i++;
			continue;
		}
		if (c >= '0' && c <= '9') {
			long v = 0;

			while (
			    i < len && s[i] >= '0' && s[i] <= '9' && i - st < 9)
				v = v * 10 + (s[i++] - '0');
			if (hh < 0 && colon(s, len, &i)) { /* hh:mm[:ss] */
				size_t k = i;

				hh = (int)v;
				mi = (int)num2(s, len, &i);
				ss = colon(s, len, &i) ? (int)num2(s, len, &i)
				                       : 0;
				if (i == k) /* "12:" alone */
					hh = -1;
				if (i < len && s[i] == '.') /* fractions */
					while (++i < len && s[i] >= '0' &&
					    s[i] <= '9')
						;
			} else if (i - st >= 3 || day >= 0 || v > 31) {
				if (year < 0) {
					year = (int)v;
					if (i - st == 2)
						year += year < 50 ? 2000 : 1900;
					else if (i - st == 3)
						year += 1900;
				}
			} else
				day = (int)v;
			continue;
		}
		if ((c == '+' || c == '-') && i + 4 < len && hh >= 0 &&
		    !have_zone) {
			size_t k;
			int ok = 1;

			for (k = 1; k <= 4; k++)
				if (s[i + k] < '0' || s[i + k] > '9')
					ok = 0;
			if (ok) {
				int h =
				    (s[i + 1] - '0') * 10 + (s[i + 2] - '0');
				int m =
				    (s[i + 3] - '0') * 10 + (s[i + 4] - '0');

				zone = (h * 60 + m) * (c == '-' ? -1 : 1);
				have_zone = 1;
				i += 5;
				continue;
			}
		}
		if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
			char w[8];
			size_t n = 0, k;

			while (i < len &&
			    ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z')) {
				if (n + 1 < sizeof(w))
					w[n++] = (char)(s[i] | 0x20);
				i++;
			}
			w[n] = '\0';
			for (k = 0; k < 12 && mon < 0 && n >= 3; k++)
				if (memcmp(w, months[k], 3) == 0)
					mon = (int)k + 1;
			if (hh >= 0 && !have_zone) {
				for (k = 0;
				     k < sizeof(zones) / sizeof(zones[0]); k++)
					if (w[0] == zones[k].name[0] &&
					    strcmp(w, zones[k].name) == 0) {
						zone = zones[k].minutes;
						have_zone = 1;
					}
				/* military zones: unreliable, RFC 5322 says
				 * treat as -0000 */
				if (n == 1)
					have_zone = 1;
			}
			continue;
		}
		i++;
	}
	if (day < 1 || mon < 1 || year < 0 || year > 9999)
		return -1;
	if (year < 100)
		year += year < 50 ? 2000 : 1900;
	if (day > mdays(year, mon))
		return -1;
	if (hh < 0)
		hh = 0;
	if (hh > 23 || mi > 59 || ss > 60 || zone <= -24 * 60 ||
	    zone >= 24 * 60)
		return -1;
	if (ss == 60)
		ss = 59;
	*t_r = (time_t)(days_from_civil(year, (unsigned)mon, (unsigned)day) *
	        86400LL +
	    hh * 3600 + mi * 60 + ss - zone * 60LL);
	*zone_r = zone;
	return 0;
}
