/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * image_hash: the sha256 of a blob of a container image, computed on a
 * thread of its own while the reading thread decodes and parses the same
 * bytes, so that checking a layer's digest costs the reading thread
 * (almost) no time.
 *
 * The caller hands blocks in order with image_hash_put(); on the thread's
 * side each block is a copy in a ring of IMAGE_HASH_SLOTS buffers, so the
 * caller may reuse its block at once and waits only when the thread is that
 * many blocks behind (a thread kept waiting by a loaded machine does not
 * stall the reader at every block). A block is hashed on the calling thread
 * instead when async is false, the thread cannot be started, a copy cannot
 * be allocated or the block is larger than a slot. No globals; one struct
 * image_hash per blob, used by one reading thread.
 */
#ifndef DUFLAME_IMAGE_HASH_H
#define DUFLAME_IMAGE_HASH_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#define IMAGE_HASH_SLOTS 8
#define IMAGE_HASH_SLOT (1u << 20) /* bytes a slot holds */

struct image_hash {
    void *md; /* EVP_MD_CTX */
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    unsigned char *slot[IMAGE_HASH_SLOTS];
    size_t len[IMAGE_HASH_SLOTS];
    unsigned head, count; /* the oldest block not hashed yet, blocks waiting */
    bool quit, threaded, ok;
};

/* image_hash_start: a new hash (on a thread of its own when async);
 * false when not even the hash can be set up */
bool image_hash_start(struct image_hash *h, bool async);
/* image_hash_put: hash p[0..n) next (p may be reused when this returns) */
void image_hash_put(struct image_hash *h, const void *p, size_t n);
/* image_hash_end: the digest into sha (false when it could not be had);
 * the thread is gone afterwards */
bool image_hash_end(struct image_hash *h, unsigned char sha[32]);

#endif
