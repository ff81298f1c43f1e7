#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Build check for code compiled with sofsim_instrument() (enforce=check):
#
#   check-user-globals.sh --exe <linked executable> [--allow <symbol>]...
#                         [--require <symbol>]... <object>...
#
# Why: the compilers do not instrument every direct access to a named C
# global (GCC 12: none; Clang 14: not file-static ones; see
# docs/model-fidelity.md, "enforce=check: what the instrumentation sees"),
# so the checker cannot stop user code from touching kernel state kept in a
# global. This check makes that gap visible instead: it fails on every
# writable data symbol the objects' relocations reference, unless the
# symbol lives in the user-data section (SOFSIM_USER_DATA) or is listed
# with --allow. It also fails when an object was not instrumented (no
# reference to the sofsim__chk_* checker, or a leftover __asan_ symbol),
# since then no access in it is checked at all.
#
# 1. Instrumented: across the objects at least one sofsim__chk_load* and one
#    sofsim__chk_store* are undefined references (plus every --require
#    symbol); no object holds an __asan_ symbol.
# 2. Writable data: each relocation in an allocated section of an object
#    (debug info is skipped) whose target is
#    - a section symbol of a writable data section of the object (.data*,
#      .bss*, .tdata*, .tbss*, .data.rel and .data.rel.local; .data.rel.ro
#      is read-only after relocation): named after the object's local symbol
#      at that offset (x86-64 PC-relative addends are biased by -4);
#    - a named symbol that the executable's symbol table defines in a
#      writable section outside its PT_GNU_RELRO segment;
#    is an offender unless the section is sofsim_user_data or the symbol is
#    allowed. Data that shared libraries define is not listed (the
#    executable's table does not say where it lives). An --allow entry that
#    matches nothing fails the check too, so the list cannot go stale.
# Exit 0 when clean, 1 on findings, 2 on bad usage or a missing tool.
set -euo pipefail

usage() {
	echo "usage: $0 --exe <executable> [--allow <symbol>]... [--require <symbol>]... <object>..." >&2
	exit 2
}

exe=
declare -a objs=() allow=() require=()
while (($#)); do
	case $1 in
	--exe) exe=${2:-}; shift 2 || usage ;;
	--allow) allow+=("${2:-}"); shift 2 || usage ;;
	--require) require+=("${2:-}"); shift 2 || usage ;;
	-*) usage ;;
	*) objs+=("$1"); shift ;;
	esac
