/* SPDX-License-Identifier: BSD-2-Clause */
/* image_hash: a blob's sha256 on a thread of its own (see include/image_hash.h) */
#include "image_hash.h"

#include <openssl/evp.h>
#include <string.h>

static void *run(void *arg)
{
    struct image_hash *h = arg;
    pthread_mutex_lock(&h->mu);
    for (;;) {
        while (!h->busy && !h->quit)
            pthread_cond_wait(&h->cv, &h->mu);
        if (!h->busy)
            break;
        const unsigned char *p = h->p;
        size_t n = h->n;
        pthread_mutex_unlock(&h->mu);
        EVP_DigestUpdate(h->md, p, n);
        pthread_mutex_lock(&h->mu);
        h->busy = false;
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

void image_hash_wait(struct image_hash *h)
{
    if (!h->threaded)
        return;
    pthread_mutex_lock(&h->mu);
    while (h->busy)
        pthread_cond_wait(&h->cv, &h->mu);
    pthread_mutex_unlock(&h->mu);
}

void image_hash_put(struct image_hash *h, const void *p, size_t n)
{
    if (!h->ok || !n)
        return;
    if (!h->threaded) {
        EVP_DigestUpdate(h->md, p, n);
        return;
    }
    pthread_mutex_lock(&h->mu);
    while (h->busy)
        pthread_cond_wait(&h->cv, &h->mu);
    h->p = p;
    h->n = n;
    h->busy = true;
    pthread_cond_broadcast(&h->cv);
    pthread_mutex_unlock(&h->mu);
}

bool image_hash_end(struct image_hash *h, unsigned char sha[32])
{
    if (!h->ok)
        return false;
    if (h->threaded) {
        pthread_mutex_lock(&h->mu);
        while (h->busy)
            pthread_cond_wait(&h->cv, &h->mu);
        h->quit = true;
        pthread_cond_broadcast(&h->cv);
        pthread_mutex_unlock(&h->mu);
        pthread_join(h->th, NULL);
        pthread_cond_destroy(&h->cv);
        pthread_mutex_destroy(&h->mu);
        h->threaded = false;
    }
    unsigned int len = 32;
    bool ok = EVP_DigestFinal_ex(h->md, sha, &len) == 1;
    EVP_MD_CTX_free(h->md);
    h->md = NULL;
    h->ok = false;
    return ok;
}
