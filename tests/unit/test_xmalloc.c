/* Unit tests of the allocation wrappers: running out of memory aborts with a
 * message, also inside jansson once xmalloc_json has been called. The
 * failing allocations run in a child process (this program again, with an
 * argument) so that the abort can be observed. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "xmalloc.h"

/* Child: asks for more memory than exists, directly or through jansson. A
 * return from the request is the failure under test. */
static int child(const char *what)
{
	if (strcmp(what, "json") == 0) {
		xmalloc_json();
		/* jansson copies the string into a block of len + 1 bytes */
		json_t *s = json_stringn_nocheck("x", SIZE_MAX / 2);
		printf("jansson returned %s\n", s ? "a string" : "NULL");
	} else {
		void *p = xmalloc(SIZE_MAX / 2);
		printf("xmalloc returned %p\n", p);
	}
	return 0;
}

/* Runs this program with argument what; returns its wait status and its
 * standard error in err. */
static int run_child(const char *what, char *err, size_t err_size)
{
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		/* Under AddressSanitizer malloc must fail as the C library's
		 * does rather than end the process itself. */
		const char *asan = getenv("ASAN_OPTIONS");
		char *opts = xasprintf("%s%sallocator_may_return_null=1", asan ? asan : "", asan ? ":" : "");
		setenv("ASAN_OPTIONS", opts, 1);
		execl("/proc/self/exe", "test_xmalloc", "--child", what, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	size_t n = 0;
	ssize_t r;
	while (n + 1 < err_size && (r = read(fds[0], err + n, err_size - 1 - n)) > 0)
		n += (size_t)r;
	err[n] = '\0';
	close(fds[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

static void assert_aborts(const char *what)
{
	char err[4096];
	int status = run_child(what, err, sizeof err);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT || !strstr(err, "fatal: out of memory"))
		fail_msg("%s: status 0x%x, stderr: %s", what, status, err);
}

static void test_xmalloc_aborts(void **state)
{
	(void)state;
	assert_aborts("xmalloc");
}

static void test_json_aborts(void **state)
{
	(void)state;
	assert_aborts("json");
}

static void test_json_alloc_funcs(void **state)
{
	(void)state;
	json_malloc_t m = NULL;
	json_free_t f = NULL;
	xmalloc_json();
	json_get_alloc_funcs(&m, &f);
	assert_ptr_equal(m, xmalloc);
	assert_ptr_equal(f, free);
	json_t *v = json_pack("{s:[i,s]}", "a", 1, "b"); /* still works */
	assert_non_null(v);
	assert_int_equal(json_integer_value(json_array_get(json_object_get(v, "a"), 0)), 1);
	json_decref(v);
}

/* xgrow: room for one more, doubling from the first size, the elements kept. */
static void test_xgrow(void **state)
{
	(void)state;
	int *a = NULL;
	size_t n = 0, cap = 0;
	for (int i = 0; i < 100; i++) {
		a = xgrow(a, n, &cap, 4, sizeof *a);
		assert_true(cap > n);
		a[n++] = i;
	}
	assert_int_equal(cap, 128); /* 4, 8, ... 128 */
	for (int i = 0; i < 100; i++)
		assert_int_equal(a[i], i);
	free(a);
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--child") == 0)
		return child(argv[2]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xmalloc_aborts),
		cmocka_unit_test(test_json_aborts),
		cmocka_unit_test(test_json_alloc_funcs),
		cmocka_unit_test(test_xgrow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
