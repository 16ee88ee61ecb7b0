/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * image_hash: the sha256 of a blob of a container image, computed on a
 * thread of its own while the reading thread decodes and parses the same
 * bytes, so that checking a layer's digest costs the reading thread
 * (almost) no time.
 *
 * The caller hands blocks in order with image_hash_put(); a block must stay
 * valid and unchanged until the next image_hash_put(), image_hash_wait() or
 * image_hash_end() returns (each waits for the block before). A block is
 * hashed on the calling thread instead when async is false or the thread
 * cannot be started. No globals; one struct image_hash per blob, used by
 * one reading thread.
 */
#ifndef DUFLAME_IMAGE_HASH_H
#define DUFLAME_IMAGE_HASH_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

struct image_hash {
    void *md; /* EVP_MD_CTX */
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    const unsigned char *p; /* the block being hashed */
    size_t n;
    bool busy, quit, threaded, ok;
};

/* image_hash_start: a new hash (on a thread of its own when async);
 * false when not even the hash can be set up */
bool image_hash_start(struct image_hash *h, bool async);
/* image_hash_put: hash p[0..n) next (after the block before is done) */
void image_hash_put(struct image_hash *h, const void *p, size_t n);
/* image_hash_wait: the block handed last is done with */
void image_hash_wait(struct image_hash *h);
/* image_hash_end: the digest into sha (false when it could not be had);
 * the thread is gone afterwards */
bool image_hash_end(struct image_hash *h, unsigned char sha[32]);

#endif
