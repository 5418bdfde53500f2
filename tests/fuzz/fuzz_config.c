/* fuzz_config.c — the settings parser: the JSON config file (config_load_file) and the
 * command-line flags (config_from_args). The first byte picks the mode; in flag mode the rest
 * is split at NUL bytes into argv, and the file of a "--config FILE" pair is the fuzzer's own
 * input (a memfd), so a flag never makes the target read a real file. Invariants: a refused
 * setting names the reason; accepted numeric settings stay inside their documented ranges. */
#include <sys/mman.h>
#include <unistd.h>

#include "util/config.h"
#include "fuzz_util.h"

#define MAX_ARGS 32

static void check_ranges(const config *c)
{
    FUZZ_CHECK(c->listen_port >= 0 && c->listen_port <= 65535);
    FUZZ_CHECK(c->threads >= 0 && c->threads <= 256);
    FUZZ_CHECK(c->max_body >= 1024);
    FUZZ_CHECK(c->max_connections >= 4);
    FUZZ_CHECK(c->queue_depth >= 1);
    FUZZ_CHECK(c->header_timeout_s >= 1);
    FUZZ_CHECK(memchr(c->listen_host, 0, sizeof c->listen_host) != NULL);
    FUZZ_CHECK(memchr(c->assets_dir, 0, sizeof c->assets_dir) != NULL);
    FUZZ_CHECK(memchr(c->config_path, 0, sizeof c->config_path) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    if (len < 1)
        return 0;
    int fd = memfd_create("fuzz-config", 0);
    if (fd < 0)
        abort();
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    config c;
    config_defaults(&c);
    err_t err = {0};
    int rc;
    if (data[0] & 1) {
        if (write(fd, data + 1, len - 1) != (ssize_t)(len - 1))
            abort();
        rc = config_load_file(&c, path, &err);
    } else {
        /* argv from NUL-separated strings; a FILE after --config becomes the memfd (empty). */
        char *buf = fuzz_cstr(data + 1, len - 1);
        char *argv[MAX_ARGS];
        int argc = 0;
        for (size_t i = 0; i < len - 1 && argc < MAX_ARGS;) {
            argv[argc++] = buf + i;
            i += strlen(buf + i) + 1;
        }
        for (int i = 0; i + 1 < argc; i++)
            if (strcmp(argv[i], "--config") == 0)
                argv[++i] = path;
        rc = config_from_args(&c, argc, argv, &err);
        free(buf);
    }
    close(fd);
    FUZZ_CHECK(rc == 0 || rc == 1 || rc == -1);
    if (rc < 0)
        FUZZ_CHECK(err.msg[0] != 0);
    else
        check_ranges(&c);
    return 0;
}
