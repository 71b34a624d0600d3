/* Independent oracles for the fuzz targets: small, obviously correct
 * re-statements of the input rules, written apart from the code under test so
 * that a target can check what a parser accepted and the value it produced,
 * not only that it did not crash. fuzz_check aborts with a message, in every
 * build (assert() is compiled out under NDEBUG). */
#ifndef CONTEST_FUZZ_ORACLE_H
#define CONTEST_FUZZ_ORACLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Aborts, printing what failed and where, unless cond holds. */
#define fuzz_check(cond) ((cond) ? (void)0 : fuzz_fail(__FILE__, __LINE__, #cond))
_Noreturn void fuzz_fail(const char *file, int line, const char *what);

/* A new NUL-terminated copy of data[0..size) cut at its first NUL byte: the
 * text a C string parser sees of the input. Caller frees. */
char *fuzz_text(const uint8_t *data, size_t size);

/* Whether s[0..len) is a mark: digits, then optionally '.' and one or two
 * digits, at most 1,000,000.00. On true *c is its value in hundredths. */
bool oracle_mark(const char *s, size_t len, int64_t *c);

/* Whether s[0..len) is one or more ASCII digits whose value is at most max
 * (leading zeros allowed). On true *v is the value. */
bool oracle_whole(const char *s, size_t len, int64_t max, int64_t *v);

/* Whether s[0..len) is well-formed UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), decoding code point by code point. */
bool oracle_utf8(const char *s, size_t len);

/* The number of '\n' bytes in s[0..len). */
size_t oracle_count_lf(const char *s, size_t len);

#endif
