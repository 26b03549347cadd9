# SPDX-License-Identifier: MIT
# bash completion for pgtctl

_pgtctl_formats="arm-32-lpae-s1 arm-32-lpae-s2 arm-64-lpae-s1 arm-64-lpae-s2 arm-v7s
arm-mali-lpae amd-iommu-v1 apple-dart apple-dart2 amd-iommu-v2 intel-vtd-ss intel-vtd-fs riscv-iommu"
_pgtctl_quirks="arm-ns no-perms arm-mtk-ext arm-mtk-ttbr-ext arm-ttbr1 arm-outer-wbwa arm-hd arm-s2fwb
no-warn sign-extend flush-range flush-range-no-gaps detailed-gather dynamic-top full-va amdv1-encrypt-tables amdv1-force-coherence vtdss-force-coherence vtdss-force-writeable riscv-svnapot-64k riscv-svpbmt x86-64-amd-encrypt-tables"
_pgtctl_kernels="6.12 7.3"
_pgtctl_prot="read write cache noexec mmio priv"
_pgtctl_commands="formats build map unmap translate dump info check scan diff whereis free fault devices
emit batch repl help"
_pgtctl_fault_kinds="arm-smmu arm-smmu-global smmuv3 amd-vi amd-vi-event intel-vtd riscv apple-dart mali"
_pgtctl_global="--json --help --usage --version --kernel"
_pgtctl_source="--dump --raw --base --format --root --ias --oas --pgsize-bitmap --quirks
--coherent-walk --mode --levels --cpu-page-size --endian --iommu --iommu-reg --device"
_pgtctl_iommus="amd-vi intel-vtd smmuv3 riscv"

_pgtctl_options()
{
	case $1 in
	formats) echo "$_pgtctl_global" ;;
	build) echo "-o --raw --trace-tlb $_pgtctl_global" ;;
	map) echo "--prot --pgsize --replace --trace-tlb $_pgtctl_global" ;;
	unmap) echo "--split --trace-tlb $_pgtctl_global" ;;
	translate) echo "--verbose $_pgtctl_source $_pgtctl_global" ;;
	dump) echo "--leaves --tree --output -o $_pgtctl_source $_pgtctl_global" ;;
	info) echo "$_pgtctl_source $_pgtctl_global" ;;
	check) echo "$_pgtctl_source $_pgtctl_global" ;;
	scan) echo "--top --budget $_pgtctl_source $_pgtctl_global" ;;
	diff) echo "--pgsize --descriptors $_pgtctl_source $_pgtctl_global" ;;
	whereis) echo "$_pgtctl_source $_pgtctl_global" ;;
	free) echo "--size --align --range $_pgtctl_source $_pgtctl_global" ;;
	fault) echo "--kind --log --verbose $_pgtctl_source $_pgtctl_global" ;;
	devices) echo "--verbose --all $_pgtctl_source $_pgtctl_global" ;;
	emit) echo "-o --raw --elf $_pgtctl_global" ;;
	batch) echo "$_pgtctl_global" ;;
	repl) echo "--commands $_pgtctl_source $_pgtctl_global" ;;
	help) echo "$_pgtctl_global" ;;
	esac
}

# The FIELD=VALUE names of a fault kind (pgtctl fault --help lists them).
_pgtctl_fault_fields()
{
	case $1 in
	arm-smmu) echo "fsr= fsynr0= far= cbfrsynra= cb=" ;;
	arm-smmu-global) echo "gfsr= gfsynr0= gfsynr1= gfsynr2=" ;;
	smmuv3) echo "evt0= evt1= evt2= evt3=" ;;
	amd-vi) echo "address= flags= domain= devid= pasid=" ;;
	amd-vi-event) echo "event= address= flags= pasid= domain= devid=" ;;
	intel-vtd) echo "reason= addr= sid= type= pasid= seg= frcd_lo= frcd_hi=" ;;
	riscv) echo "cause= ttyp= did= pid= priv= iotval= iotval2= hdr=" ;;
	apple-dart) echo "error= addr= addr_lo= addr_hi= hw=" ;;
	mali) echo "faultstatus= faultaddress= as=" ;;
	esac
}

