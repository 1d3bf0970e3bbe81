# bash completion of icmpfpctl(8); installed as
# <datadir>/bash-completion/completions/icmpfpctl. Plain bash: it needs
# nothing of the bash-completion package's helpers.
_icmpfpctl()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local -a words=("${COMP_WORDS[@]}")
    local cword=$COMP_CWORD
    local i cmd= sub=
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
        -f | --file-prefix | -s | --socket | -i | --interval) ((i++)) ;;
        -*) ;;
        *) if [[ -z $cmd ]]; then cmd=${words[i]}; elif [[ -z $sub ]]; then sub=${words[i]}; fi ;;
        esac
    done
    case $prev in
    -f | --file-prefix)
        COMPREPLY=($(compgen -W "$(ls /run/dpdk 2>/dev/null)" -- "$cur"))
        return ;;
    -s | --socket)
        COMPREPLY=($(compgen -f -- "$cur"))
        return ;;
    -i | --interval | src | port)
        return ;;
    esac
    if [[ -z $cmd ]]; then
        COMPREPLY=($(compgen -W "show route trace clear reload watch --json
            -f --file-prefix -s --socket -i --interval -h --help" -- "$cur"))
        return
    fi
    case $cmd in
    show)
        if [[ -z $sub ]]; then
            COMPREPLY=($(compgen -W "stats errors runtime ports routes
                lpa config policy trace" -- "$cur"))
        elif [[ $sub == trace && $prev == --file ]]; then
            COMPREPLY=($(compgen -f -- "$cur"))
        elif [[ $sub == trace ]]; then
            COMPREPLY=($(compgen -W "--file" -- "$cur"))
        fi ;;
    route)
        [[ -z $sub ]] && COMPREPLY=($(compgen -W "get" -- "$cur")) ;;
    trace)
        if [[ -z $sub ]]; then
            COMPREPLY=($(compgen -W "add clear" -- "$cur"))
        elif [[ $sub == add && $prev != add ]]; then
            COMPREPLY=($(compgen -W "src port dropped" -- "$cur"))
        fi ;;
    esac
} &&
    complete -F _icmpfpctl icmpfpctl
