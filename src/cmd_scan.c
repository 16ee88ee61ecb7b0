#include "cmd.h"
#include "diag.h"

/* placeholder until the scan front end lands */
int cmd_scan(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    diag_warn("'scan' is not implemented yet");
    return 2;
}