# The value of option $1 ($2 typed so far) into COMPREPLY; false when $1
# takes no value.
_pgtctl_value()
{
	local pre last
	case $1 in
	--format) COMPREPLY=($(compgen -W "$_pgtctl_formats" -- "$2")) ;;
	--quirks | --prot | -p)
		pre=${2%,*} last=${2##*,}
		[ "$pre" = "$2" ] && pre="" || pre="$pre,"
		local list=$_pgtctl_quirks
		[ "$1" = --quirks ] || list=$_pgtctl_prot
		COMPREPLY=($(compgen -P "$pre" -W "$list" -- "$last")) ;;
	--coherent-walk) COMPREPLY=($(compgen -W "yes no" -- "$2")) ;;
	--kind) COMPREPLY=($(compgen -W "$_pgtctl_fault_kinds" -- "$2")) ;;
	--iommu) COMPREPLY=($(compgen -W "$_pgtctl_iommus" -- "$2")) ;;
	--output) COMPREPLY=($(compgen -W "text yaml" -- "$2")) ;;
	--endian) COMPREPLY=($(compgen -W "little big" -- "$2")) ;;
	--kernel) COMPREPLY=($(compgen -W "$_pgtctl_kernels" -- "$2")) ;;
	--mode) COMPREPLY=($(compgen -W "1 2 3 4 5 6" -- "$2")) ;;
	--levels) COMPREPLY=($(compgen -W "3 4 5" -- "$2")) ;;
	--log | --dump | -o) COMPREPLY=($(compgen -f -- "$2")) ;;
	--raw) # a FILE, except for build and emit, where it is a flag
		[ "$cmd" = build ] || [ "$cmd" = emit ] && return 1
		COMPREPLY=($(compgen -f -- "$2")) ;;
	--base | --root | --ias | --oas | --pgsize-bitmap | --pgsize | -s | --cpu-page-size | --top | -n | --size | --align | --range | --budget | --commands | -c | --iommu-reg | --device)
		[ "$1" = --pgsize ] && [ "$cmd" = diff ] && return 1
		COMPREPLY=() ;;
	*) return 1 ;;
	esac
}

# bash splits "--opt=value" and "field=value" at the "=" (it is in
# COMP_WORDBREAKS): join them again into words[], cword the word completed.
_pgtctl_words()
{
	words=() cword=0
	local i w join=false
	for ((i = 0; i < ${#COMP_WORDS[@]}; i++)); do
		w=${COMP_WORDS[i]}
		if ((i > 1)) && { $join || [[ $w == =* && ${COMP_WORDS[i - 1]} != *= ]]; }; then
			words[${#words[@]} - 1]+=$w
		else
			words+=("$w")
		fi
		join=false
		[[ $w == *= ]] && join=true
		((i == COMP_CWORD)) && cword=$((${#words[@]} - 1))
	done
}

_pgtctl()
{
	local cur prev cmd i words cword
	COMPREPLY=()
	_pgtctl_words
	cur=${words[cword]}
	prev=${words[cword - 1]}

	cmd=""
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-*) ;;
		*)
			case " $_pgtctl_commands " in *" ${words[i]} "*)
				cmd=${words[i]}
				break ;;
			esac ;;
		esac
	done

	# --opt=value: the value; bash replaces only what follows the "=",
	# unless "=" was taken out of COMP_WORDBREAKS
	if [[ $cur == -*=* ]]; then
		_pgtctl_value "${cur%%=*}" "${cur#*=}" || return
		[[ $COMP_WORDBREAKS == *=* ]] || COMPREPLY=("${COMPREPLY[@]/#/${cur%%=*}=}")
		return
	fi
	_pgtctl_value "$prev" "$cur" && return

	if [ -z "$cmd" ]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "$_pgtctl_global" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$_pgtctl_commands" -- "$cur"))
		fi
		return
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_pgtctl_options "$cmd")" -- "$cur"))
		return
	fi
	case $cmd in
	formats) ;;
	help) COMPREPLY=($(compgen -W "$_pgtctl_commands" -- "$cur")) ;;
	fault)
		local kind=""
		for ((i = 1; i < cword; i++)); do
			case ${words[i]} in
			--kind) kind=${words[i + 1]} ;;
			--kind=*) kind=${words[i]#--kind=} ;;
			esac
		done
		if [[ $cur == hw=* ]]; then
			COMPREPLY=($(compgen -W "t8020 t8103 t6000 t8110" -- "${cur#hw=}"))
			[[ $COMP_WORDBREAKS == *=* ]] || COMPREPLY=("${COMPREPLY[@]/#/hw=}")
		elif [ -n "$kind" ]; then
			COMPREPLY=($(compgen -W "$(_pgtctl_fault_fields "$kind")" -- "$cur") $(compgen -f -- "$cur"))
			compopt -o nospace 2>/dev/null
		else
			COMPREPLY=($(compgen -f -- "$cur"))
		fi ;;
	*) COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
}
complete -o filenames -F _pgtctl pgtctl