done
[[ -n $exe && ${#objs[@]} -gt 0 ]] || usage
for tool in nm objdump readelf awk; do
	command -v "$tool" >/dev/null || { echo "check-user-globals: $tool not found" >&2; exit 2; }
done
for f in "$exe" "${objs[@]}"; do
	[[ -f $f ]] || { echo "check-user-globals: $f: no such file" >&2; exit 2; }
done

status=0
fail() {
	echo "$*"
	status=1
}

# ---- 1. the objects are instrumented ----

declare -A undef=()
for o in "${objs[@]}"; do
	while read -r sym; do
		undef[$sym]=1
	done < <(nm -u "$o" | awk '{ print $NF }')
	asan=$(nm "$o" | awk '$NF ~ /^__asan_/ { print $NF }' | sort -u | tr '\n' ' ')
	[[ -z $asan ]] || fail "$o: still holds __asan_ symbols ($asan): not renamed to the checker (compiled outside sofsim_instrument's launcher, or with -fsanitize=address)"
done
have_load=0
have_store=0
for sym in "${!undef[@]}"; do
	[[ $sym == sofsim__chk_load* ]] && have_load=1
	[[ $sym == sofsim__chk_store* ]] && have_store=1
done
((have_load && have_store)) ||
	fail "${objs[*]}: no reference to the checker's sofsim__chk_load*/sofsim__chk_store*: not instrumented (sofsim_instrument() missing?)"
for sym in "${require[@]}"; do
	[[ -n ${undef[$sym]:-} ]] || fail "${objs[*]}: no reference to $sym (required)"
done

# ---- 2. writable data the objects reference ----

# Sections of the executable that are writable at run time: W flag, not
# inside the GNU_RELRO segment (mprotect'ed read-only after relocation).
declare -A exe_writable=()
relro_idx=$(readelf -lW "$exe" | awk '
	/^Program Headers:/ { on = 1; n = -1; next }
	on && /^ *Type / { n = 0; next }
	on && n >= 0 && /^ *[A-Z_]+ / { if ($1 == "GNU_RELRO") { print n; exit } n++ }
	on && /^$/ && n > 0 { exit }')
declare -A exe_relro=()
if [[ -n $relro_idx ]]; then
	while read -r sec; do
		exe_relro[$sec]=1
	done < <(readelf -lW "$exe" | awk -v want="$relro_idx" '
		/Section to Segment mapping:/ { on = 1; next }
		on && $1 ~ /^[0-9]+$/ && $1 + 0 == want { for (i = 2; i <= NF; i++) print $i; exit }')
fi
while read -r name flags; do
	[[ $flags == *W* && $flags == *A* && -z ${exe_relro[$name]:-} ]] && exe_writable[$name]=1
done < <(readelf -SW "$exe" | sed -n 's/^ *\[ *[0-9]*\] *//p' | awk 'NF >= 10 { print $1, $(NF - 3) }')

# Where the executable defines each non-local symbol (objdump -t: value,
# 7 flag characters, section<TAB>size, name; the name is the last field).
declare -A exe_section=()
while IFS=$'\t' read -r name sec; do
	exe_section[$name]=$sec
done < <(objdump -t "$exe" | awk '
	/^[0-9a-f]+ / && length($0) > 26 {
		flags = substr($0, 18, 7)
		if (substr(flags, 1, 1) == "l") next
		rest = substr($0, 26)
		split(rest, part, "\t")
		sec = part[1]
		if (sec == "*UND*" || sec == "*ABS*") next
		print $NF "\t" sec
	}')

declare -A allowed=() allow_used=()
for sym in "${allow[@]}"; do
	allowed[$sym]=1
done

# Hex to number in any awk (mawk has no strtonum); offsets fit a double.
awk_hex='function hex(s,   i, v) { v = 0; s = tolower(s); for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }'

# A section of an object that holds writable program data.
obj_section_writable() {
	local name=$1 flags=$2
	[[ $flags == *ALLOC* && $flags != *READONLY* && $flags != *CODE* ]] || return 1
	case $name in
	.data.rel.ro* | .init_array* | .fini_array* | .preinit_array* | .got* | .dynamic) return 1 ;;
	esac
	return 0
}

for o in "${objs[@]}"; do
	# Section name -> flags, from objdump -h (name line, then flags line).
	declare -A sec_flags=()
	while IFS=$'\t' read -r name flags; do
		sec_flags[$name]=$flags
	done < <(objdump -h "$o" | awk '
		/^ *[0-9]+ / { name = $2; next }
		name != "" { gsub(/^ +/, ""); print name "\t" $0; name = "" }')

	# Local data symbols: "section<TAB>value<TAB>size<TAB>name", for naming
	# what a section-symbol relocation points at.
	locals=$(objdump -t "$o" | awk "$awk_hex"'
		/^[0-9a-f]+ / && length($0) > 26 {
			flags = substr($0, 18, 7)
			if (substr(flags, 1, 1) != "l" || substr(flags, 6, 1) == "d" || substr(flags, 7, 1) == "f") next
			split(substr($0, 26), part, "\t")
			split(part[2], sz, " ")
			printf "%s\t%d\t%d\t%s\n", part[1], hex(substr($0, 1, 16)), hex(sz[1]), $NF
		}')

	declare -A seen=()
	while IFS=$'\t' read -r type target addend; do
		[[ -n $target ]] || continue
		if [[ -n ${sec_flags[$target]+x} ]]; then
			# Section symbol: writable data of this very object.
			[[ $target == sofsim_user_data ]] && continue
			obj_section_writable "$target" "${sec_flags[$target]}" || continue
			off=$addend
			[[ $type == *PC* ]] && off=$((addend + 4))
			name=$(awk -F'\t' -v sec="$target" -v off="$off" '
				$1 == sec { v[++n] = $2; s[n] = ($3 > 0 ? $3 : 1); nm[n] = $4 }
				END {
					# The symbol holding off, or one up to 4 bytes above it
					# (an immediate operand after a PC-relative displacement).
					for (k = 0; k <= 4; k++)
						for (i = 1; i <= n; i++)
							if (off + k >= v[i] && off + k < v[i] + s[i]) { print nm[i]; exit }
				}' <<<"$locals")
			[[ -n $name ]] || name=$(printf '%s+%#x' "$target" "$off")
			sec=$target
		else
			name=$target
			sec=${exe_section[$name]:-}
			[[ -n $sec && $sec != sofsim_user_data && -n ${exe_writable[$sec]:-} ]] || continue
			# The linker's own tables are not program state.
			[[ $name == _GLOBAL_OFFSET_TABLE_ || $name == _DYNAMIC ]] && continue
		fi
		[[ -z ${seen[$name]:-} ]] || continue
		seen[$name]=1
		if [[ -n ${allowed[$name]:-} ]]; then
			allow_used[$name]=1
			continue
		fi
		fail "$o: $name in section $sec is writable data outside the user-data partition"
	done < <(objdump -r "$o" | awk -v allocs="$(printf '%s\n' "${!sec_flags[@]}" | while read -r s; do
		[[ ${sec_flags[$s]} == *ALLOC* ]] && printf '%s ' "$s"; done)" "$awk_hex"'
		BEGIN { n = split(allocs, a, " "); for (i = 1; i <= n; i++) alloc[a[i]] = 1 }
		/^RELOCATION RECORDS FOR \[/ {
			sec = $0
			sub(/^RELOCATION RECORDS FOR \[/, "", sec)
			sub(/\]:$/, "", sec)
			on = (sec in alloc)
			next
		}
		on && /^[0-9a-f]+ / {
			v = $3
			sym = v; add = 0
			if (match(v, /[-+]0x[0-9a-f]+$/)) {
				sym = substr(v, 1, RSTART - 1)
				num = hex(substr(v, RSTART + 3))
				add = substr(v, RSTART, 1) == "-" ? -num : num
			}
			if (sym == "*ABS*") next
			print $2 "\t" sym "\t" add
		}')
	unset sec_flags seen
done

for sym in "${allow[@]}"; do
	[[ -n ${allow_used[$sym]:-} ]] || fail "--allow $sym: no object references it as writable data (stale allow entry)"
done

if ((status == 0)); then
	echo "check-user-globals: ${#objs[@]} object(s) instrumented; no writable data outside sofsim_user_data${allow:+ (allowed: ${allow[*]})}"
fi
exit $status
