/* National id numbers are never shown in full after import (SPEC section
 * 3): the one masking rule, for the organizers' lists and the audit trail. */
#ifndef CONTEST_IDNUMBER_H
#define CONTEST_IDNUMBER_H

#include <stddef.h>

/* Longest id number kept, in bytes (the API refuses longer ones). */
#define ID_NUMBER_MAX 32

/* Writes id into out (size bytes, at least ID_NUMBER_MAX + 1) with every
 * character but the first and last four masked by '*' (two each for ids of
 * 6 to 11 characters, all for shorter ones): "1101**********1234". Returns
 * out. */
char *id_number_mask(const char *id, char *out, size_t size);

#endif
