/* SPDX-License-Identifier: BSD-2-Clause */
#include "cmd.h"
#include "diag.h"
#include "out.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int cmd_finish_output(struct out *o, const char *output, bool failed, int status)
{
    const char *name = output ? output : "standard output";
    int e = 0;
    if (failed || ferror(o->fp)) {
        e = errno ? errno : EIO;
        out_abort(o);
    } else if (out_commit(o) < 0) {
        e = errno;
    }
    if (!e)
        return status;
    char *q = diag_quote(name, strlen(name));
    diag_warn("cannot write '%s': %s", q, strerror(e));
    free(q);
    return 2;
}
