#pragma once
// The shared library is built with hidden visibility; only what is marked
// here is part of its ABI.
#define PKGAUDIT_API __attribute__((visibility("default")))
