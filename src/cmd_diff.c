#include "cmd.h"
#include "diag.h"

/* placeholder until the diff front end lands */
int cmd_diff(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    diag_warn("'diff' is not implemented yet");
    return 2;
}
