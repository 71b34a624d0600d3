/* Unit tests of judge-cli's terminal output and local state: display width
 * of Chinese text, table alignment, control characters, the token file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli.h"
#include "input.h"
#include "table.h"
#include "token.h"

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(text_width(""), 0);
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("张三"), 4);
	assert_int_equal(text_width("第一技师学院"), 12);
	assert_int_equal(text_width("王五, Jr."), 9);
	assert_int_equal(text_width("一等奖"), 6);
	assert_int_equal(text_width("ＡＢ"), 4);        /* fullwidth forms */
	assert_int_equal(text_width("e\xCC\x81"), 1);   /* e + combining acute */
	assert_int_equal(text_width("\xF0\xA0\x80\x80"), 2); /* U+20000 */
	assert_int_equal(text_width("\xFF" "a"), 2);    /* an invalid byte counts 1 */
}

static void test_printable(void **state)
{
	(void)state;
	char *s = text_printable("a\nb\tc\x1b[31md\x7f" "e\xC2\x9B" "f张");
	assert_string_equal(s, "a b c?[31md?e?f张");
	free(s);
}

static void test_table(void **state)
{
	(void)state;
	static const char *const head[] = { "RANK", "NAME", "TOTAL" };
	struct table *t = table_new(3, head);
	table_align_right(t, 0);
	table_align_right(t, 2);
	const char *r1[] = { "1", "张三", "87.50" };
	const char *r2[] = { "10", "Li Si", "7.00" };
	const char *r3[] = { "-", NULL, "" };
	table_add(t, r1);
	table_add(t, r2);
	table_add(t, r3);
	char *s = table_render(t);
	assert_string_equal(s, "RANK  NAME   TOTAL\n"
			       "   1  张三   87.50\n"
			       "  10  Li Si   7.00\n"
			       "   -\n");
	free(s);
	table_free(t);
}

static void test_table_last_column_unpadded(void **state)
{
	(void)state;
	static const char *const head[] = { "CODE", "AWARD" };
	struct table *t = table_new(2, head);
	const char *r1[] = { "K7Q2MX", "一等奖" };
	const char *r2[] = { "A", "" };
	table_add(t, r1);
	table_add(t, r2);
	char *s = table_render(t);
	assert_string_equal(s, "CODE    AWARD\nK7Q2MX  一等奖\nA\n");
	free(s);
	table_free(t);
}

static void test_token_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_cli_output.XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[256];
	snprintf(path, sizeof path, "%s/a/b/token", dir);

	setenv("JUDGE_CLI_TOKEN_FILE", path, 1);
	char *p = token_file_path();
	assert_string_equal(p, path);
	free(p);
	unsetenv("JUDGE_CLI_TOKEN_FILE");
	setenv("XDG_CONFIG_HOME", "/x/cfg", 1);
	p = token_file_path();
	assert_string_equal(p, "/x/cfg/judge-cli/token");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", "/home/u", 1);
	p = token_file_path();
	assert_string_equal(p, "/home/u/.config/judge-cli/token");
	free(p);

	struct token_info ti = { 0 };
	struct ct_err err;
	assert_int_equal(token_file_read(path, &ti, &err), CT_NOT_FOUND);

	char srv[] = "http://127.0.0.1:8080", tok[] = "k3J", role[] = "judge", code[] = "J01";
	struct token_info w = { .server = srv, .token = tok, .role = role, .judge = code };
	assert_int_equal(token_file_write(path, &w, &err), CT_OK);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	char sub[300];
	snprintf(sub, sizeof sub, "%s/a/b", dir);
	assert_int_equal(stat(sub, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);

	assert_int_equal(token_file_read(path, &ti, &err), CT_OK);
	assert_string_equal(ti.server, "http://127.0.0.1:8080");
	assert_string_equal(ti.token, "k3J");
	assert_string_equal(ti.role, "judge");
	assert_string_equal(ti.judge, "J01");
	token_info_clear(&ti);

	/* a second login replaces the file, admin has no judge code */
	char srv2[] = "http://h:1", tok2[] = "zz", role2[] = "admin";
	struct token_info w2 = { .server = srv2, .token = tok2, .role = role2 };
	assert_int_equal(token_file_write(path, &w2, &err), CT_OK);
	assert_int_equal(token_file_read(path, &ti, &err), CT_OK);
	assert_string_equal(ti.token, "zz");
	assert_null(ti.judge);
	token_info_clear(&ti);

	FILE *f = fopen(path, "w");
	fputs("not json", f);
	fclose(f);
	assert_int_equal(token_file_read(path, &ti, &err), CT_INVALID);
	assert_non_null(strstr(err.msg, "not a judge-cli token file"));

	unlink(path);
	rmdir(sub);
	snprintf(sub, sizeof sub, "%s/a", dir);
	rmdir(sub);
	rmdir(dir);
}

