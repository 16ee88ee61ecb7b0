#include "cmd.h"
#include "diag.h"

/* placeholder until the render front end lands */
int cmd_render(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    diag_warn("'render' is not implemented yet");
    return 2;
}
