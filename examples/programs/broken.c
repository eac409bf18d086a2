#include <stdio.h>
/* A compile error, reported with the compiler diagnostics. */
int main(void) { printf("%d\n", undefined_name); }
