/* Shared by the files of the config test program. */
#ifndef POSTIE_TESTS_CHECK_CORE_H
#define POSTIE_TESTS_CHECK_CORE_H

#include <check.h>

/* The table of bad files (check_config_bad.c). */
TCase *config_bad_tcase(void);

#endif
