/* SPDX-License-Identifier: BSD-2-Clause */
/* image_hash: a blob's sha256 on a thread of its own (see include/image_hash.h) */
#include "image_hash.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

static void *run(void *arg)
{
    struct image_hash *h = arg;
    pthread_mutex_lock(&h->mu);
    for (;;) {
        while (!h->count && !h->quit)
            pthread_cond_wait(&h->cv, &h->mu);
        if (!h->count)
            break;
        unsigned i = h->head;
        pthread_mutex_unlock(&h->mu);
        EVP_DigestUpdate(h->md, h->slot[i], h->len[i]);
        pthread_mutex_lock(&h->mu);
        h->head = (h->head + 1) % IMAGE_HASH_SLOTS;
        h->count--;
        pthread_cond_broadcast(&h->cv);
    }
    pthread_mutex_unlock(&h->mu);
    return NULL;
}

bool image_hash_start(struct image_hash *h, bool async)
{
    memset(h, 0, sizeof *h);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(md);
        return false;
    }
    h->md = md;
    h->ok = true;
    if (!async || pthread_mutex_init(&h->mu, NULL) != 0)
        return true;
    if (pthread_cond_init(&h->cv, NULL) != 0) {
        pthread_mutex_destroy(&h->mu);
        return true;
    }
    if (pthread_create(&h->th, NULL, run, h) != 0) {
        pthread_cond_destroy(&h->cv);
        pthread_mutex_destroy(&h->mu);
        return true;
    }
    h->threaded = true;
    return true;
}

/* drain: every block handed is hashed (called with mu held) */
static void drain(struct image_hash *h)
{
    while (h->count)
        pthread_cond_wait(&h->cv, &h->mu);
}

void image_hash_put(struct image_hash *h, const void *p, size_t n)
{
    if (!h->ok || !n)
        return;
    if (!h->threaded || n > IMAGE_HASH_SLOT) {
        if (h->threaded) {
            pthread_mutex_lock(&h->mu);
            drain(h); /* in order */
            pthread_mutex_unlock(&h->mu);
        }
        EVP_DigestUpdate(h->md, p, n);
        return;
    }
    pthread_mutex_lock(&h->mu);
    while (h->count == IMAGE_HASH_SLOTS)
        pthread_cond_wait(&h->cv, &h->mu);
    unsigned i = (h->head + h->count) % IMAGE_HASH_SLOTS;
    if (!h->slot[i])
        h->slot[i] = malloc(IMAGE_HASH_SLOT);
    if (!h->slot[i]) {
        drain(h);
        pthread_mutex_unlock(&h->mu);
        EVP_DigestUpdate(h->md, p, n);
        return;
    }
    memcpy(h->slot[i], p, n);
    h->len[i] = n;
    h->count++;
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
}

bool image_hash_end(struct image_hash *h, unsigned char sha[32])
{
    if (!h->ok)
        return false;
    if (h->threaded) {
        pthread_mutex_lock(&h->mu);
        drain(h);
        h->quit = true;
        pthread_cond_broadcast(&h->cv);
        pthread_mutex_unlock(&h->mu);
        pthread_join(h->th, NULL);
        pthread_cond_destroy(&h->cv);
        pthread_mutex_destroy(&h->mu);
        h->threaded = false;
    }
    for (unsigned i = 0; i < IMAGE_HASH_SLOTS; i++) {
        free(h->slot[i]);
        h->slot[i] = NULL;
    }
    unsigned int len = 32;
    bool ok = EVP_DigestFinal_ex(h->md, sha, &len) == 1;
    EVP_MD_CTX_free(h->md);
    h->md = NULL;
    h->ok = false;
    return ok;
}
