# SPDX-License-Identifier: BSD-2-Clause
# bash completion for duflame: commands, options (read from the command's
# own --help, so they never fall behind), the values of options that take a
# word, and paths. Installed by `make install` as
# $(PREFIX)/share/bash-completion/completions/duflame.

_duflame_options() {
    # every --long option and -x short option the command's --help names
    "$@" --help 2>/dev/null | grep -oE -- '(^|[ ,])--?[A-Za-z][A-Za-z0-9-]*=?' |
        sed -E 's/^[ ,]+//' | sort -u
}

_duflame() {
    local cur prev cmd=() i
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    cmd=("${COMP_WORDS[0]}")
    case ${COMP_WORDS[1]:-} in
    render | diff) [ "$COMP_CWORD" -gt 1 ] && cmd+=("${COMP_WORDS[1]}") ;;
    esac

    # the value of the option before the cursor
    case $prev in
    -f | --format)
        mapfile -t COMPREPLY < <(compgen -W "svg folded text $("${cmd[@]}" --help 2>/dev/null |
            grep -qE -- '\.html' && echo html) $("${cmd[@]}" --help 2>/dev/null |
            grep -qE -- '\.json' && echo json)" -- "$cur")
        return ;;
    --color)
        mapfile -t COMPREPLY < <(compgen -W "auto always never" -- "$cur")
        return ;;
    --sort)
        mapfile -t COMPREPLY < <(compgen -W "name size" -- "$cur")
        return ;;
    --colors)
        mapfile -t COMPREPLY < <(compgen -W "hot mem io wakeup chain java js perl red green blue aqua yellow purple orange" -- "$cur")
        return ;;
    -o | --output | -X | --exclude-from | --nameattr)
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return ;;
    -d | --depth | --max-depth | --top | -t | --threshold | --min-size | -B | --block-size | \
        -j | --threads | --title | --subtitle | --width | --height | --exclude | --archive-*)
        return ;;
    esac

    case $cur in
    --*=*)
        return ;;
    -*)
        mapfile -t COMPREPLY < <(compgen -W "$(_duflame_options "${cmd[@]}")" -- "$cur")
        # an option ending in '=' takes its value after it
        [ "${#COMPREPLY[@]}" = 1 ] && [ "${COMPREPLY[0]: -1}" = = ] && compopt -o nospace 2>/dev/null
        return ;;
    esac
    if [ "$COMP_CWORD" = 1 ]; then
        mapfile -t COMPREPLY < <(compgen -W "render diff" -- "$cur")
        local files
        mapfile -t files < <(compgen -f -- "$cur")
        COMPREPLY+=("${files[@]}")
        compopt -o filenames 2>/dev/null
        return
    fi
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}
complete -F _duflame duflame
