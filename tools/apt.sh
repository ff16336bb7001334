# Sourced by tools/setup.sh and tools/pg18.sh: install the Debian packages
# that are missing, with apt, through sudo when not root.
#
#   apt_install WHO PACKAGE...     (WHO starts the messages, on stderr)
apt_install() {
	local who=$1 p
	local missing=() sudo=()
	shift
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null ||
			{ echo "$who: not root and no sudo: cannot install ${missing[*]}" >&2; return 1; }
		sudo=(sudo)
	fi
	echo "$who: installing ${missing[*]}" >&2
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
		"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
