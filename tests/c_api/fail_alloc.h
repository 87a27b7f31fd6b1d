#ifndef PKGAUDIT_TEST_FAIL_ALLOC_H
#define PKGAUDIT_TEST_FAIL_ALLOC_H
#ifdef __cplusplus
extern "C" {
#endif
/* The nth C++ allocation from now throws std::bad_alloc (once); 0: never. */
void fail_allocation_number(long n);
#ifdef __cplusplus
}
#endif
#endif
