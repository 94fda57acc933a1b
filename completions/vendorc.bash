# bash completion for vendorc(1). Self-contained: it needs no helper from
# the bash-completion package, so it also works when sourced by hand.

_vendorc_commands="compile check plan lock explain expire expiring graph report probe observe import fmt init help"

# Options that take a value in the next word. --color and --paths take one
# only after "=" (--color=WHEN), so a word after them bare is not a value.
_vendorc_takes_value() {
	case $1 in
	-c|--config|-o|--output|--now|--backend|--cluster|--vendor|--emit|--results|--flows|--since|--namespace|--format|--diagnostics|--verify|--hosts|--within|--from|--to|--port|--at)
		return 0 ;;
	esac
	return 1
}

_vendorc_takes_value_after_equals() {
	[[ $1 == --color || $1 == --paths ]] || { [[ $1 == --* ]] && _vendorc_takes_value "$1"; }
}

# The options worth offering after COMMAND ("" before any command). getopt
# accepts every option anywhere; these are the ones the command reads.
_vendorc_options_for() {
	local project="-c --config --now --diagnostics= --color= --paths= --help"
	case $1 in
	compile)  echo "$project -o --output --backend --cluster" ;;
	check)    echo "$project --strict --strict-expiry --verify --coverage --adversarial --format --cluster" ;;
	plan)     echo "$project -o --output --backend --format --cluster" ;;
	lock)     echo "$project --check --hosts" ;;
	explain)  echo "$project --to --from --port --format --at --cluster" ;;
	expire)   echo "$project -o --output" ;;
	expiring) echo "$project --within --format" ;;
	graph)    echo "$project --format --cluster" ;;
	report)   echo "$project -o --output --backend --format --history --cluster" ;;
	probe)    echo "$project --backend --vendor --format --emit -o --output --results --cluster" ;;
	observe)  echo "$project --flows --since --backend --vendor --format --suggest --namespace --cluster" ;;
	import)   echo "$project --namespace --vendor -o --output --cluster --verify" ;;
	fmt)      echo "--check -w --diagnostics= --color= --help" ;;
	init)     echo "$project" ;;
	help)     echo "" ;;
	*)        echo "$project --version" ;;
	esac
}

# The vendors directory: the project file's "vendors:" key (relative to the
# project file), else vendors/ beside it.
_vendorc_vendors_dir() {
	local project=${1:-vendorc.yaml} base dir=""
	base=$(dirname -- "$project")
	if [[ -r $project ]]; then
		dir=$(sed -n 's/^vendors:[[:space:]]*//p' -- "$project" | head -n 1)
		dir=${dir%%#*}
		dir=${dir%"${dir##*[![:space:]]}"}
		dir=${dir//[\"\']/}
	fi
	[[ -n $dir ]] || dir=vendors
	[[ $dir == /* ]] || dir=$base/$dir
	printf '%s\n' "$dir"
}

_vendorc_vendor_names() {
	local dir
	dir=$(_vendorc_vendors_dir "$1")
	[[ -d $dir ]] || return 0
	find "$dir" -maxdepth 32 -name '*.vendor' -type f 2>/dev/null |
		sed 's|.*/||; s|\.vendor$||' | sort -u
}

# A fleet's cluster names: the "- name:" entries of the project file.
_vendorc_cluster_names() {
	local project=${1:-vendorc.yaml}
	[[ -r $project ]] || return 0
	sed -n 's/^[[:space:]]*-[[:space:]]*name:[[:space:]]*\([a-z0-9-]*\).*/\1/p' -- "$project"
}

# Directories, plus the files whose names end in one of the suffixes.
_vendorc_files() {
	local cur=$1 suffix
	shift
	compgen -d -- "$cur"
	for suffix in "$@"; do
		compgen -f -X "!*$suffix" -- "$cur"
	done
}

# Sets COMPREPLY to the values of OPTION (for COMMAND) that start with CUR;
# file names are read a line each, so that spaces in them survive.
_vendorc_values() {
	local option=$1 command=$2 cur=$3
	case $option in
	--backend)     COMPREPLY=($(compgen -W "networkpolicy cilium" -- "$cur")) ;;
	--cluster)     COMPREPLY=($(compgen -W "$(_vendorc_cluster_names "$project")" -- "$cur")) ;;
	--vendor)
		# import names a new vendor: nothing to offer
		[[ $command == import ]] ||
			COMPREPLY=($(compgen -W "$(_vendorc_vendor_names "$project")" -- "$cur")) ;;
	--emit)        COMPREPLY=($(compgen -W "jobs netassert" -- "$cur")) ;;
	--results|--flows) mapfile -t COMPREPLY < <(compgen -f -- "$cur"); _vendorc_filenames ;;
	--diagnostics) COMPREPLY=($(compgen -W "text json sarif" -- "$cur")) ;;
	--color)       COMPREPLY=($(compgen -W "auto always never" -- "$cur")) ;;
	--paths)       COMPREPLY=($(compgen -W "project cwd" -- "$cur")) ;;
	--format)
		if [[ $command == graph ]]; then
			COMPREPLY=($(compgen -W "dot mermaid" -- "$cur"))
		elif [[ $command == report ]]; then
			COMPREPLY=($(compgen -W "html markdown json" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "text json" -- "$cur"))
		fi ;;
	-c|--config)   mapfile -t COMPREPLY < <(_vendorc_files "$cur" .yaml .yml); _vendorc_filenames ;;
	--hosts)       mapfile -t COMPREPLY < <(compgen -f -- "$cur"); _vendorc_filenames ;;
	-o|--output|--verify)
		if [[ $command == report ]]; then
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		else
			mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		fi
		_vendorc_filenames ;;
	*)             COMPREPLY=() ;;
	esac
}

