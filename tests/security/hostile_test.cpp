// Hostile programs: each must get its exact verdict, and afterwards no process, cgroup or
// staging directory of it may remain. Programs print what they managed to do, so a test
// also fails if an attack "worked" quietly. Attacks on the host around the jail (its files,
// network, processes) are in hostile_host_test.cpp.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <thread>

#include "base/unique_fd.hpp"
#include "sandbox/jail/identity.hpp"
#include "tests/support/sandbox_env.hpp"

namespace crucible::testing {
namespace {

using sandbox::Verdict;

struct Hostile {
  const char* name;
  const char* language;
  const char* source;
  Verdict verdict;
  const char* reason;           // "" = any
  const char* stdout_contains;  // "" = no check
  // A second verdict that is equally honest for this program, when the kernel decides.
  std::optional<Verdict> also_allowed = std::nullopt;
};

// C programs include what they need; the prelude keeps rows short.
#define C_PRELUDE                                                                                 \
  "#define _GNU_SOURCE\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include "  \
  "<unistd.h>\n#include <errno.h>\n#include <fcntl.h>\n#include <signal.h>\n#include <sched.h>\n" \
  "#include <sys/syscall.h>\n#include <sys/mount.h>\n#include <sys/ptrace.h>\n#include "          \
  "<sys/resource.h>\n#include <sys/stat.h>\n#include <sys/socket.h>\n#include <pthread.h>\n"

const Hostile kHostile[] = {
    // Failed forks charge kernel memory freed only after an RCU grace period; on a loaded
    // host that backlog may hit the memory limit before the CPU limit ends the bomb.
    {"fork_bomb", "c", C_PRELUDE "int main(void){for(;;)fork();}", Verdict::TimeLimit, "cpu", "",
     Verdict::MemoryLimit},
    {"memory_bomb_c", "c",
     C_PRELUDE "int main(void){for(;;){char*p=malloc(1<<20);if(p)memset(p,1,1<<20);}}",
     Verdict::MemoryLimit, "oom", ""},
    {"memory_bomb_python", "python3", "x=[]\nwhile True: x.append(bytearray(8<<20))",
     Verdict::MemoryLimit, "", ""},
    {"cpu_spin", "c", C_PRELUDE "int main(void){volatile unsigned long i=0;for(;;)i++;}",
     Verdict::TimeLimit, "cpu", ""},
    {"cpu_spin_threads", "c",
     C_PRELUDE
     "void*s(void*a){volatile long i=0;for(;;)i++;return a;}int main(void){pthread_t t;for(int "
     "k=0;k<4;k++)pthread_create(&t,0,s,0);s(0);}",
     Verdict::TimeLimit, "cpu", ""},
    {"sleep_past_wall", "python3", "import time\ntime.sleep(60)", Verdict::TimeLimit, "wall", ""},
    {"blocked_on_stdin_forever", "c",
     C_PRELUDE "int main(void){int p[2];pipe(p);char c;read(p[0],&c,1);}", Verdict::TimeLimit,
     "wall", ""},
    {"stdout_flood", "c",
     C_PRELUDE "int main(void){for(;;)fputs(\"flood flood flood\\n\",stdout);}",
     Verdict::OutputLimit, "stdout", ""},
    {"stderr_flood", "python3", "import sys\nwhile True: sys.stderr.write('x'*4096)",
     Verdict::OutputLimit, "stderr", ""},
    {"disk_fill_one_file", "c",
     C_PRELUDE "int main(void){int fd=open(\"/work/big\",O_CREAT|O_WRONLY,0644);char "
               "b[65536]={0};for(;;)write(fd,b,"
               "sizeof b);}",
     Verdict::OutputLimit, "file_size", ""},
    {"disk_fill_many_files", "c",
     C_PRELUDE "int main(void){char b[65536]={0};char n[64];for(int "
               "i=0;;i++){snprintf(n,64,\"/tmp/f%d\",i);int "
               "fd=open(n,O_CREAT|O_WRONLY,0644);if(fd<0){puts(\"full\");return 0;}for(int "
               "k=0;k<100;k++)if(write(fd,b,"
               "sizeof b)<0){puts(\"full\");return 0;}close(fd);}}",
     Verdict::Accepted, "", "full"},
    {"write_outside_work_dir", "c",
     C_PRELUDE "int main(void){const "
               "char*p[]={\"/usr/bin/crucible-evil\",\"/etc/passwd\",\"/box/evil\",\"/evil\","
               "\"/proc/sys/kernel/hostname\",\"/dev/evil\"};int ok=0;for(int i=0;i<6;i++){int "
               "fd=open(p[i],O_CREAT|O_WRONLY,0644);if(fd>=0){printf(\"wrote "
               "%s\\n\",p[i]);ok=1;}}puts(ok?\"breach\":"
               "\"denied\");}",
     Verdict::Accepted, "", "denied"},
    {"read_host_files", "python3",
     "import os\nleaks=[p for p in "
     "['/etc/shadow','/root','/home','/var/log','/sys/kernel','/etc/hostname'] "
     "if os.path.exists(p)]\nprint('leaks', leaks)",
     Verdict::Accepted, "", "leaks []"},
    {"ptrace", "c", C_PRELUDE "int main(void){ptrace(PTRACE_TRACEME,0,0,0);puts(\"traced\");}",
     Verdict::SecurityViolation, "seccomp", ""},
    {"mount", "c",
     C_PRELUDE "int main(void){mount(\"none\",\"/tmp\",\"tmpfs\",0,0);puts(\"mounted\");}",
     Verdict::SecurityViolation, "seccomp", ""},
    {"unshare_user_ns", "c", C_PRELUDE "int main(void){unshare(CLONE_NEWUSER);puts(\"unshared\");}",
     Verdict::SecurityViolation, "seccomp", ""},
    {"setns", "c",
     C_PRELUDE
     "int main(void){int fd=open(\"/proc/1/ns/mnt\",O_RDONLY);setns(fd,0);puts(\"joined\");}",
     Verdict::SecurityViolation, "seccomp", ""},
    {"clone_new_namespace", "c",
     C_PRELUDE "int main(void){syscall(SYS_clone,CLONE_NEWNS|SIGCHLD,0,0,0,0);puts(\"x\");}",
     Verdict::SecurityViolation, "seccomp", ""},
    {"chroot", "c", C_PRELUDE "int main(void){chroot(\"/tmp\");puts(\"chrooted\");}",
     Verdict::SecurityViolation, "seccomp", ""},
    {"bpf", "c", C_PRELUDE "int main(void){syscall(SYS_bpf,0,0,0);puts(\"bpf\");}",
     Verdict::SecurityViolation, "seccomp", ""},
    {"perf_event_open", "c",
     C_PRELUDE "int main(void){syscall(SYS_perf_event_open,0,0,-1,-1,0);puts(\"perf\");}",
     Verdict::SecurityViolation, "seccomp", ""},
    {"keyctl", "c", C_PRELUDE "int main(void){syscall(SYS_keyctl,0,0,0,0,0);puts(\"keys\");}",
     Verdict::SecurityViolation, "seccomp", ""},
    {"userfaultfd", "c", C_PRELUDE "int main(void){syscall(SYS_userfaultfd,0);puts(\"uffd\");}",
     Verdict::SecurityViolation, "seccomp", ""},
    {"kexec_load", "c",
     C_PRELUDE "int main(void){syscall(SYS_kexec_load,0,0,0,0);puts(\"kexec\");}",
     Verdict::SecurityViolation, "seccomp", ""},
    {"init_module", "c",
     C_PRELUDE "int main(void){syscall(SYS_init_module,0,0,\"\");puts(\"module\");}",
     Verdict::SecurityViolation, "seccomp", ""},
    {"reboot", "c", C_PRELUDE "int main(void){syscall(SYS_reboot,0,0,0,0);puts(\"reboot\");}",
     Verdict::SecurityViolation, "seccomp", ""},
    {"swapon", "c", C_PRELUDE "int main(void){syscall(SYS_swapon,\"/dev/null\",0);puts(\"swap\");}",
     Verdict::SecurityViolation, "seccomp", ""},
    {"x32_int80_syscall", "c",
     C_PRELUDE
     "int main(void){__asm__ volatile(\"mov $20,%%eax; int $0x80\":::\"eax\");puts(\"x\");}",
     Verdict::SecurityViolation, "seccomp", "",
     // A kernel without 32-bit syscall emulation (ia32_emulation=off) kills int $0x80 with
     // SIGSEGV before seccomp sees it: the call never runs either way.
     Verdict::RuntimeError},
    {"io_uring_is_unavailable", "c",
     C_PRELUDE
     "int main(void){long "
     "r=syscall(SYS_io_uring_setup,1,0);printf(\"%s\\n\",r<0&&errno==ENOSYS?\"enosys\":\"ring\");}",
     Verdict::Accepted, "", "enosys"},
    // IP sockets open (the run's own network holds only loopback), but reach nothing outside.
    {"raw_and_netlink_sockets", "c",
     C_PRELUDE
     "#include <netinet/in.h>\n#include <arpa/inet.h>\n"
     "int main(void){int "
     "a=socket(AF_PACKET,SOCK_RAW,0),b=socket(AF_NETLINK,SOCK_RAW,0),c=socket(AF_INET,SOCK_"
     "STREAM,0);struct sockaddr_in s={0};s.sin_family=AF_INET;s.sin_port=htons(53);"
     "s.sin_addr.s_addr=inet_addr(\"8.8.8.8\");int r=c<0?-1:connect(c,(struct sockaddr*)&s,"
     "sizeof s);printf(\"%s\\n\",a<0&&b<0&&r<0?\"denied\":\"open\");}",
     Verdict::Accepted, "", "denied"},
    {"aio_context_hoarding", "c",
     C_PRELUDE "#include <linux/aio_abi.h>\n"
               "int main(void){aio_context_t c=0;long r=syscall(SYS_io_setup,65536,&c);"
               "printf(\"%s\\n\",r<0&&errno==ENOSYS?\"enosys\":\"reserved\");}",
     Verdict::Accepted, "", "enosys"},
    {"own_localhost_server", "python3",
     "import socket, threading\n"
     "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(1)\n"
     "threading.Thread(target=lambda: s.accept()[0].sendall(b'pong')).start()\n"
     "print(socket.create_connection(s.getsockname()).recv(4).decode())\n",
     Verdict::Accepted, "", "pong"},
    // The build is read-only: a run cannot patch the cached program or its sibling files.
    {"write_into_box", "python3",
     "import os, glob\nhits = []\nfor p in glob.glob('/box/*') + ['/box/new']:\n"
     "    try:\n        open(p, 'a').write('x'); hits.append(p)\n    except OSError: pass\n"
     "    try:\n        os.chmod(p, 0o777); hits.append('chmod ' + p)\n    except OSError: pass\n"
     "print('hits', hits)",
     Verdict::Accepted, "", "hits []"},
    {"fifo_and_device_nodes", "c",
     C_PRELUDE "#include <sys/sysmacros.h>\nint main(void){int "
               "a=mkfifo(\"/box/f\",0600),b=mknod(\"/work/mem\",S_IFCHR|0600,makedev(1,1)),"
               "c=open(\"/dev/mem\",O_RDONLY),d=open(\"/dev/kmsg\",O_RDONLY);"
               "printf(\"%s\\n\",a<0&&b<0&&c<0&&d<0?\"denied\":\"made\");}",
     Verdict::Accepted, "", "denied"},
    {"kernel_tunables", "python3",
     "hits = []\nfor p in ['/proc/sys/kernel/hostname', '/proc/sys/vm/drop_caches', "
     "'/proc/sysrq-trigger', '/sys/kernel/mm/transparent_hugepage/enabled']:\n"
     "    try:\n        open(p, 'w').write('1'); hits.append(p)\n    except OSError: pass\n"
     "print('hits', hits)",
     Verdict::Accepted, "", "hits []"},
    {"memfd_hoarding", "python3",
     "import os, mmap\nfds = []\nwhile True:\n    fd = os.memfd_create('x')\n"
     "    os.ftruncate(fd, 4 << 20)\n    m = mmap.mmap(fd, 4 << 20)\n    m.write(b'x' * (4 << "
     "20))\n"
     "    fds.append((fd, m))",
     Verdict::MemoryLimit, "", ""},
    {"sysv_shared_memory_flood", "c",
     C_PRELUDE
     "#include <sys/shm.h>\nint main(void){for(;;){int "
     "id=shmget(IPC_PRIVATE,32<<20,IPC_CREAT|0600);"
     "if(id<0){puts(\"refused\");return 0;}char*p=shmat(id,0,0);if(p==(void*)-1){puts(\"refused\");"
     "return 0;}memset(p,1,32<<20);}}",
     Verdict::MemoryLimit, "", "", Verdict::Accepted},
    {"tmp_fill", "c",
     C_PRELUDE
     "int main(void){char n[64];char b[65536]={0};for(int i=0;;i++){sprintf(n,\"/tmp/f%d\",i);"
     "int fd=open(n,O_CREAT|O_WRONLY,0600);if(fd<0){puts(\"full\");return 0;}"
     "for(int k=0;k<64;k++)if(write(fd,b,sizeof b)<0){puts(\"full\");return 0;}close(fd);}}",
     Verdict::Accepted, "", "full", Verdict::OutputLimit},
    {"read_other_processes_memory", "c",
     C_PRELUDE
     "#include <sys/uio.h>\nint main(void){char b[16];struct iovec l={b,16},r={(void*)0x400000,16};"
     "long n=syscall(SYS_process_vm_readv,1,&l,1,&r,1,0);printf(\"%ld\\n\",n);}",
     Verdict::SecurityViolation, "seccomp", ""},
    {"open_by_handle", "c",
     C_PRELUDE
     "int main(void){syscall(SYS_open_by_handle_at,AT_FDCWD,0,O_RDONLY);puts(\"opened\");}",
     Verdict::SecurityViolation, "seccomp", ""},
    {"set_the_clock", "c",
     C_PRELUDE
     "#include <time.h>\nint main(void){struct timespec t={0,0};clock_settime(CLOCK_REALTIME,&t);"
     "puts(\"set\");}",
     Verdict::SecurityViolation, "seccomp", ""},
    {"host_abstract_sockets", "python3",
     "import socket\nnames = [l.split()[-1] for l in open('/proc/net/unix').readlines()[1:] "
     "if l.split()[-1].startswith('@')]\nreached = []\nfor n in names:\n"
     "    s = socket.socket(socket.AF_UNIX)\n    try:\n        s.connect('\\0' + n[1:]); "
     "reached.append(n)\n"
     "    except OSError: pass\nprint('reached', reached)",
     Verdict::Accepted, "", "reached []"},
    {"outside_network", "python3",
     "import socket\nout = []\nfor host in ['1.1.1.1', '10.0.2.2', '192.168.0.1', '::1']:\n"
     "    try:\n        socket.create_connection((host, 80), timeout=0.3); out.append(host)\n"
     "    except OSError: pass\nprint('out', out)",
     Verdict::Accepted, "", "out []"},
    {"netlink_route_dump", "python3",
     "import socket\ntry:\n    socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0); "
     "print('netlink')\n"
     "except OSError as e:\n    print('denied', e.errno)",
     Verdict::Accepted, "", "denied 13"},
    {"sendfile_flood", "c",
     C_PRELUDE "#include <sys/sendfile.h>\nint main(void){int fd=open(\"/dev/zero\",O_RDONLY);"
               "for(;;)sendfile(1,fd,0,1<<20);}",
     Verdict::OutputLimit, "stdout", ""},
    {"init_descriptors_and_memory", "python3",
     "import os\nhits = []\nfor p in ['/proc/1/mem', '/proc/1/fd/0', '/proc/1/fd/1', "
     "'/proc/1/root/etc', "
     "'/proc/1/cwd', '/proc/1/environ']:\n    try:\n        os.listdir(p) if p.endswith(('etc', "
     "'cwd')) "
     "else open(p, 'rb').read(1); hits.append(p)\n    except OSError: pass\nprint('hits', hits)",
     Verdict::Accepted, "", "hits []"},
    {"kill_everything", "c",
     C_PRELUDE
     "int main(void){kill(-1,SIGKILL);kill(1,SIGKILL);kill(getppid(),SIGKILL);puts(\"survived\");}",
     Verdict::Accepted, "", "survived"},
    {"setsid_double_fork_daemon", "c",
     C_PRELUDE "int "
               "main(void){if(fork()==0){setsid();if(fork()==0){close(1);for(;;)pause();}_exit(0);}"
               "sleep(1);puts("
               "\"parent done\");}",
     Verdict::Accepted, "", "parent done"},
    {"fd_exhaustion", "c",
     C_PRELUDE "int main(void){int "
               "n=0;while(open(\"/dev/null\",O_RDONLY)>=0)n++;printf(\"%s\\n\",n<300?\"capped\":"
               "\"unbounded\");}",
     Verdict::Accepted, "", "capped"},
    {"thread_bomb", "c",
     C_PRELUDE "void*s(void*a){pause();return a;}int main(void){int n=0;pthread_t "
               "t;while(pthread_create(&t,0,s,0)==0&&"
               "n<100000)n++;printf(\"%s\\n\",n<64?\"capped\":\"unbounded\");return 0;}",
     Verdict::Accepted, "", "capped"},
    {"huge_argv_and_env", "c",
     C_PRELUDE "int main(int c,char**v){if(c>1){puts(\"ran\");return 0;}size_t "
               "n=64<<20;char*big=malloc(n);memset(big,"
               "'a',n-1);big[n-1]=0;char*a[]={v[0],big,0};char*e[]={big,0};execve(v[0],a,e);printf("
               "\"%s\\n\",errno=="
               "E2BIG?\"e2big\":strerror(errno));}",
     Verdict::Accepted, "", "e2big"},
    {"symlink_tricks", "c",
     C_PRELUDE "int "
               "main(void){symlink(\"/proc/1/root\",\"/work/r\");symlink(\"/etc/shadow\",\"/work/"
               "s\");symlink(\"/proc/"
               "1/cwd\",\"/work/c\");int "
               "ok=open(\"/work/r/etc/hostname\",O_RDONLY)>=0||open(\"/work/s\",O_RDONLY)>=0||"
               "open(\"/work/c\",O_RDONLY|O_DIRECTORY)>=0;puts(ok?\"escaped\":\"contained\");}",
     Verdict::Accepted, "", "contained"},
    {"host_proc", "python3",
     "import os\npids=[p for p in os.listdir('/proc') if p.isdigit()]\ntry:\n  "
     "open('/proc/1/environ').read(); e='read'\n"
     "except OSError: e='denied'\nprint(len(pids)<=3, e)",
     Verdict::Accepted, "", "True denied"},
    {"raise_limits", "c",
     C_PRELUDE
     "int main(void){struct rlimit r={RLIM_INFINITY,RLIM_INFINITY};int "
     "a=setrlimit(RLIMIT_CPU,&r),b=setrlimit("
     "RLIMIT_NOFILE,&r),c=setrlimit(RLIMIT_FSIZE,&r);puts(a&&b&&c?\"refused\":\"raised\");}",
     Verdict::Accepted, "", "refused"},
    {"chmod_chown_setuid", "c",
     C_PRELUDE "int main(void){int f=open(\"/work/x\",O_CREAT|O_WRONLY,0755);close(f);int "
               "a=chown(\"/work/x\",0,0),b="
               "setuid(0),c=setgid(0),d=chmod(\"/usr/bin/"
               "passwd\",04777);puts(a&&b&&c&&d?\"refused\":\"changed\");}",
     Verdict::Accepted, "", "refused"},
    {"terminal_injection", "c",
     C_PRELUDE
     "#include <sys/ioctl.h>\nint main(void){char c='x';ioctl(0,TIOCSTI,&c);puts(\"x\");}",
     Verdict::SecurityViolation, "seccomp", ""},
    {"sethostname", "c", C_PRELUDE "int main(void){sethostname(\"pwned\",5);puts(\"x\");}",
     Verdict::SecurityViolation, "seccomp", ""},
    // The stack may grow to the memory limit, so runaway recursion is a memory verdict.
    {"stack_overflow", "c",
     C_PRELUDE
     "int f(int n){volatile char b[4096];b[0]=n;return f(n+1)+b[0];}int main(void){return f(0);}",
     Verdict::MemoryLimit, "oom", ""},
    {"null_dereference", "c", C_PRELUDE "int main(void){volatile int*p=0;return *p;}",
     Verdict::RuntimeError, "signal", ""},
    {"java_memory_bomb", "java",
     "import java.util.*;public class Main{public static void main(String[] a){List<long[]> x=new "
     "ArrayList<>();for(;;)"
     "x.add(new long[1<<20]);}}",
     Verdict::MemoryLimit, "", ""},
};

void PrintTo(const Hostile& h, std::ostream* os) {
  *os << h.name;
}

// Each program through both helpers: the concurrent one (a parked supervisor per request) and
// the one `crucible run` uses (one request at a time, served in the helper's own process).
enum class Helper { Concurrent, OneAtATime };

class HostilePrograms : public ::testing::TestWithParam<std::tuple<Hostile, Helper>> {};

TEST_P(HostilePrograms, GetsItsExactVerdictAndLeavesNothing) {
  const auto& [h, helper] = GetParam();
  sandbox::Limits limits = hostile_limits();
  if (std::string(h.language) == "java") {
    // The JVM's own floor: a caller's lower limits are refused, not raised (registry.cpp).
    limits.memory_bytes = 256 << 20;
    limits.processes = 128;
    limits.cpu_seconds = 4;
    limits.wall_seconds = 8;
  }
  sandbox::Sandbox& sb = helper == Helper::OneAtATime ? one_at_a_time_sandbox() : shared_sandbox();
  auto o = run_in(sb, h.language, h.source, "", limits);
  if (h.also_allowed && o.verdict == *h.also_allowed) {
    expect_nothing_left_behind();
    return;
  }
  EXPECT_EQ(sandbox::verdict_name(o.verdict), std::string(sandbox::verdict_name(h.verdict)))
      << o.message << "\nstdout: " << o.stdout_data.substr(0, 300)
      << "\nstderr: " << o.stderr_data.substr(0, 300)
      << "\ncompile: " << o.compile_output.substr(0, 500);
  if (*h.reason) {
    EXPECT_EQ(o.reason, h.reason) << o.message;
  }
  if (*h.stdout_contains) {
    EXPECT_NE(o.stdout_data.find(h.stdout_contains), std::string::npos) << o.stdout_data;
  }
  expect_nothing_left_behind();
}

INSTANTIATE_TEST_SUITE_P(Jail, HostilePrograms,
                         ::testing::Combine(::testing::ValuesIn(kHostile),
                                            ::testing::Values(Helper::Concurrent,
                                                              Helper::OneAtATime)),
                         [](const auto& info) {
                           return std::string(std::get<0>(info.param).name) +
                                  (std::get<1>(info.param) == Helper::OneAtATime ? "_one_at_a_time"
                                                                                 : "");
                         });

// The project's own source tree (wherever this checkout is) is invisible in the jail.
}  // namespace
}  // namespace crucible::testing