/* Issue 8 item 9: login profiles keep their own token files. */
static void test_token_profiles(void **state)
{
	(void)state;
	unsetenv("JUDGE_CLI_TOKEN_FILE");
	unsetenv("JUDGE_CLI_PROFILE");
	setenv("HOME", "/home/u", 1);
	setenv("XDG_CONFIG_HOME", "/x/cfg", 1);
	token_profile_set(NULL);
	assert_null(token_profile());
	char *p = token_file_path();
	assert_string_equal(p, "/x/cfg/judge-cli/token");
	free(p);
	token_profile_set("judge-J01");
	assert_string_equal(token_profile(), "judge-J01");
	p = token_file_path();
	assert_string_equal(p, "/x/cfg/judge-cli/profiles/judge-J01");
	free(p);
	/* JUDGE_CLI_TOKEN_FILE names the default profile's file only */
	setenv("JUDGE_CLI_TOKEN_FILE", "/t/admin", 1);
	p = token_file_path();
	assert_string_equal(p, "/x/cfg/judge-cli/profiles/judge-J01");
	free(p);
	p = token_default_file_path();
	assert_string_equal(p, "/t/admin");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	p = token_file_path();
	assert_string_equal(p, "/home/u/.config/judge-cli/profiles/judge-J01");
	free(p);
	/* the environment, when no --profile; "default" is the default */
	token_profile_set(NULL);
	setenv("JUDGE_CLI_PROFILE", "org", 1);
	assert_string_equal(token_profile(), "org");
	setenv("JUDGE_CLI_PROFILE", "default", 1);
	assert_null(token_profile());
	p = token_file_path();
	assert_string_equal(p, "/t/admin");
	free(p);
	/* names that could leave the directory are not profiles */
	setenv("JUDGE_CLI_PROFILE", "../x", 1);
	assert_null(token_file_path());
	assert_false(token_profile_valid("../x"));
	assert_false(token_profile_valid("a/b"));
	assert_false(token_profile_valid(""));
	assert_false(token_profile_valid("-x"));
	assert_false(token_profile_valid("a b"));
	assert_false(token_profile_valid("abcdefghijabcdefghijabcdefghijabc")); /* 33 */
	assert_true(token_profile_valid("abcdefghijabcdefghijabcdefghijab"));
	assert_true(token_profile_valid("J01_chief"));
	unsetenv("JUDGE_CLI_PROFILE");
	unsetenv("JUDGE_CLI_TOKEN_FILE");
}

/* Issue 8 item 9: what a Chinese input method types in full-width mode. */
static void test_input_fold(void **state)
{
	(void)state;
	struct { const char *in; bool mark; const char *out; } cases[] = {
		{ "８.５", true, "8.5" },
		{ "８．５", true, "8.5" },
		{ "７。２５", true, "7.25" },
		{ "７。２５", false, "7。25" },      /* '。' is a point only in a mark */
		{ "　１０　", true, "10" },          /* ideographic spaces */
		{ " 9.5 ", true, "9.5" },
		{ "ＫＡ３Ｂ７Ｘ", false, "KA3B7X" },
		{ "ｋａ３ｂ", false, "ka3b" },
		{ "！～", false, "!~" },             /* the ends of the block */
		{ "张三", false, "张三" },
		{ "", false, "" },
		{ "　", false, "" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = input_fold(cases[i].in, cases[i].mark);
		assert_string_equal(s, cases[i].out);
		free(s);
	}
	char *c = input_code("ｋａ３ｂ７x");
	assert_string_equal(c, "KA3B7X");
	free(c);
}

static void test_parse_count(void **state)
{
	(void)state;
	long long v;
	assert_true(parse_count("0", 10, &v));
	assert_int_equal(v, 0);
	assert_true(parse_count("5130", 100000, &v));
	assert_int_equal(v, 5130);
	assert_false(parse_count("", 10, &v));
	assert_false(parse_count("-1", 10, &v));
	assert_false(parse_count("+1", 10, &v));
	assert_false(parse_count(" 1", 10, &v));
	assert_false(parse_count("1 ", 10, &v));
	assert_false(parse_count("1.5", 10, &v));
	assert_false(parse_count("11", 10, &v));
	assert_false(parse_count("99999999999999999999999", 10, &v));
	assert_false(parse_count(NULL, 10, &v));
}

static void test_path_escape(void **state)
{
	(void)state;
	char *p = cli_path("/api/v1/events/", "CNC", "/results");
	assert_string_equal(p, "/api/v1/events/CNC/results");
	free(p);
	p = cli_path("/api/v1/contestants/", "a/b c?", NULL);
	assert_string_equal(p, "/api/v1/contestants/a%2Fb%20c%3F");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width),
		cmocka_unit_test(test_printable),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_table_last_column_unpadded),
		cmocka_unit_test(test_token_file),
		cmocka_unit_test(test_token_profiles),
		cmocka_unit_test(test_input_fold),
		cmocka_unit_test(test_parse_count),
		cmocka_unit_test(test_path_escape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
