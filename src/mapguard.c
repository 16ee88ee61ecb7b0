/* SPDX-License-Identifier: BSD-2-Clause */
/* mapguard: mapped files that shrink while read (see include/mapguard.h) */
#include "mapguard.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct slot {
    atomic_uintptr_t base; /* 0: free */
    atomic_size_t len;
    atomic_bool cut; /* a page past the file's end was read */
};

static struct slot slots[MAPGUARD_MAX];
static pthread_once_t installed = PTHREAD_ONCE_INIT;
static struct sigaction before; /* SIGBUS's action before ours */
static uintptr_t page_size;     /* read once here: sysconf is not for a signal handler */

/* on_bus: a fault inside one of our mappings gets a page of zeros */
static void on_bus(int sig, siginfo_t *si, void *uctx)
{
    (void)uctx;
    uintptr_t a = (uintptr_t)si->si_addr;
    for (size_t i = 0; i < MAPGUARD_MAX; i++) {
        uintptr_t b = atomic_load(&slots[i].base);
        if (!b || a < b || a - b >= atomic_load(&slots[i].len))
            continue;
        void *page = (void *)(a & ~(page_size - 1));
        if (mmap(page, page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) ==
            MAP_FAILED)
            break;
        atomic_store(&slots[i].cut, true);
        return;
    }
    /* not ours: the action from before, when the fault comes again */
    (void)sig;
    sigaction(SIGBUS, &before, NULL);
}

static void install(void)
{
    page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_bus;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, &before);
}

const unsigned char *mapguard_map(int fd, size_t len)
{
    if (!len)
        return NULL;
    pthread_once(&installed, install);
    for (size_t i = 0; i < MAPGUARD_MAX; i++) {
        uintptr_t none = 0;
        /* 1 holds the slot until the mapping is there */
        if (!atomic_compare_exchange_strong(&slots[i].base, &none, 1))
            continue;
        void *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            atomic_store(&slots[i].base, 0);
            return NULL;
        }
        atomic_store(&slots[i].cut, false);
        atomic_store(&slots[i].len, len);
        atomic_store(&slots[i].base, (uintptr_t)p);
        return p;
    }
    return NULL;
}

bool mapguard_unmap(const unsigned char *p, size_t len)
{
    bool cut = false;
    for (size_t i = 0; i < MAPGUARD_MAX; i++) {
        if (atomic_load(&slots[i].base) != (uintptr_t)p)
            continue;
        cut = atomic_load(&slots[i].cut);
        atomic_store(&slots[i].base, 0);
        break;
    }
    munmap((void *)(uintptr_t)p, len);
    return cut;
}