# Lets readline mark directories with "/" (compopt fails outside a
# completion, as in the tests; that changes nothing else).
_vendorc_filenames() {
	compopt -o filenames 2>/dev/null || :
}

# Reads the words before the cursor into the caller's command, project,
# trace and positional.
_vendorc_scan() {
	local i word
	for ((i = 1; i < COMP_CWORD; i++)); do
		word=${COMP_WORDS[i]}
		[[ $word == --to || $word == --from || $word == --to=* || $word == --from=* ]] && trace=yes
		if [[ ${COMP_WORDS[i+1]} == = ]]; then
			# --opt=VALUE, split at "=" by COMP_WORDBREAKS
			[[ $word == --config ]] && project=${COMP_WORDS[i+2]}
			((i += 2))
		elif _vendorc_takes_value "$word"; then
			((i++))
			[[ $word == -c || $word == --config ]] && project=${COMP_WORDS[i]}
		elif [[ $word == --config=* ]]; then
			project=${word#--config=}
		elif [[ $word == -* ]]; then
			:
		elif [[ -z $command ]]; then
			command=$word
		else
			positional+=("$word")
		fi
	done
}

# An option's value under the cursor: "--opt VALUE", or "--opt=VALUE" split
# at "=" by COMP_WORDBREAKS or not. Fails when the cursor is on no value.
_vendorc_complete_value() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local before=${COMP_WORDS[COMP_CWORD-2]}
	if [[ $cur == = ]] && _vendorc_takes_value_after_equals "$prev"; then
		_vendorc_values "$prev" "$command" ""
	elif [[ $prev == = ]] && ((COMP_CWORD >= 2)) && _vendorc_takes_value_after_equals "$before"; then
		_vendorc_values "$before" "$command" "$cur"
	elif [[ $cur == --*=* ]] && _vendorc_takes_value_after_equals "${cur%%=*}"; then
		_vendorc_values "${cur%%=*}" "$command" "${cur#*=}"
		COMPREPLY=("${COMPREPLY[@]/#/${cur%%=*}=}")
	elif _vendorc_takes_value "$prev"; then
		_vendorc_values "$prev" "$command" "$cur"
	else
		return 1
	fi
}

_vendorc() {
	local cur=${COMP_WORDS[COMP_CWORD]} command="" project="" trace=""
	local -a positional=()
	COMPREPLY=()
	_vendorc_scan
	_vendorc_complete_value && return 0

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_vendorc_options_for "$command")" -- "$cur"))
		[[ ${#COMPREPLY[@]} == 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
		return 0
	fi
	case $command in
	"")
		COMPREPLY=($(compgen -W "$_vendorc_commands" -- "$cur")) ;;
	help)
		((${#positional[@]} == 0)) && COMPREPLY=($(compgen -W "$_vendorc_commands" -- "$cur")) ;;
	explain)
		# a VENDOR, unless a trace (--to, --from) is under way
		((${#positional[@]} == 0)) && [[ -z $trace ]] &&
			COMPREPLY=($(compgen -W "$(_vendorc_vendor_names "$project")" -- "$cur")) ;;
	fmt)
		mapfile -t COMPREPLY < <(_vendorc_files "$cur" .vendor); _vendorc_filenames ;;
	import)
		# the policy files: manifests or a kubectl get -o yaml dump
		mapfile -t COMPREPLY < <(compgen -f -- "$cur"); _vendorc_filenames ;;
	esac
	return 0
}

complete -F _vendorc vendorc
