# SPDX-License-Identifier: MIT
# fish completion for pgtctl: pgtctl completes its own command lines
# (pgtctl __complete WORD... CURRENT prints the candidates, a tab and a
# description after some, then ":nospace" and ":files PREFIX" when they
# apply); this only hands it the words.

function __pgtctl_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l program $words[1]
    set -e words[1]
    for line in ($program __complete $words $cur 2>/dev/null)
        switch $line
            case ':files*'
                set -l prefix (string replace -r '^:files ?' '' -- $line)
                set -l name (string sub -s (math (string length -- "$prefix") + 1) -- $cur)
                for file in (__fish_complete_path $name)
                    printf '%s%s\n' $prefix $file
                end
            case ':*'
            case '*'
                printf '%s\n' $line
        end
    end
end

complete -c pgtctl -f -a '(__pgtctl_complete)'
