/* What people type, made what the server expects: a Chinese input method
 * in full-width mode types ８.５ or ＫＡ３Ｂ７Ｘ, and anonymous codes are
 * read off paper in either case. No I/O. */
#ifndef JUDGECLI_INPUT_H
#define JUDGECLI_INPUT_H

#include <stdbool.h>

/* Returns a new copy of s with the full-width forms U+FF01..U+FF5E (digits,
 * letters, the full-width point '．' and the other ASCII signs) replaced by
 * their ASCII characters and the ideographic space U+3000 by a space; when
 * mark is true also the ideographic full stop '。' by '.', as that is what
 * a Chinese input method types for a decimal point. Spaces at both ends are
 * dropped. Anything else is kept as it is. Caller frees. */
char *input_fold(const char *s, bool mark);

/* input_fold(s, false) with ASCII letters upper-cased: an anonymous code as
 * the draw makes them. Caller frees. */
char *input_code(const char *s);

#endif
