/* list: cursor and scrolling of a list of n rows shown rows at a time. */
#include "config.h"

#include "ui/tui_int.h"

void
ui_list_fix(struct ui_list *l, int rows)
{
	size_t r = rows > 0 ? (size_t)rows : 1;

	if (l->n == 0) {
		l->cur = l->top = 0;
		return;
	}
	if (l->scroll_only) {
		/* Pager: the last page may be short, never past the end. */
		if (l->top + r > l->n)
			l->top = l->n > r ? l->n - r : 0;
		l->cur = l->top;
		return;
	}
	if (l->cur >= l->n)
		l->cur = l->n - 1;
	if (l->cur < l->top)
		l->top = l->cur;
	if (l->cur >= l->top + r)
		l->top = l->cur - r + 1;
	if (l->top + r > l->n)
		l->top = l->n > r ? l->n - r : 0;
}

void
ui_list_move(struct ui_list *l, long delta, int rows)
{
	if (l->scroll_only) {
		if (delta < 0 && (size_t)-delta > l->top)
			l->top = 0;
		else
			l->top += delta;
	} else if (delta < 0 && (size_t)-delta > l->cur) {
		l->cur = 0;
	} else {
		l->cur += delta;
		if (l->n && l->cur >= l->n)
			l->cur = l->n - 1;
	}
	ui_list_fix(l, rows);
}

void
ui_list_set(struct ui_list *l, size_t cur, int rows)
{
	if (l->scroll_only)
		l->top = cur;
	else
		l->cur = cur;
	ui_list_fix(l, rows);
}
