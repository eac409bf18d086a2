#include <unistd.h>
/* A fork bomb: capped by the pids cgroup, ended by the CPU-time limit. */
int main(void) {
  for (;;) fork();
}
